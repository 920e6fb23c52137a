package dev.conduit.runtime.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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
  record Grant(
      String id,
      String appKey,
      String organizationId,
      String login,
      Instant createdAt,
      Instant revokedAt) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  /** An authorization code, by the hash of its value. */
  record Code(
      String hash,
      String grantId,
      String redirectUri,
      String codeChallenge,
      Instant expiresAt,
      boolean used) {}

  /** An access or refresh token, by the hash of its value. */
  record Token(
      String hash,
      Kind kind,
      String grantId,
      Instant expiresAt,
      Instant usedAt,
      Instant revokedAt) {
    public enum Kind {
      ACCESS,
      REFRESH
    }
  }

  /** A code or token together with the grant it belongs to (read in one round trip). */
  record OfGrant<T>(T value, Grant grant) {}

  /** Failed sign-ins of one login, for throttling. */
  record LoginFailures(int count, Instant firstAt, Instant lockedUntil) {}

  void saveGrant(Grant grant);

  Optional<Grant> grant(String id);

  /** Revokes a grant: its codes and tokens stop working. */
  void revokeGrant(String id, Instant at);

  void saveCode(Code code);

  /** Atomic: marks the code used and returns it as it was (used == true means a replay). */
  Optional<Code> useCode(String hash);

  /**
   * Atomic as {@link #useCode}, and the code's grant with it (empty when the code or its grant does
   * not exist). The database store answers in one round trip.
   */
  default Optional<OfGrant<Code>> useCodeOfGrant(String hash) {
    return useCode(hash).flatMap(c -> grant(c.grantId()).map(g -> new OfGrant<>(c, g)));
  }

  /**
   * Redeems a code: as {@link #useCodeOfGrant}, and in the same transaction saves the tokens that
   * {@code issue} gives for the code as found (none when it gives an empty list: a refusal), so an
   * exchange commits once. {@code issue} runs inside the transaction: it must not touch the store,
   * and it may run more than once (a store that shares a commit between concurrent redeems runs it
   * again when a batch is retried), so it may only compute and overwrite.
   */
  default Optional<OfGrant<Code>> redeemCode(
      String hash, Function<OfGrant<Code>, List<Token>> issue) {
    Optional<OfGrant<Code>> used = useCodeOfGrant(hash);
    used.map(issue)
        .filter(tokens -> !tokens.isEmpty())
        .ifPresent(tokens -> tokens.forEach(this::saveToken));
    return used;
  }

  void saveToken(Token token);

  /** The two tokens of one issue, stored together: both or neither. */
  default void saveTokens(Token access, Token refresh) {
    saveToken(access);
    saveToken(refresh);
  }

  Optional<Token> token(String hash);

  /** A token and its grant (empty when either does not exist), in one round trip where possible. */
  default Optional<OfGrant<Token>> tokenOfGrant(String hash) {
    return token(hash).flatMap(t -> grant(t.grantId()).map(g -> new OfGrant<>(t, g)));
  }

  /** Atomic: marks a refresh token used; false when it was used already (a reuse). */
  boolean useRefreshToken(String hash, Instant at);

  /**
   * Atomic rotation: marks a refresh token used and stores its successors, both or neither; false
   * (and nothing stored) when it was used already (a reuse).
   */
  default boolean rotateRefreshToken(String hash, Instant at, Token access, Token refresh) {
    if (!useRefreshToken(hash, at)) {
      return false;
    }
    saveTokens(access, refresh);
    return true;
  }

  void revokeToken(String hash, Instant at);

  Optional<LoginFailures> loginFailures(String login);

  void saveLoginFailures(String login, LoginFailures failures);

  void clearLoginFailures(String login);
}
