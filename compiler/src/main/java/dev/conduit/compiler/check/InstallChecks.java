package dev.conduit.compiler.check;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.model.ApiFile;
import dev.conduit.compiler.model.ConnectionFile;
import dev.conduit.compiler.model.ConnectionFile.ParameterEntry;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import dev.conduit.compiler.parse.ParsedFile;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A connection installed from the library holds only the installer's own settings; the template's
 * auth, requests and code stay read-only. (The template itself is checked once, as a library
 * entry.)
 */
final class InstallChecks {
  private InstallChecks() {}

  static void run(Context ctx, Folder folder) {
    ParsedFile file = folder.connection.file();
    ConnectionFile c = folder.connection.value();
    for (Located<ApiFile> api : folder.apis.values()) {
      ctx.out.at(
          api.file(),
          "",
          Code.C222,
          "an installed connection cannot define its own APIs: its APIs come from library entry \""
              + c.installedFrom().entry()
              + "\" and are read-only",
          "enable template APIs with \"enabledApis\" in connection.json, or make a custom connection");
    }
    ctx.model.code.keySet().stream()
        .filter(p -> p.startsWith(folder.path + "/code/"))
        .forEach(
            p ->
                ctx.out.atLine(
                    p,
                    0,
                    0,
                    Code.C222,
                    "an installed connection cannot have its own code: the template's code blocks are read-only",
                    null));
    Folder entry = ctx.model.entryFor(c.installedFrom());
    if (entry == null || entry.connection == null) {
      return; // reported by the resolver
    }
    ConnectionFile template = entry.connection.value();
    Map<String, ParameterEntry> declared =
        template.parametersOrEmpty().stream()
            .collect(Collectors.toMap(ParameterEntry::name, Function.identity(), (a, b) -> a));
    List<ParameterEntry> own = c.parametersOrEmpty();
    for (int i = 0; i < own.size(); i++) {
      if (!declared.containsKey(own.get(i).name())) {
        ctx.out.at(
            file,
            "/parameters/" + i + "/name",
            Code.C222,
            "library entry \""
                + template.id()
                + "\" declares no parameter \""
                + own.get(i).name()
                + "\": an installed connection can only fill in the template's parameters",
            "its parameters: " + declared.keySet());
      }
    }
    for (ParameterEntry p : template.parametersOrEmpty()) {
      boolean given =
          own.stream()
              .anyMatch(
                  o -> o.name().equals(p.name()) && (o.value() != null || o.sealed() != null));
      if (Boolean.TRUE.equals(p.required()) && !given) {
        ctx.out.at(
            file,
            "/parameters",
            Code.C225,
            "the library entry requires the parameter \""
                + p.name()
                + "\""
                + (p.description() == null ? "" : " (" + p.description() + ")"),
            p.isHidden()
                ? "seal it: conduit seal --connection " + c.id() + " --parameter " + p.name() + " ."
                : null);
      }
    }
    List<String> enabled = c.enabledApis() == null ? List.of() : c.enabledApis();
    for (int i = 0; i < enabled.size(); i++) {
      if (!entry.apis.containsKey(enabled.get(i))) {
        ctx.out.at(
            file,
            "/enabledApis/" + i,
            Code.C224,
            "library entry \"" + template.id() + "\" has no API \"" + enabled.get(i) + "\"",
            "its APIs: " + entry.apis.keySet());
      }
    }
  }
}
