package dev.conduit.runtime.accounts;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts and authorization requests in flight are kept, shared by every runtime instance
 * (the database). Token values are plaintext on this interface and encrypted by the implementation
 * (sealed to the runtime's own key: store/SecretsAtRest) wherever it writes them.
 *
 * <p>Every method is atomic on its own: a connect writes the account and its tokens in one
 * statement (no partial account), a refresh stores the access token with its rotated refresh token
 * in one statement, and {@link #tryLease} lets exactly one caller of any instance refresh an
 * account at a time.
 */
public interface AccountStore {

  /** An authorization request in flight, found by the hash of its state. */
  record Pending(
      String stateHash,
      String organizationId,
      String connectionId,
      String member,
      String accountId,
      boolean reauthorize,
      String name,
      List<String> applications,
      String verifier,
      long expiresMs) {
    @Override
    public String toString() {
      return "Pending["
          + organizationId
          + "/"
          + connectionId
          + " by "
          + member
          + "]"; // never the verifier
    }
  }

  /** What taking a state found. */
  sealed interface Taken {
    record Found(Pending pending) implements Taken {}

    /** No request has this state. */
    record Unknown() implements Taken {}

    /** The state was already used once. */
    record Reused() implements Taken {}
  }

  void begin(Pending pending);

  /** Marks the request used (once, across instances) and returns it. */
  Taken take(String stateHash);

  /** Drops requests that expired before {@code beforeMs}. */
  int purgeExpired(long beforeMs);

  /** Writes a new account with its tokens in one statement. */
  void create(Account account, Account.Tokens tokens);

  /** Gives an existing account new tokens (re-authorization), active again, lease freed. */
  boolean replaceTokens(String accountId, Account.Tokens tokens);

  Optional<Account> find(String organizationId, String connectionId, String accountId);

  /** The connection's accounts, of one member or (member null) of everyone, oldest first. */
  List<Account> list(String organizationId, String connectionId, String member);

  boolean rename(String accountId, String name);

  boolean allow(String accountId, List<String> applications);

  boolean delete(String accountId);

  /** The account's tokens; empty when it has none or they cannot be opened. */
  Optional<Account.Tokens> tokens(String accountId);

  /** Takes the account's refresh lease if it is free; true for exactly one caller. */
  boolean tryLease(String accountId, Duration lease);

  void releaseLease(String accountId);

  /**
   * Stores a refreshed access token with its (possibly rotated) refresh token and frees the lease.
   */
  void refreshed(String accountId, Account.Tokens tokens);

  /** The provider refused the refresh token: the account needs re-authorization, lease freed. */
  void needsReauthorization(String accountId);
}
