package dev.conduit.runtime.accounts;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The account store as this server's call path sees it: everything passes through to the database
 * store, and {@link #current} keeps what a call needs (the account's state and allowed
 * applications, its decrypted tokens) in this server's memory for at most {@link #lifetime}, so a
 * call reads no row and decrypts nothing (docs/accounts.md, "The call path's cache").
 *
 * <p>Every write through this store forgets the account here at once (refresh, re-authorization,
 * rename, consent, removal, invalid_grant). Other servers write to the database, not to this
 * memory: they are noticed when the entry's lifetime ends, so a change made elsewhere takes effect
 * here within {@link #lifetime}. Plaintext tokens live only in this memory, never on disk.
 */
public final class AccountCache implements AccountStore {

  /**
   * Past this many entries, expired ones are swept out, and new ones not kept until there is room.
   */
  static final int MAX_ENTRIES = 10_000;

  /**
   * What a call needs of an account, as read at {@code loadedMs} (this server's clock).
   *
   * @param tokens null when the account has none, or they do not open
   */
  public record Entry(Account account, Account.Tokens tokens, long loadedMs) {}

  private final AccountStore store;
  private final Clock clock;
  private final long lifetimeMs;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** Counts this server's writes: a read that overlapped one is not kept (it may be older). */
  private final AtomicLong writes = new AtomicLong();

  /**
   * @param lifetime how long an entry may serve calls; zero keeps nothing (every call reads the
   *     database)
   */
  public AccountCache(AccountStore store, Clock clock, Duration lifetime) {
    this.store = store;
    this.clock = clock;
    this.lifetimeMs = Math.max(0, lifetime.toMillis());
  }

  /** The bound on how long a change made on another server goes unnoticed here. */
  public Duration lifetime() {
    return Duration.ofMillis(lifetimeMs);
  }

  /**
   * The account of a connection with its tokens, from memory while the entry is younger than the
   * lifetime, else from the database; empty when the connection has no such account.
   */
  public Optional<Entry> current(String organizationId, String connectionId, String accountId) {
    long now = clock.millis();
    Entry e = entries.get(accountId);
    if (e != null && fresh(e, now)) {
      Account a = e.account();
      // keyed by the account id, which the runtime chose; the organization and connection must
      // match too, so a call of another organization never sees this entry
      return a.organizationId().equals(organizationId) && a.connectionId().equals(connectionId)
          ? Optional.of(e)
          : Optional.empty();
    }
    long before = writes.get();
    Optional<Account> a = store.find(organizationId, connectionId, accountId);
    if (a.isEmpty()) {
      if (e != null) {
        entries.remove(accountId, e);
      }
      return Optional.empty(); // an unknown account is not remembered: nothing to forget later
    }
    Entry loaded = new Entry(a.get(), store.tokens(accountId).orElse(null), now);
    if (lifetimeMs > 0 && room(now)) {
      entries.put(accountId, loaded);
      // a write of this server between the read and the put may have forgotten the account
      // before the put: then the read may be older than the write, and is not kept
      if (writes.get() != before) {
        entries.remove(accountId, loaded);
      }
    }
    return Optional.of(loaded);
  }

  /**
   * The account alone, for the consent check before a call: like {@link #current}, which the call's
   * token step then finds in memory; with a lifetime of zero only the account's row is read (the
   * token step reads it again with its tokens, as before this cache).
   */
  public Optional<Account> account(String organizationId, String connectionId, String accountId) {
    return lifetimeMs == 0
        ? store.find(organizationId, connectionId, accountId)
        : current(organizationId, connectionId, accountId).map(Entry::account);
  }

  private boolean fresh(Entry e, long now) {
    long age = now - e.loadedMs();
    return age >= 0 && age < lifetimeMs; // a clock set back makes an entry stale, not immortal
  }

  private boolean room(long now) {
    if (entries.size() < MAX_ENTRIES) {
      return true;
    }
    entries.values().removeIf(e -> !fresh(e, now));
    return entries.size() < MAX_ENTRIES;
  }

  /** Forgets an account on this server, after its row was written. */
  private void forget(String accountId) {
    writes.incrementAndGet();
    entries.remove(accountId);
  }

  // reads and the state of connects in flight: passed through

  @Override
  public void begin(Pending pending) {
    store.begin(pending);
  }

  @Override
  public Taken take(String stateHash) {
    return store.take(stateHash);
  }

  @Override
  public int purgeExpired(long beforeMs) {
    return store.purgeExpired(beforeMs);
  }

  @Override
  public Optional<Account> find(String organizationId, String connectionId, String accountId) {
    return store.find(organizationId, connectionId, accountId);
  }

  @Override
  public List<Account> list(String organizationId, String connectionId, String member) {
    return store.list(organizationId, connectionId, member);
  }

  @Override
  public Optional<Account.Tokens> tokens(String accountId) {
    return store.tokens(accountId);
  }

  @Override
  public boolean tryLease(String accountId, Duration lease) {
    return store.tryLease(accountId, lease);
  }

  @Override
  public void releaseLease(String accountId) {
    store.releaseLease(accountId);
  }

  // writes: the account is forgotten here once its row is written

  @Override
  public void create(Account account, Account.Tokens tokens) {
    try {
      store.create(account, tokens);
    } finally {
      forget(account.id());
    }
  }

  @Override
  public boolean replaceTokens(String accountId, Account.Tokens tokens) {
    try {
      return store.replaceTokens(accountId, tokens);
    } finally {
      forget(accountId);
    }
  }

  @Override
  public boolean rename(String accountId, String name) {
    try {
      return store.rename(accountId, name);
    } finally {
      forget(accountId);
    }
  }

  @Override
  public boolean allow(String accountId, List<String> applications) {
    try {
      return store.allow(accountId, applications);
    } finally {
      forget(accountId);
    }
  }

  @Override
  public boolean delete(String accountId) {
    try {
      return store.delete(accountId);
    } finally {
      forget(accountId);
    }
  }

  @Override
  public void refreshed(String accountId, Account.Tokens tokens) {
    try {
      store.refreshed(accountId, tokens);
    } finally {
      forget(accountId);
    }
  }

  @Override
  public void needsReauthorization(String accountId) {
    try {
      store.needsReauthorization(accountId);
    } finally {
      forget(accountId);
    }
  }
}
