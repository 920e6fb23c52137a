package dev.conduit.bundle;

import java.util.List;

/**
 * An OAuth 2.0 client of the identity provider (seed 001's third-party application).
 *
 * @param secretHash {@code sha256:<hex>} of the App Secret
 * @param redirectUris exact callback addresses
 */
public record ThirdPartyApp(
    String id,
    String name,
    String description,
    String homepage,
    String owner,
    String appKey,
    String secretHash,
    List<String> redirectUris) {

  public ThirdPartyApp {
    redirectUris = List.copyOf(redirectUris);
  }
}
