package dev.conduit.compiler.model;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.parse.ParsedFile;
import java.util.Collection;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds valid files to their records and groups them into a {@link RepositoryModel}; reports files
 * the layout requires but the repository lacks.
 */
public final class ModelBinder {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private ModelBinder() {}

  /**
   * A valid file's record. Files bind independently of each other: the compiler binds each one in
   * its parallel pass, right after its schema check, and {@link #group}s them afterwards.
   */
  public static Located<?> record(ParsedFile f) {
    return switch (f.kind()) {
      case ORGANIZATION -> bind(f, OrganizationFile.class);
      case MEMBERS -> bind(f, MembersFile.class);
      case CONNECTION -> bind(f, ConnectionFile.class);
      case GRANTS -> bind(f, GrantsFile.class);
      case API -> bind(f, ApiFile.class);
      case APPLICATION -> bind(f, ApplicationFile.class);
      case THIRD_PARTY_APP -> bind(f, ThirdPartyAppFile.class);
      case LIBRARY -> bind(f, LibraryFile.class);
      case CODE -> throw new IllegalArgumentException("code files are not JSON");
    };
  }

  /**
   * Groups bound files ({@link #record}) into the repository model, in the order given.
   *
   * @param bound the records of the files that parsed and passed their schema
   * @param code code files by path
   * @param paths every path of the repository
   * @param broken paths of JSON files that did not parse or pass their schema
   */
  @SuppressWarnings("unchecked")
  public static RepositoryModel group(
      Collection<Located<?>> bound,
      java.util.Map<String, String> code,
      Collection<String> paths,
      Collection<String> broken,
      Diagnostics out) {
    RepositoryModel m = new RepositoryModel();
    m.code.putAll(code);
    m.paths.addAll(paths);
    m.broken.addAll(broken);
    for (Located<?> r : bound) {
      ParsedFile f = r.file();
      String id = f.idFromPath();
      switch (f.kind()) {
        case ORGANIZATION -> m.organization = (Located<OrganizationFile>) r;
        case MEMBERS -> m.members = (Located<MembersFile>) r;
        case CONNECTION -> folder(m, f.path(), id).connection = (Located<ConnectionFile>) r;
        case GRANTS -> m.connectionFolder(id).grants = (Located<GrantsFile>) r;
        case API -> folder(m, f.path(), f.path().split("/")[1]).apis.put(id, (Located<ApiFile>) r);
        case APPLICATION -> m.applications.put(id, (Located<ApplicationFile>) r);
        case THIRD_PARTY_APP -> m.thirdPartyApps.put(id, (Located<ThirdPartyAppFile>) r);
        case LIBRARY -> m.libraryFolder(id).manifest = (Located<LibraryFile>) r;
        case CODE -> throw new IllegalArgumentException("code files are not JSON");
      }
    }
    reportMissing(m, paths, out);
    return m;
  }

  private static RepositoryModel.Folder folder(RepositoryModel m, String path, String id) {
    return path.startsWith("library/") ? m.libraryFolder(id) : m.connectionFolder(id);
  }

  private static <T> Located<T> bind(ParsedFile f, Class<T> type) {
    return new Located<>(f.withoutTree(), MAPPER.treeToValue(f.root(), type));
  }

  private static void reportMissing(RepositoryModel m, Collection<String> paths, Diagnostics out) {
    if (m.organization == null && !m.isBroken("organization.json")) {
      missing(
          out,
          "organization.json",
          "every organization repository has an organization.json at its root",
          "create it: {\"id\": \"<uuid>\", \"name\": \"...\", \"admins\": [\"<login>\"]}");
    }
    if (m.members == null && !m.isBroken("members.json")) {
      missing(
          out,
          "members.json",
          "every organization repository has a members.json at its root",
          "create it: {\"members\": []}");
    }
    for (RepositoryModel.Folder folder : m.connections.values()) {
      String path = folder.path + "/connection.json";
      if (folder.connection == null && !m.isBroken(path)) {
        missing(out, path, "the folder " + folder.path + " has no connection.json", null);
      }
    }
    for (RepositoryModel.Folder folder : m.library.values()) {
      for (String name : new String[] {"library.json", "connection.json"}) {
        String path = folder.path + "/" + name;
        if (!paths.contains(path)) {
          missing(out, path, "the library entry " + folder.path + " has no " + name, null);
        }
      }
    }
  }

  private static void missing(Diagnostics out, String path, String message, String hint) {
    out.add(
        new Diagnostic(Code.C005, Code.C005.defaultSeverity(), path, 0, 0, null, message, hint));
  }
}
