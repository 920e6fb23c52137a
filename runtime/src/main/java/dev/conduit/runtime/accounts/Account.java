package dev.conduit.runtime.accounts;

import java.time.Instant;
import java.util.List;

/**
 * One person's grant at the provider of an authorization-code connection: the member who connected
 * it, the name they see, its state, and the applications they allowed to use it. Its tokens are
 * kept apart ({@link Tokens}) and never leave the store in plaintext.
 *
 * @param expiresAt when the access token expires, or null when the account has none
 */
public record Account(
    String id,
    String organizationId,
    String connectionId,
    String member,
    String name,
    State state,
    List<String> applications,
    Instant expiresAt,
    Instant createdAt) {

  /** What an account can do now. */
  public enum State {
    /** Its tokens work, or can be refreshed. */
    ACTIVE,
    /** The provider refused its refresh token (invalid_grant): the member must connect again. */
    NEEDS_REAUTHORIZATION
  }

  /** Whether the member allowed this application to use the account. */
  public boolean allows(String applicationId) {
    return applications.contains(applicationId);
  }

  /** An account's tokens, plaintext in memory only; the refresh token may be absent. */
  public record Tokens(String accessToken, String refreshToken, Instant expiresAt) {
    @Override
    public String toString() {
      return "Tokens[expiresAt=" + expiresAt + "]"; // never the values
    }
  }
}
