package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** applications/&lt;id&gt;.json */
@JsonIgnoreProperties("$schema")
public record ApplicationFile(
    String id,
    String name,
    String description,
    String owner,
    Credential credential,
    List<Use> uses) {

  public List<Use> usesOrEmpty() {
    return uses == null ? List.of() : uses;
  }

  /** Key and secret hash. */
  public record Credential(String key, String secretHash) {}

  /** A worksheet or workflow that uses an API. */
  public record Use(
      String kind, String name, String element, String link, String connection, String api) {}
}
