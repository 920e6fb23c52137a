package dev.conduit.runtime.invoke;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where access tokens of OAuth 2.0 connections are shared between runtime instances, so that
 * several instances behind a load balancer use one token per connection and refresh it one at a
 * time. {@link InMemoryTokenStore} serves one instance; the database-backed store serves many.
 *
 * <h2>Keys</h2>
 *
 * A token is keyed by (organization, connection, account). The account is {@link
 * TokenManager#CONNECTION_ACCOUNT} ({@code ""}) for a client-credentials connection (one token
 * shared by all its APIs and callers) and the user's account for an authorization-code connection
 * (one token per user). Keys of different organizations never meet.
 *
 * <h2>The contract every implementation keeps</h2>
 *
 * <ol>
 *   <li>{@link #get} returns the token last {@link #put} for the key by any instance, with its
 *       expiry, or empty. It never returns a token it cannot read (sealed with another key, say):
 *       empty makes the caller fetch a new one. It need not check expiry; the caller does.
 *   <li>{@link #put} replaces the key's token and expiry; the last put wins. It is visible to
 *       {@link #get} of every instance as soon as it returns.
 *   <li>{@link #tryLease} is atomic across all instances: it returns true to exactly one caller
 *       while the key's lease is free, then false to everyone until the lease is released or its
 *       duration has passed (by the store's clock). A lease that is never released (an instance
 *       that died) therefore frees itself.
 *   <li>{@link #releaseLease} frees the key's lease (whoever holds it; only the holder calls it).
 *       Releasing a free lease does nothing.
 *   <li>Token values are secrets: kept in memory, or encrypted (e.g. sealed to the runtime's own
 *       key) wherever they are written; never in plaintext on disk or in logs.
 *   <li>Every method is safe to call from many threads, and fails only by throwing an unchecked
 *       exception (the database is down); the engine then answers TOKEN_REQUEST_FAILED.
 * </ol>
 *
 * <h2>How {@link TokenManager} uses it</h2>
 *
 * A call whose instance has no usable token (none cached, or expiring within refreshBeforeSeconds,
 * or the one the upstream just called expired) reads {@link #get}; if the shared token is usable it
 * takes it. Otherwise it asks {@link #tryLease} for {@link TokenManager#LEASE} (longer than the
 * token request's own timeout): the winner reads {@link #get} once more (the previous holder may
 * just have stored one), fetches a token from the token endpoint, {@link #put}s it and releases the
 * lease. The others poll {@link #get} every few milliseconds until the winner's token appears, and
 * try the lease again on each poll, so that when the holder gives up (its request failed and it
 * released the lease) one of them fetches at once instead of waiting for the lease to run out.
 * Inside one instance, only one call per key does this at a time (single flight); the rest wait for
 * its result.
 */
public interface TokenStore {

  /** A token and when it stops being valid. */
  record StoredToken(String value, Instant expiresAt) {}

  /** The key's token, as last stored by any instance; empty when none (or unreadable). */
  Optional<StoredToken> get(String organization, String connection, String account);

  /** Stores the key's token for every instance, replacing the previous one. */
  void put(String organization, String connection, String account, StoredToken token);

  /**
   * Takes the key's refresh lease for {@code lease} if it is free (never taken, released, or
   * expired); atomic across instances.
   *
   * @return true when this caller now holds the lease
   */
  boolean tryLease(String organization, String connection, String account, Duration lease);

  /** Frees the key's refresh lease. */
  void releaseLease(String organization, String connection, String account);
}
