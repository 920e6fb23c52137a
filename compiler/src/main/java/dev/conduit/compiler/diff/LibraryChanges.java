package dev.conduit.compiler.diff;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The organization library entries a change touches ({@code library/<entry>/...}), each with the
 * installs it affects: an edit to an entry reaches every connection installed from it, so the pull
 * request names them.
 */
public final class LibraryChanges {
  private LibraryChanges() {}

  /**
   * @param base every file under library/ in the base, by path, with its content hash
   * @param head the same in the head
   * @param installs the head's bundle (its installed connections)
   */
  public static List<Change> between(
      Map<String, String> base, Map<String, String> head, Bundle installs) {
    TreeSet<String> touched = new TreeSet<>();
    TreeSet<String> paths = new TreeSet<>(base.keySet());
    paths.addAll(head.keySet());
    for (String p : paths) {
      if (!Objects.equals(base.get(p), head.get(p))) {
        touched.add(entryOf(p));
      }
    }
    List<Change> out = new ArrayList<>();
    for (String entry : touched) {
      boolean before = base.keySet().stream().anyMatch(p -> entryOf(p).equals(entry));
      boolean after = head.keySet().stream().anyMatch(p -> entryOf(p).equals(entry));
      List<String> details = new ArrayList<>();
      for (Connection c : installs.connections()) {
        Connection.InstalledFrom from = c.installedFrom();
        if (from != null && "organization".equals(from.library()) && entry.equals(from.entry())) {
          details.add(
              "installed by connections/"
                  + c.id()
                  + " ("
                  + from.entry()
                  + "@"
                  + from.version()
                  + ")");
        }
      }
      if (details.isEmpty()) {
        details.add("no connection installs it");
      }
      out.add(
          new Change(
              !before ? Change.Kind.added : !after ? Change.Kind.removed : Change.Kind.changed,
              "library",
              entry,
              details,
              !after && details.getFirst().startsWith("installed by")
                  ? "the entry is removed but connections install it"
                  : null,
              !after ? details : List.of()));
    }
    return out;
  }

  private static String entryOf(String path) {
    String rest = path.substring("library/".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
