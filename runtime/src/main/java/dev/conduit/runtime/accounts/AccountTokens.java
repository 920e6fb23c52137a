package dev.conduit.runtime.accounts;

import dev.conduit.runtime.invoke.AccountTokenSource;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant.GrantException;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.Exchange;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.TokenManager.Fetched;
import dev.conduit.runtime.invoke.TokenManager.TokenException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Access tokens of accounts, refreshed when needed: {@code refreshBeforeSeconds} before they
 * expire, and when the upstream calls the current one expired (the connection's tokenExpired rule,
 * which the invoke engine applies). One refresh per account at a time across instances: the store's
 * lease (a conditional UPDATE) picks the instance that refreshes; the others wait for its tokens. A
 * rotated refresh token is stored in the same statement as its access token. A refresh answered
 * invalid_grant marks the account as needing re-authorization. A call takes the account and its
 * token from {@link AccountCache} (this server's memory) while they are fresh and usable.
 */
public final class AccountTokens implements AccountTokenSource {

  private static final Logger LOG = Logger.getLogger(AccountTokens.class.getName());

  /** Longer than the token request's own timeout, so one holder at a time. */
  static final Duration LEASE = Duration.ofSeconds(15);

  private static final long POLL_MILLIS = 25;

  private final AccountCache store;
  private final AuthorizationCodeGrant grant;
  private final Links links;
  private final Clock clock;
  private final Consumer<Account> onNeedsReauthorization;

  /**
   * @param store the accounts as this server's calls see them; a refresh reads and writes through
   *     it to the database (so this server forgets the old tokens at once)
   */
  public AccountTokens(
      AccountCache store,
      AuthorizationCodeGrant grant,
      Links links,
      Clock clock,
      Consumer<Account> onNeedsReauthorization) {
    this.store = store;
    this.grant = grant;
    this.links = links;
    this.clock = clock;
    this.onNeedsReauthorization = onNeedsReauthorization;
  }

  @Override
  public Fetched token(PreparedConnection c, String accountId, String stale) throws TokenException {
    // this server's memory while the entry is young: no row read, no decryption (AccountCache)
    AccountCache.Entry e =
        store
            .current(c.organizationId(), c.id(), accountId)
            .orElseThrow(
                () ->
                    TokenException.of(
                        ErrorCode.ACCOUNT_NOT_AUTHORIZED,
                        "the connection \""
                            + c.id()
                            + "\" has no account \""
                            + accountId
                            + "\": connect one at "
                            + links.connectPage(c.organizationId(), c.id()),
                        Exchange.NONE));
    Account a = e.account();
    if (a.state() == Account.State.NEEDS_REAUTHORIZATION) {
      throw needsReauthorization(c, a);
    }
    Account.Tokens t = e.tokens();
    if (t != null && usable(c, t, stale)) {
      return new Fetched(t.accessToken(), null, t.expiresAt());
    }
    return refresh(c, a, stale, false);
  }

  /** A new access token whatever the current one's expiry (the "refresh now" button). */
  public Fetched refreshNow(PreparedConnection c, Account a) throws TokenException {
    if (a.state() == Account.State.NEEDS_REAUTHORIZATION) {
      throw needsReauthorization(c, a);
    }
    return refresh(c, a, null, true);
  }

  private Fetched refresh(PreparedConnection c, Account a, String stale, boolean force)
      throws TokenException {
    Optional<Account.Tokens> before = store.tokens(a.id());
    boolean leased = store.tryLease(a.id(), LEASE);
    long deadline = System.nanoTime() + LEASE.toNanos();
    while (!leased && System.nanoTime() < deadline) {
      // another instance (or call) refreshes: wait for its tokens; take over if it gives up
      sleep();
      Optional<Account.Tokens> now = store.tokens(a.id());
      if (now.isPresent() && !now.equals(before) && usable(c, now.get(), stale)) {
        return new Fetched(now.get().accessToken(), null, now.get().expiresAt());
      }
      if (now.isEmpty()
          && store
              .find(c.organizationId(), c.id(), a.id())
              .map(x -> x.state() == Account.State.NEEDS_REAUTHORIZATION)
              .orElse(true)) {
        throw needsReauthorization(c, a);
      }
      leased = store.tryLease(a.id(), LEASE);
    }
    if (!leased) {
      throw TokenException.of(
          ErrorCode.TOKEN_REQUEST_FAILED,
          "another instance is refreshing the account \""
              + a.id()
              + "\" and did not finish in "
              + LEASE.toSeconds()
              + " s",
          Exchange.NONE);
    }
    boolean release = true;
    try {
      Optional<Account.Tokens> current = store.tokens(a.id());
      if (current.isPresent() && !current.equals(before) && usable(c, current.get(), stale)) {
        return new Fetched(
            current.get().accessToken(), null, current.get().expiresAt()); // refreshed meanwhile
      }
      if (!force && current.isPresent() && usable(c, current.get(), stale)) {
        return new Fetched(current.get().accessToken(), null, current.get().expiresAt());
      }
      String refreshToken = current.map(Account.Tokens::refreshToken).orElse(null);
      if (refreshToken == null) {
        throw TokenException.of(
            ErrorCode.ACCOUNT_NOT_AUTHORIZED,
            "the access token of the account \""
                + a.id()
                + "\" expired and the provider gave no refresh token: authorize it again at "
                + links.connectPage(c.organizationId(), c.id()),
            Exchange.NONE);
      }
      AuthorizationCodeGrant.Granted g;
      try {
        g = grant.refresh(c, refreshToken);
      } catch (GrantException e) {
        if (e.kind() == GrantException.Kind.INVALID_GRANT) {
          store.needsReauthorization(a.id());
          release = false;
          LOG.warning(
              "account "
                  + a.id()
                  + " of "
                  + c.organizationId()
                  + "/"
                  + c.id()
                  + " needs re-authorization: "
                  + e.getMessage());
          onNeedsReauthorization.accept(a);
          throw needsReauthorization(c, a);
        }
        throw TokenException.of(
            ErrorCode.TOKEN_REQUEST_FAILED,
            "refreshing the account \"" + a.id() + "\" failed: " + e.getMessage(),
            Exchange.NONE);
      }
      store.refreshed(a.id(), new Account.Tokens(g.accessToken(), g.refreshToken(), g.expiresAt()));
      release = false;
      LOG.fine("account " + a.id() + " refreshed");
      return new Fetched(g.accessToken(), Exchange.NONE, g.expiresAt());
    } finally {
      if (release) {
        store.releaseLease(a.id());
      }
    }
  }

  private TokenException needsReauthorization(PreparedConnection c, Account a) {
    return TokenException.of(
        ErrorCode.ACCOUNT_NOT_AUTHORIZED,
        "the account \""
            + a.id()
            + "\" ("
            + a.name()
            + ") needs re-authorization: its member connects it again at "
            + links.connectPage(c.organizationId(), c.id()),
        Exchange.NONE);
  }

  private boolean usable(PreparedConnection c, Account.Tokens t, String stale) {
    int before =
        c.connection().auth() instanceof dev.conduit.bundle.Auth.AuthorizationCode ac
            ? ac.refreshBeforeSeconds()
            : 60;
    return !t.accessToken().equals(stale)
        && clock.instant().plusSeconds(before).isBefore(t.expiresAt());
  }

  private static void sleep() throws TokenException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TokenException.of(
          ErrorCode.TOKEN_REQUEST_FAILED,
          "interrupted while waiting for an account's refresh",
          Exchange.NONE);
    }
  }
}
