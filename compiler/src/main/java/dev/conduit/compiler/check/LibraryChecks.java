package dev.conduit.compiler.check;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.model.LibraryFile;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import dev.conduit.compiler.parse.ParsedFile;

/**
 * Library entries: the manifest matches its folder, the template is checked like a connection, and
 * the guide avoids the placeholders reviewers reject ("test", "123", ...).
 */
final class LibraryChecks {

  private LibraryChecks() {}

  static void run(Context ctx, Folder folder) {
    if (folder.connection != null) {
      ConnectionChecks.libraryTemplate(ctx, folder);
    }
    if (folder.manifest == null) {
      return;
    }
    ParsedFile file = folder.manifest.file();
    LibraryFile m = folder.manifest.value();
    if (!m.id().equals(folder.id)) {
      ctx.out.at(
          file,
          "/id",
          Code.C201,
          "the entry id \"" + m.id() + "\" differs from its folder name \"" + folder.id + "\"",
          null);
    }
    if (folder.connection != null && !folder.connection.value().id().equals(folder.id)) {
      // reported by ConnectionChecks
      return;
    }
    placeholder(ctx, file, "/name", m.name());
    placeholder(ctx, file, "/summary", m.summary());
    placeholder(ctx, file, "/guide/productIntroduction", m.guide().productIntroduction());
    placeholder(ctx, file, "/guide/integrationOverview", m.guide().integrationOverview());
    if (m.publisher() != null
        && m.publisher().login() != null
        && ctx.knowsMembers()
        && !ctx.logins.contains(m.publisher().login())) {
      ctx.out.at(
          file,
          "/publisher/login",
          Code.C203,
          "\"" + m.publisher().login() + "\" is not a member (members.json)",
          null);
    }
    folder.apis.forEach(
        (id, api) -> {
          placeholder(ctx, api.file(), "/name", api.value().name());
          if (api.value().description() == null || api.value().description().isBlank()) {
            ctx.out.at(
                api.file(),
                "",
                Code.C233,
                "a library API needs a description: reviewers reject entries without one",
                null);
          }
        });
  }

  private static void placeholder(Context ctx, ParsedFile file, String pointer, String text) {
    if (text == null) {
      return;
    }
    if (Placeholders.is(text)) {
      ctx.out.at(
          file,
          pointer,
          Code.C233,
          "\"" + text + "\" is a placeholder: reviewers reject meaningless names and texts",
          "describe the product, its official website and the integration in plain words");
    }
  }
}
