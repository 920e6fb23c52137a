package dev.conduit.compiler.library;

import dev.conduit.bundle.Auth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the public library offers: entries' manifests, searched and shown. */
public final class Catalog {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One version of an entry as the library lists it. */
  public record Entry(
      String id,
      String version,
      List<String> versions,
      String name,
      String summary,
      List<String> categories,
      String authKind,
      List<Parameter> parameters,
      List<Api> apis,
      JsonNode guide,
      JsonNode source,
      Path folder) {}

  /** A parameter the installer fills in. */
  public record Parameter(
      String name, String label, String description, boolean hidden, boolean required) {}

  /** A template API. */
  public record Api(
      String id, String name, String description, String method, String url, JsonNode definition) {}

  private final PublicLibrary library;

  public Catalog(PublicLibrary library) {
    this.library = library;
  }

  /**
   * The newest version of every entry whose id, name, summary or categories contain {@code text}.
   */
  public List<Entry> search(String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    List<Entry> found = new ArrayList<>();
    for (String id : library.entries()) {
      Optional<String> latest = library.latest(id);
      if (latest.isEmpty()) {
        continue;
      }
      JsonNode m = manifest(library.folder(id, latest.get()).orElseThrow());
      String hay =
          (id
                  + " "
                  + m.path("name").asString("")
                  + " "
                  + m.path("summary").asString("")
                  + " "
                  + m.path("categories").toString())
              .toLowerCase(Locale.ROOT);
      if (hay.contains(t)) {
        found.add(
            new Entry(
                id,
                latest.get(),
                library.versions(id),
                m.path("name").asString(""),
                m.path("summary").asString(""),
                strings(m.path("categories")),
                null,
                List.of(),
                List.of(),
                m.path("guide"),
                m.path("source"),
                null));
      }
    }
    return found;
  }

  /**
   * One entry in full ({@code ENTRY} or {@code ENTRY@VERSION}; the newest when no version).
   *
   * @throws IllegalArgumentException naming the unknown entry or version
   */
  public Entry show(String ref) {
    String id = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
    List<String> versions = library.versions(id);
    if (versions.isEmpty()) {
      List<String> near =
          search(id.length() > 3 ? id.substring(0, 3) : id).stream()
              .map(Entry::id)
              .limit(5)
              .toList();
      throw new IllegalArgumentException(
          "the public library has no entry \""
              + id
              + "\""
              + (near.isEmpty() ? "" : " (similar: " + String.join(", ", near) + ")"));
    }
    String version =
        ref.contains("@") ? ref.substring(ref.indexOf('@') + 1) : versions.get(versions.size() - 1);
    Path folder =
        library
            .folder(id, version)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the public library entry \""
                            + id
                            + "\" has no version "
                            + version
                            + " (versions: "
                            + String.join(", ", versions)
                            + ")"));
    JsonNode m = manifest(folder);
    JsonNode c = read(folder.resolve("connection.json"));
    List<Parameter> params = new ArrayList<>();
    for (JsonNode p : c.path("parameters")) {
      params.add(
          new Parameter(
              p.path("name").asString(),
              p.path("label").asString(null),
              p.path("description").asString(null),
              p.path("hidden").asBoolean(false),
              p.path("required").asBoolean(false)));
    }
    List<Api> apis = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder.resolve("apis"))) {
      for (Path f : files.sorted().toList()) {
        JsonNode a = read(f);
        apis.add(
            new Api(
                a.path("id").asString(),
                a.path("name").asString(),
                a.path("description").asString(""),
                a.path("request").path("method").asString(),
                a.path("request").path("url").asString(),
                a));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read " + folder.resolve("apis") + ": " + e.getMessage(), e);
    }
    return new Entry(
        id,
        version,
        versions,
        m.path("name").asString(""),
        m.path("summary").asString(""),
        strings(m.path("categories")),
        c.path("auth").path("type").asString(Auth.None.TYPE),
        params,
        apis,
        m.path("guide"),
        m.path("source"),
        folder);
  }

  private static JsonNode manifest(Path folder) {
    return read(folder.resolve("library.json"));
  }

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }
}
