package dev.conduit.compiler.diff;

import dev.conduit.compiler.library.Installs.Install;
import dev.conduit.compiler.library.Names;
import dev.conduit.compiler.library.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The public library entry versions a change touches ({@code library/entries/<entry>/<version>/}),
 * each with the installs it reaches and whether they are affected. Versions coexist: a new version
 * leaves installs of the others alone (they may upgrade); an edit in place changes what the
 * installs of that version run at their next deploy, which is what versions exist to avoid; a
 * removed version stops its installs compiling.
 */
public final class PublicLibraryChanges {

  /** Where the public library's versions live in a checkout of Conduit. */
  public static final String PREFIX = "library/entries/";

  private PublicLibraryChanges() {}

  /**
   * @param base every file under {@link #PREFIX} in the base, by path, with its content hash
   * @param head the same in the head
   * @param installs the public library installs of the organization repositories one knows
   */
  public static List<Change> between(
      Map<String, String> base, Map<String, String> head, List<Install> installs) {
    Map<String, TreeSet<String>> touched = new TreeMap<>(); // entry@version -> changed files
    TreeSet<String> paths = new TreeSet<>(base.keySet());
    paths.addAll(head.keySet());
    for (String p : paths) {
      String[] parts = p.substring(PREFIX.length()).split("/", 3);
      if (parts.length == 3
          && Names.isVersion(parts[1])
          && !Objects.equals(base.get(p), head.get(p))) {
        String file =
            parts[2] + (!base.containsKey(p) ? " added" : !head.containsKey(p) ? " removed" : "");
        touched.computeIfAbsent(parts[0] + "@" + parts[1], k -> new TreeSet<>()).add(file);
      }
    }
    List<Change> out = new ArrayList<>();
    for (Map.Entry<String, TreeSet<String>> t : touched.entrySet()) {
      String entry = t.getKey().substring(0, t.getKey().indexOf('@'));
      String version = t.getKey().substring(entry.length() + 1);
      String folder = PREFIX + entry + "/" + version + "/library.json";
      if (!base.containsKey(folder)) {
        out.add(added(entry, version, versions(base, entry), installs));
      } else if (!head.containsKey(folder)) {
        out.add(removed(entry, version, installs));
      } else {
        out.add(edited(entry, version, t.getValue(), installs));
      }
    }
    return out;
  }

  private static Change added(
      String entry, String version, List<String> before, List<Install> installs) {
    List<String> details = new ArrayList<>();
    details.add(
        before.isEmpty()
            ? "a new entry"
            : "a new version of " + entry + " (there were: " + String.join(", ", before) + ")");
    for (Install i : installs) {
      if (i.entry().equals(entry)) {
        details.add(
            i.where()
                + " pins "
                + entry
                + "@"
                + i.version()
                + ": not affected (to move: conduit library upgrade "
                + i.connection()
                + " --to "
                + version
                + ")");
      }
    }
    if (details.size() == 1 && !before.isEmpty()) {
      details.add("no connection installs " + entry);
    }
    return new Change(
        Change.Kind.added, "public-library", entry + "@" + version, details, null, List.of());
  }

  private static Change removed(String entry, String version, List<Install> installs) {
    List<String> by = new ArrayList<>();
    for (Install i : installs) {
      if (i.entry().equals(entry) && i.version().equals(version)) {
        by.add(i.where());
      }
    }
    return new Change(
        Change.Kind.removed,
        "public-library",
        entry + "@" + version,
        by.isEmpty()
            ? List.of("no connection installs it")
            : by.stream().map(w -> "installed by " + w).toList(),
        by.isEmpty()
            ? null
            : "the version is removed but connections install it: they stop compiling (C223)"
                + " until upgraded",
        by);
  }

  /** An edit in place: which installs of this very version run something else now. */
  private static Change edited(
      String entry, String version, TreeSet<String> files, List<Install> installs) {
    List<String> details = new ArrayList<>();
    files.forEach(
        f -> details.add(f.endsWith(" added") || f.endsWith(" removed") ? f : f + " changed"));
    boolean settings =
        files.stream().anyMatch(f -> f.startsWith("connection.json") || f.startsWith("code/"));
    List<String> affected = new ArrayList<>();
    for (Install i : installs) {
      if (!i.entry().equals(entry) || !i.version().equals(version)) {
        continue;
      }
      List<String> apis =
          i.enabledApis().stream()
              .filter(a -> files.stream().anyMatch(f -> f.startsWith("apis/" + a + ".json")))
              .toList();
      String verdict;
      if (settings) {
        verdict = "affected: its auth, parameters, hosts or code change";
      } else if (!apis.isEmpty()) {
        verdict = "affected: APIs it enables change (" + String.join(", ", apis) + ")";
      } else {
        verdict = "not affected: it enables none of the changed APIs";
      }
      details.add(i.where() + " installs " + entry + "@" + version + ": " + verdict);
      if (verdict.startsWith("affected")) {
        affected.add(i.where());
      }
    }
    if (details.size() == files.size()) {
      details.add("no connection installs " + entry + "@" + version);
    }
    return new Change(
        Change.Kind.changed,
        "public-library",
        entry + "@" + version,
        details,
        affected.isEmpty()
            ? null
            : "the version is edited in place while connections install it: they run the edit at"
                + " their next deploy (publish a new version instead)",
        affected);
  }

  private static List<String> versions(Map<String, String> files, String entry) {
    TreeSet<String> out = new TreeSet<>(Versions.ORDER);
    String prefix = PREFIX + entry + "/";
    for (String p : files.keySet()) {
      if (!p.startsWith(prefix)) {
        continue;
      }
      String[] parts = p.substring(prefix.length()).split("/", 2);
      if (Names.isVersion(parts[0]) && parts.length == 2 && parts[1].equals("library.json")) {
        out.add(parts[0]);
      }
    }
    return new ArrayList<>(out);
  }
}
