package dev.conduit.runtime.invoke;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link TokenStore} for one instance (tests, and a runtime without a shared database). */
public final class InMemoryTokenStore implements TokenStore {

  private final Map<String, StoredToken> tokens = new ConcurrentHashMap<>();
  private final Map<String, Instant> leases = new ConcurrentHashMap<>();
  private final Clock clock;

  public InMemoryTokenStore(Clock clock) {
    this.clock = clock;
  }

  private static String key(String org, String conn, String account) {
    return org + "\u0000" + conn + "\u0000" + account;
  }

  @Override
  public Optional<StoredToken> get(String org, String conn, String account) {
    return Optional.ofNullable(tokens.get(key(org, conn, account)));
  }

  @Override
  public void put(String org, String conn, String account, StoredToken token) {
    tokens.put(key(org, conn, account), token);
  }

  @Override
  public boolean tryLease(String org, String conn, String account, Duration lease) {
    Instant now = clock.instant();
    boolean[] won = {false};
    leases.compute(
        key(org, conn, account),
        (k, until) -> {
          if (until == null || !until.isAfter(now)) {
            won[0] = true;
            return now.plus(lease);
          }
          return until;
        });
    return won[0];
  }

  @Override
  public void releaseLease(String org, String conn, String account) {
    leases.remove(key(org, conn, account));
  }
}
