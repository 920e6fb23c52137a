package dev.conduit.runtime.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the identity provider keeps its state. Implementations: {@link InMemoryIdentityStore}
 * (tests) and the database store of the server (shared by every runtime instance, surviving
 * restarts). Codes and tokens arrive here already hashed; nothing here ever sees one in clear.
 *
 * <p>Operations marked atomic must be atomic across instances (a replayed code used on two
 * instances at once must still count as a replay on one of them).
 */
public interface IdentityStore {

  /**
   * A user's authorization of a third-party application. Every code and token belongs to one;
   * revoking it revokes all of them.
   */
  record Grant(String id, String appKey, String organizationId, String login, Instant createdAt,
      Instant revokedAt) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  /** An authorization code, by the hash of its value. */
  record Code(String hash, String grantId, String redirectUri, String codeChallenge,
      Instant expiresAt, boolean used) {}

  /** An access or refresh token, by the hash of its value. */
  record Token(String hash, Kind kind, String grantId, Instant expiresAt, Instant usedAt,
      Instant revokedAt) {
    public enum Kind {
      ACCESS,
      REFRESH
    }
  }

  /** Failed sign-ins of one login, for throttling. */
  record LoginFailures(int count, Instant firstAt, Instant lockedUntil) {}

  void saveGrant(Grant grant);

  Optional<Grant> grant(String id);

  /** Revokes a grant: its codes and tokens stop working. */
  void revokeGrant(String id, Instant at);

  void saveCode(Code code);

  /** Atomic: marks the code used and returns it as it was (used == true means a replay). */
  Optional<Code> useCode(String hash);

  void saveToken(Token token);

  Optional<Token> token(String hash);

  /** Atomic: marks a refresh token used; false when it was used already (a reuse). */
  boolean useRefreshToken(String hash, Instant at);

  void revokeToken(String hash, Instant at);

  Optional<LoginFailures> loginFailures(String login);

  void saveLoginFailures(String login, LoginFailures failures);

  void clearLoginFailures(String login);
}
