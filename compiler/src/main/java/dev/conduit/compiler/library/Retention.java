package dev.conduit.compiler.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which public library versions must stay: the newest of each entry, and every version that an
 * organization repository installs (its connections' installedFrom). The others may be pruned. The
 * library cannot know every repository in the world, so this is asked of the repositories one knows
 * (one's own, the examples, a fleet's checkouts).
 */
public final class Retention {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One version of one entry: the installs that pin it, and whether it may be pruned. */
  public record Version(
      String entry, String version, boolean newest, List<String> installedBy, boolean prunable) {}

  private Retention() {}

  /**
   * @param repos organization repositories (each with organization.json)
   * @throws IllegalArgumentException for a folder that is not one, or an unreadable connection
   */
  public static List<Version> of(PublicLibrary library, List<Path> repos) {
    Map<String, List<String>> installs = new LinkedHashMap<>();
    for (Path repo : repos) {
      if (!Files.isRegularFile(repo.resolve("organization.json"))) {
        throw new IllegalArgumentException(
            repo + " is not an organization repository (no organization.json)");
      }
      for (Path file : connections(repo)) {
        JsonNode c;
        try {
          c = JSON.readTree(Files.readString(file));
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException(file + " is not readable JSON (run conduit validate)");
        }
        JsonNode from = c.path("installedFrom");
        if ("public".equals(from.path("library").asString("public")) && from.has("entry")) {
          installs
              .computeIfAbsent(
                  from.path("entry").asString() + "@" + from.path("version").asString(),
                  k -> new ArrayList<>())
              .add(repo + "/connections/" + file.getParent().getFileName());
        }
      }
    }
    List<Version> out = new ArrayList<>();
    for (String entry : library.entries()) {
      List<String> versions = library.versions(entry);
      for (int i = 0; i < versions.size(); i++) {
        String v = versions.get(i);
        boolean newest = i == versions.size() - 1;
        List<String> by = installs.getOrDefault(entry + "@" + v, List.of());
        out.add(new Version(entry, v, newest, by, !newest && by.isEmpty()));
      }
    }
    return out;
  }

  /** Installs of entry versions the library does not have (C223 when that repository compiles). */
  public static List<String> missing(PublicLibrary library, List<Path> repos) {
    List<String> out = new ArrayList<>();
    for (Path repo : repos) {
      for (Path file : connections(repo)) {
        try {
          JsonNode from = JSON.readTree(Files.readString(file)).path("installedFrom");
          if ("public".equals(from.path("library").asString("public"))
              && from.has("entry")
              && library
                  .folder(from.path("entry").asString(), from.path("version").asString())
                  .isEmpty()) {
            out.add(
                repo
                    + "/connections/"
                    + file.getParent().getFileName()
                    + " installs "
                    + from.path("entry").asString()
                    + "@"
                    + from.path("version").asString()
                    + ", which the library does not have");
          }
        } catch (IOException | RuntimeException e) {
          // reported by of()
        }
      }
    }
    return out;
  }

  private static List<Path> connections(Path repo) {
    Path dir = repo.resolve("connections");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.resolve("connection.json"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage());
    }
  }
}
