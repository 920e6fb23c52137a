package dev.conduit.runtime.auth;

import dev.conduit.runtime.identity.Secrets;
import dev.conduit.runtime.registry.BundleRegistry;

/**
 * Authenticates applications by their key and secret (HTTP Basic). The key finds the application
 * and its organization; the secret is checked against its SHA-256 in constant time. These are not
 * people: they never touch the user registry.
 */
public final class Applications {
  private Applications() {}

  public static BundleRegistry.Hit authenticate(BundleRegistry registry, String authorization)
      throws Unauthorized {
    BasicCredentials c =
        BasicCredentials.parse(authorization)
            .orElseThrow(
                () ->
                    new Unauthorized(401, "send the application's key and secret with HTTP Basic"));
    var hit = registry.application(c.user());
    boolean ok =
        Secrets.matches(
            c.password(),
            hit.map(h -> h.application().credential().secretHash())
                .orElse("sha256:0000000000000000000000000000000000000000000000000000000000000000"));
    if (hit.isEmpty() || !ok) {
      throw new Unauthorized(401, "the application key or secret is wrong");
    }
    return hit.get();
  }
}
