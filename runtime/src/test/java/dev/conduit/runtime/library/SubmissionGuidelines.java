package dev.conduit.runtime.library;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The seed's submission guidelines, as the public library holds them beyond what the schema and the
 * compiler's checks already enforce: a logo, where the endpoints come from (a definition or a cited
 * documentation page), at least one API, every API described.
 */
final class SubmissionGuidelines {
  private SubmissionGuidelines() {}

  static List<String> check(String name, Path version) throws Exception {
    List<String> p = new ArrayList<>();
    JsonNode manifest =
        Expectation.JSON.readTree(Files.readString(version.resolve("library.json")));
    JsonNode connection =
        Expectation.JSON.readTree(Files.readString(version.resolve("connection.json")));
    String logo = connection.path("logo").asString("");
    if (logo.isEmpty()
        || (!logo.startsWith("https://") && !Files.isRegularFile(version.resolve(logo)))) {
      p.add(name + ": no logo (connection.json logo: an https URL or a file next to it)");
    }
    JsonNode source = manifest.path("source");
    if (!("apis.guru".equals(source.path("kind").asString("")) && source.hasNonNull("definition"))
        && !("documentation".equals(source.path("kind").asString(""))
            && source.hasNonNull("url"))) {
      p.add(
          name
              + ": library.json source must name the APIs.guru definition or cite the documentation page");
    }
    if (!version.getFileName().toString().equals(manifest.path("version").asString())) {
      p.add(name + ": library.json version differs from its folder");
    }
    try (Stream<Path> apis = Files.list(version.resolve("apis"))) {
      List<Path> files = apis.toList();
      if (files.isEmpty()) {
        p.add(name + ": no APIs");
      }
      for (Path f : files) {
        JsonNode api = Expectation.JSON.readTree(Files.readString(f));
        if (api.path("description").asString("").isBlank()) {
          p.add(name + " " + f.getFileName() + ": no description");
        }
      }
    }
    return p;
  }
}
