package dev.conduit.runtime.accounts;

import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant.GrantException;
import dev.conduit.runtime.invoke.PreparedConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Connecting an account: the member's browser is sent to the provider with a fresh state and a PKCE
 * S256 challenge; the provider sends it back to the callback with a code, which is exchanged at the
 * token URL. The state is single use and expires after {@link #STATE_TTL}; nothing about the
 * account is written before the exchange succeeded, so a failed callback leaves no partial account.
 */
public final class ConnectFlow {

  private static final Logger LOG = Logger.getLogger(ConnectFlow.class.getName());
  static final Duration STATE_TTL = Duration.ofMinutes(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the callback did, for the page that tells the member. */
  public sealed interface Result {
    record Connected(Account account, boolean reauthorized) implements Result {}

    /** Nothing was stored; the message says what happened and is safe to show. */
    record Failed(int status, String title, String message) implements Result {}
  }

  private final AccountStore store;
  private final AuthorizationCodeGrant grant;
  private final Links links;
  private final Clock clock;

  public ConnectFlow(AccountStore store, AuthorizationCodeGrant grant, Links links, Clock clock) {
    this.store = store;
    this.grant = grant;
    this.links = links;
    this.clock = clock;
  }

  /**
   * Starts connecting (or, with {@code accountId}, re-authorizing) an account of a member and
   * returns the provider's authorization URL to send the browser to.
   */
  public String start(
      PreparedConnection c,
      String member,
      String name,
      List<String> applications,
      String accountId,
      boolean reauthorize)
      throws GrantException {
    String state = random(32);
    String verifier = random(32);
    String id = accountId != null ? accountId : UUID.randomUUID().toString();
    String url = grant.authorizationUrl(c, links.redirectUri(c.id()), state, challenge(verifier));
    store.purgeExpired(clock.millis());
    store.begin(
        new AccountStore.Pending(
            hash(state),
            c.organizationId(),
            c.id(),
            member,
            id,
            reauthorize,
            name,
            applications,
            verifier,
            clock.millis() + STATE_TTL.toMillis()));
    return url;
  }

  /**
   * Finishes a connect at the callback, for the member who started it only.
   *
   * <p>The provider sends back whichever browser opened the authorization URL, with a code for the
   * account signed in at the provider there. Finished for anyone, a member could send the URL of a
   * connect they started to a colleague and get the colleague's account at the provider as their
   * own (a provider that approved the client before does not even ask): the state alone says who
   * started, not whose browser came back. So the browser must be signed in to Conduit as the member
   * who started (RFC 6749 section 10.12: the state bound to the user agent's authenticated state).
   *
   * @param connectionId the connection named in the callback's path
   * @param query the callback's query parameters (code and state, or error)
   * @param signedIn the person signed in to Conduit in the browser that came back
   * @param connections finds a loaded connection by organization and id
   */
  public Result callback(
      String connectionId,
      Map<String, String> query,
      String signedIn,
      BiFunction<String, String, Optional<PreparedConnection>> connections) {
    String state = query.get("state");
    if (state == null || state.isBlank()) {
      return new Result.Failed(
          400,
          "No state",
          "The provider's answer carries no state, so it cannot be matched to a"
              + " connect you started. Start again from the connect page.");
    }
    AccountStore.Pending p;
    switch (store.take(hash(state))) {
      case AccountStore.Taken.Unknown u -> {
        return new Result.Failed(
            400,
            "Unknown request",
            "This answer does not belong to a connect started here (the"
                + " state is unknown). Start again from the connect page.");
      }
      case AccountStore.Taken.Reused r -> {
        return new Result.Failed(
            400,
            "Already used",
            "This connect was already completed or abandoned: each one can be"
                + " used once. Start again from the connect page.");
      }
      case AccountStore.Taken.Found f -> p = f.pending();
    }
    if (p.expiresMs() < clock.millis()) {
      return new Result.Failed(
          400,
          "Expired",
          "This connect was started more than "
              + STATE_TTL.toMinutes()
              + " minutes ago and has expired. Start again from the connect page.");
    }
    if (!p.connectionId().equals(connectionId)) {
      return new Result.Failed(
          400,
          "Wrong connection",
          "This answer arrived at the callback of the connection \""
              + connectionId
              + "\", but the connect was started for \""
              + p.connectionId()
              + "\".");
    }
    String again =
        " Start again at " + links.connectPage(p.organizationId(), p.connectionId()) + ".";
    if (!p.member().equals(signedIn)) {
      // the state is spent: the link cannot be tried in another browser
      LOG.info(
          "a connect of "
              + p.organizationId()
              + "/"
              + p.connectionId()
              + " started by "
              + p.member()
              + " came back in the browser of "
              + signedIn
              + ": refused, nothing stored");
      return new Result.Failed(
          403,
          "Started by someone else",
          "You are signed in as "
              + signedIn
              + ", and this connect was started by another member: it is finished only in"
              + " their browser, signed in as them. No account was connected. To connect your"
              + " own account, start at "
              + links.connectPage(p.organizationId(), p.connectionId())
              + ".");
    }
    String error = query.get("error");
    if (error != null) {
      String description = query.get("error_description");
      return new Result.Failed(
          error.equals("access_denied") ? 403 : 400,
          error.equals("access_denied") ? "Access denied" : "The provider refused",
          (error.equals("access_denied")
                  ? "Access was denied at the provider, so no account was connected."
                  : "The provider answered with the error \""
                      + error
                      + "\"; no account was connected.")
              + (description == null ? "" : " The provider says: " + description)
              + again);
    }
    String code = query.get("code");
    if (code == null || code.isBlank()) {
      return new Result.Failed(
          400, "No code", "The provider's answer carries neither a code nor an error." + again);
    }
    Optional<PreparedConnection> loaded = connections.apply(p.organizationId(), p.connectionId());
    if (loaded.isEmpty()) {
      return new Result.Failed(
          404,
          "No such connection",
          "The connection \"" + p.connectionId() + "\" is no longer served here.");
    }
    PreparedConnection c = loaded.get();
    AuthorizationCodeGrant.Granted g;
    String providerName;
    try {
      g = grant.exchange(c, code, p.verifier(), links.redirectUri(c.id()));
      providerName = nameFromProvider(c, g);
    } catch (GrantException e) {
      LOG.info(
          "connecting an account of "
              + p.organizationId()
              + "/"
              + p.connectionId()
              + " for "
              + p.member()
              + " failed: "
              + e.getMessage());
      return new Result.Failed(
          502,
          switch (e.kind()) {
            case UNREACHABLE -> "The provider cannot be reached";
            case INCOMPLETE -> "The provider's answer is incomplete";
            default -> "The provider refused the code";
          },
          e.getMessage() + ". No account was connected." + again);
    }
    Account.Tokens tokens = new Account.Tokens(g.accessToken(), g.refreshToken(), g.expiresAt());
    if (p.reauthorize()) {
      Optional<Account> existing = store.find(p.organizationId(), p.connectionId(), p.accountId());
      if (existing.isEmpty() || !existing.get().member().equals(p.member())) {
        return new Result.Failed(
            404, "No such account", "The account being re-authorized was removed meanwhile.");
      }
      store.replaceTokens(p.accountId(), tokens);
      LOG.info(
          "account "
              + p.accountId()
              + " of "
              + p.organizationId()
              + "/"
              + p.connectionId()
              + " re-authorized by "
              + p.member());
      return new Result.Connected(
          store.find(p.organizationId(), p.connectionId(), p.accountId()).orElseThrow(), true);
    }
    String name =
        providerName != null && !providerName.isBlank()
            ? providerName
            : p.name() != null && !p.name().isBlank() ? p.name() : p.member() + "'s account";
    Account a =
        new Account(
            p.accountId(),
            p.organizationId(),
            p.connectionId(),
            p.member(),
            clip(name),
            Account.State.ACTIVE,
            p.applications(),
            g.expiresAt(),
            clock.instant());
    store.create(a, tokens);
    LOG.info(
        "account "
            + a.id()
            + " of "
            + a.organizationId()
            + "/"
            + a.connectionId()
            + " connected by "
            + a.member());
    return new Result.Connected(
        store.find(a.organizationId(), a.connectionId(), a.id()).orElse(a), false);
  }

  /**
   * The provider's name for the account; a failed userinfo read falls back to the member's name.
   */
  private String nameFromProvider(PreparedConnection c, AuthorizationCodeGrant.Granted g) {
    try {
      return grant.accountName(c, g);
    } catch (GrantException e) {
      LOG.info(
          "the account name of "
              + c.organizationId()
              + "/"
              + c.id()
              + " could not be read: "
              + e.getMessage());
      return null;
    }
  }

  static String clip(String name) {
    String n = name.strip();
    return n.length() > 200 ? n.substring(0, 200) : n;
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The PKCE S256 challenge of a verifier (RFC 7636 section 4.2). */
  static String challenge(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
  }

  static String hash(String state) {
    return HexFormat.of().formatHex(sha256(state));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
