package dev.conduit.compiler.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kinds of file in an organization repository, recognised by where they stand. Each JSON kind
 * has one schema in {@code schemas/}.
 */
public enum FileKind {
  ORGANIZATION("organization", "organization.json", "organization"),
  MEMBERS("members", "members.json", "members"),
  CONNECTION("connection", "(connections|library)/([^/]+)/connection\\.json", "/connection.json"),
  GRANTS("grants", "connections/([^/]+)/grants\\.json", "/grants.json"),
  API("api", "(connections|library)/([^/]+)/apis/([^/]+)\\.json", "/apis/"),
  APPLICATION("application", "applications/([^/]+)\\.json", "applications/"),
  THIRD_PARTY_APP("third-party-app", "third-party-apps/([^/]+)\\.json", "third-party-apps/"),
  LIBRARY("library", "library/([^/]+)/library\\.json", "/library.json"),
  /** A code block (.js or .py) under a connection's or library entry's code/ folder. */
  CODE(null, "(connections|library)/([^/]+)/code/[^/]+\\.(js|py)", "/code/");

  private static final FileKind[] ALL = values();

  /** Folders whose JSON files must be one of the kinds above. */
  private static final Pattern LAYOUT_JSON =
      Pattern.compile("(connections|applications|third-party-apps|library)/.*\\.json");

  private final String schemaName;
  private final Pattern pattern;

  /** Text every path of the kind contains: a cheap test before the pattern's. */
  private final String marker;

  FileKind(String schemaName, String regex, String marker) {
    this.schemaName = schemaName;
    this.pattern = Pattern.compile(regex);
    this.marker = marker;
  }

  /** The schema's name, e.g. "api" for schemas/api.schema.json; null for code files. */
  public String schemaName() {
    return schemaName;
  }

  public boolean isJson() {
    return schemaName != null;
  }

  /** The kind of the file at {@code path}, or null when the layout gives it no kind. */
  public static FileKind of(String path) {
    for (FileKind kind : ALL) {
      // the patterns run for every path: the marker spares most of them
      if (path.contains(kind.marker) && kind.pattern.matcher(path).matches()) {
        return kind;
      }
    }
    return null;
  }

  /**
   * The language of a code file (or of a code block's {@code file} reference), by its extension:
   * "python" for .py, else "javascript" (the layout's only other code extension). The bundle's
   * {@code Api.CodeBlock.language} and the code checks use these names.
   */
  public static String languageOf(String path) {
    return path.endsWith(".py") ? "python" : "javascript";
  }

  /**
   * Whether a file the layout gives no kind ({@link #of} is null: the caller has asked already) is
   * a JSON file inside the layout's folders (likely a mistake).
   */
  public static boolean isStrayJson(String pathWithoutKind) {
    return LAYOUT_JSON.matcher(pathWithoutKind).matches();
  }

  /** The id a file's name or folder gives it: an API file's name, a connection's folder, ... */
  public String idFromPath(String path) {
    Matcher m = pattern.matcher(path);
    if (!m.matches()) {
      return null;
    }
    return switch (this) {
      case CONNECTION, CODE -> m.group(2);
      case API -> m.group(3);
      case GRANTS, APPLICATION, THIRD_PARTY_APP, LIBRARY -> m.group(1);
      case ORGANIZATION, MEMBERS -> null;
    };
  }
}
