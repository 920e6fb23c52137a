package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.conduit.bundle.Auth;
import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * connections/&lt;id&gt;/connection.json, or a library entry's connection template.
 *
 * @param auth bound once to the bundle's typed auth, defaults filled in ({@link AuthReader}); null
 *     when the file has none (an installed connection takes its template's)
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
    @JsonDeserialize(using = AuthReader.Binding.class) Auth auth,
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
