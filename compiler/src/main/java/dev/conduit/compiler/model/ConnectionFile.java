package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * connections/&lt;id&gt;/connection.json, or a library entry's connection template.
 *
 * @param auth kept as JSON: its shape depends on its type; the resolver reads it
 */
@JsonIgnoreProperties("$schema")
public record ConnectionFile(
    String id,
    String name,
    String description,
    String logo,
    String owner,
    Notifications notifications,
    List<String> allowedHosts,
    Boolean allowPrivateNetwork,
    List<ParameterEntry> parameters,
    JsonNode auth,
    InstalledFrom installedFrom,
    List<String> enabledApis) {

  public List<ParameterEntry> parametersOrEmpty() {
    return parameters == null ? List.of() : parameters;
  }

  /** Error alerts. */
  public record Notifications(
      Boolean onError,
      Integer minIntervalMinutes,
      String webhookUrl,
      String webhookSecretParameter) {}

  /** A connection parameter as written. */
  public record ParameterEntry(
      String name,
      String label,
      String description,
      Boolean hidden,
      Boolean required,
      Object value,
      String sealed) {
    public boolean isHidden() {
      return Boolean.TRUE.equals(hidden);
    }
  }

  /** The library entry an installed connection uses. */
  public record InstalledFrom(String entry, String version, String library) {
    public String libraryOrDefault() {
      return library == null ? "organization" : library;
    }
  }
}
