package dev.conduit.compiler.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** organization.json */
@JsonIgnoreProperties("$schema")
public record OrganizationFile(
    String id, String name, String description, List<String> admins, Sealing sealing) {

  /** The runtime's public sealing key. */
  public record Sealing(String publicKey, String keyId) {}
}
