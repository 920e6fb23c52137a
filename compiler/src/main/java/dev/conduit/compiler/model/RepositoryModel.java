package dev.conduit.compiler.model;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every file of a repository bound to its record, grouped the way the layout groups them. A file
 * that failed to parse or to pass its schema is absent here and listed in {@link #broken}, so later
 * phases can stay quiet about references to it instead of piling up follow-on errors.
 */
public final class RepositoryModel {

  /**
   * A connection folder (connections/&lt;id&gt;) or a library entry folder (library/&lt;id&gt;).
   */
  public static final class Folder {
    public final String id;

    /** "connections/&lt;id&gt;" or "library/&lt;id&gt;". */
    public final String path;

    public Located<ConnectionFile> connection;
    public Located<GrantsFile> grants;
    public Located<LibraryFile> manifest;
    public final Map<String, Located<ApiFile>> apis = new TreeMap<>();

    public Folder(String id, String path) {
      this.id = id;
      this.path = path;
    }
  }

  public Located<OrganizationFile> organization;
  public Located<MembersFile> members;
  public final Map<String, Folder> connections = new TreeMap<>();
  public final Map<String, Folder> library = new TreeMap<>();

  /** Public library entries the repository installs, by {@link #publicKey}. */
  public final Map<String, Folder> publicLibrary = new TreeMap<>();

  public final Map<String, Located<ApplicationFile>> applications = new TreeMap<>();
  public final Map<String, Located<ThirdPartyAppFile>> thirdPartyApps = new TreeMap<>();

  /** Code files by repository path. */
  public final Map<String, String> code = new TreeMap<>();

  /** Every path in the repository (for logo files and the like). */
  public final Set<String> paths = new HashSet<>();

  /** Paths of JSON files that did not parse or did not pass their schema. */
  public final Set<String> broken = new HashSet<>();

  public Folder connectionFolder(String id) {
    return connections.computeIfAbsent(id, k -> new Folder(k, "connections/" + k));
  }

  public Folder libraryFolder(String id) {
    return library.computeIfAbsent(id, k -> new Folder(k, "library/" + k));
  }

  /** The key of one version of a public library entry: "entry@version". */
  public static String publicKey(String entry, String version) {
    return entry + "@" + version;
  }

  /**
   * The library entry folder an installed connection uses: the organization's own entry, or the
   * installed version of a public one. Null when it is missing (reported elsewhere).
   */
  public Folder entryFor(ConnectionFile.InstalledFrom from) {
    return "public".equals(from.libraryOrDefault())
        ? publicLibrary.get(publicKey(from.entry(), from.version()))
        : library.get(from.entry());
  }

  /** Whether the file at {@code path} exists but is broken (so references to it stay quiet). */
  public boolean isBroken(String path) {
    return broken.contains(path);
  }
}
