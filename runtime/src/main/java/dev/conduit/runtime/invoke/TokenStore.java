package dev.conduit.runtime.invoke;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where access tokens of OAuth 2.0 connections are shared between runtime instances, so that
 * several instances behind a load balancer refresh a connection's token one at a time.
 *
 * <p>A token is keyed by organization, connection and account ("" for a client-credentials
 * connection, the user's login for an authorization-code connection). The contract:
 * <ul>
 *   <li>{@link #get} returns the last token any instance stored, or empty;
 *   <li>{@link #tryLease} is atomic across instances: at most one caller holds a key's lease
 *       until it expires or is released; the holder fetches a new token and {@link #put}s it;
 *   <li>callers that do not get the lease wait for the holder's token (polling {@link #get}) and
 *       fetch one themselves only when the lease expires without one.
 * </ul>
 * Implementations keep token values encrypted or in memory; never in plaintext on disk.
 */
public interface TokenStore {

  /** A token and when it stops being valid. */
  record StoredToken(String value, Instant expiresAt) {}

  Optional<StoredToken> get(String organization, String connection, String account);

  void put(String organization, String connection, String account, StoredToken token);

  /** Takes the refresh lease for a while; true when this caller holds it. */
  boolean tryLease(String organization, String connection, String account, Duration lease);

  void releaseLease(String organization, String connection, String account);
}
