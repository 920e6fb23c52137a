package dev.conduit.bundle;

import java.util.List;

/**
 * An internal application: it invokes APIs with its key and secret (HTTP Basic).
 *
 * @param uses where it uses APIs: the usage references
 */
public record Application(
    String id,
    String name,
    String description,
    String owner,
    Credential credential,
    List<Usage> uses) {

  public Application {
    uses = List.copyOf(uses);
  }

  /**
   * An application's credential.
   *
   * @param secretHash {@code sha256:<hex>} of the secret; the secret itself is never stored
   */
  public record Credential(String key, String secretHash) {}

  /**
   * One use of an API by a worksheet or workflow.
   *
   * @param kind worksheet or workflow
   * @param element the field, control event or node, may be null
   * @param link the configuration page, may be null
   */
  public record Usage(
      String kind, String name, String element, String link, String connection, String api) {}
}
