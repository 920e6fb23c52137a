package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** library/&lt;entry&gt;/library.json: the manifest of a library entry. */
@JsonIgnoreProperties("$schema")
public record LibraryFile(
    String id,
    String version,
    String name,
    String summary,
    List<String> categories,
    Guide guide,
    Publisher publisher,
    Source source) {

  /** The usage guide. */
  public record Guide(
      String productIntroduction,
      String officialWebsite,
      String integrationOverview,
      String apiDocumentation,
      String contact) {}

  /** Who publishes the entry. */
  public record Publisher(String name, String login) {}

  /** Where a public entry's endpoints come from: a machine-readable definition or a cited page. */
  public record Source(String kind, String definition, String url, String note) {}
}
