package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.JsonPath;
import dev.conduit.bundle.Auth;
import dev.conduit.runtime.invoke.TokenStore.StoredToken;
import dev.conduit.template.PlainText;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens of OAuth 2.0 connections.
 *
 * <p>Client credentials: a token is fetched with the connection's configured request, cached per
 * connection (all its APIs share it), refreshed {@code refreshBeforeSeconds} before it expires, and
 * fetched once however many calls find the cache cold: single flight inside this instance (one
 * in-flight future per connection that every caller waits on) and, across instances, the {@link
 * TokenStore}'s refresh lease (one holder fetches, the others wait for its token).
 *
 * <p>Authorization code (per-user tokens): tokens belong to accounts, which the accounts service
 * ({@link AccountTokenSource}, see docs/accounts.md) stores and refreshes.
 */
public final class TokenManager {

  /** The account of a client-credentials connection's token: the connection itself. */
  public static final String CONNECTION_ACCOUNT = "";

  /** Without expires_in in the response or configuration, a token is trusted this long. */
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  /** How long the token request may take; shorter than the lease, so one holder at a time. */
  static final int TOKEN_TIMEOUT_SECONDS = 10;

  static final Duration LEASE = Duration.ofSeconds(15);
  private static final long POLL_MILLIS = 25;

  /** Why a token could not be had; already safe to show (secrets masked). */
  public static final class TokenException extends Exception {
    private final transient Exchange exchange;
    private final ErrorCode code;

    TokenException(String message, Exchange exchange) {
      this(ErrorCode.TOKEN_REQUEST_FAILED, message, exchange);
    }

    TokenException(ErrorCode code, String message, Exchange exchange) {
      super(message);
      this.code = code;
      this.exchange = exchange;
    }

    /**
     * A failure found outside this package (the accounts service); the message must be safe to
     * show.
     */
    public static TokenException of(ErrorCode code, String message, Exchange exchange) {
      return new TokenException(code, message, exchange);
    }

    /** The exchange with the token endpoint, masked ({@link Exchange#NONE} when none). */
    public Exchange exchange() {
      return exchange;
    }

    /** TOKEN_REQUEST_FAILED, or ACCOUNT_NOT_AUTHORIZED for an authorization-code account. */
    public ErrorCode code() {
      return code;
    }
  }

  /**
   * A token, when it expires, and the exchange that fetched it (null when it came from a cache).
   * The token is plaintext: it goes into requests, never into records.
   */
  public record Fetched(String token, Exchange exchange, Instant expiresAt) {}

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private final Upstream upstream;
  private final TokenStore store;
  private final Clock clock;
  private final Recorder recorder;
  private final Map<String, StoredToken> local = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Fetched>> inFlight = new ConcurrentHashMap<>();
  private volatile AccountTokenSource accounts;

  public TokenManager(Upstream upstream, TokenStore store, Clock clock) {
    this(upstream, store, clock, Recorder.DEFAULT);
  }

  public TokenManager(Upstream upstream, TokenStore store, Clock clock, Recorder recorder) {
    this.upstream = upstream;
    this.store = store;
    this.clock = clock;
    this.recorder = recorder;
  }

  /** Authorization-code accounts get their tokens (and refreshes) from here from now on. */
  public void useAccounts(AccountTokenSource source) {
    this.accounts = source;
  }

  /**
   * The current token of a client-credentials connection; see {@link #token(PreparedConnection,
   * String, String)}.
   */
  public Fetched token(PreparedConnection c, String stale) throws TokenException {
    return token(c, CONNECTION_ACCOUNT, stale);
  }

  /**
   * The current token of an OAuth 2.0 connection.
   *
   * @param account {@link #CONNECTION_ACCOUNT} for client credentials; the user's account for an
   *     authorization-code connection
   * @param stale a token the upstream just called expired (or null): a token equal to it is not
   *     accepted from any cache, so the call gets a new one
   */
  public Fetched token(PreparedConnection c, String account, String stale) throws TokenException {
    return token(c, account, stale, null);
  }

  /**
   * The same within a call's deadline: a caller waits for a token request only as long as its call
   * has left (then 504 UPSTREAM_TIMEOUT naming the token request), while the request itself goes on
   * to its own limit and fills the cache for the calls after it.
   *
   * @param deadline the call's, or null for none but the token request's own limit
   */
  Fetched token(PreparedConnection c, String account, String stale, Deadline deadline)
      throws TokenException {
    return switch (c.connection().auth()) {
      case Auth.ClientCredentials cc -> clientCredentials(c, cc, stale, deadline);
      case Auth.AuthorizationCode ac -> accountToken(c, ac, account, stale);
      case Auth.None n -> throw notOAuth(c);
      case Auth.Basic b -> throw notOAuth(c);
    };
  }

  private static IllegalArgumentException notOAuth(PreparedConnection c) {
    return new IllegalArgumentException("connection " + c.id() + " does not use OAuth 2.0");
  }

  /**
   * A new token from the token endpoint whatever the caches hold: the seed's "Get Access Token"
   * button. The new token replaces the cached one.
   */
  public Fetched fresh(PreparedConnection c) throws TokenException {
    Auth.ClientCredentials cc = clientCredentialsOf(c);
    Fetched f = fetch(c, cc);
    StoredToken t = new StoredToken(f.token(), f.expiresAt());
    store.put(c.organizationId(), c.id(), CONNECTION_ACCOUNT, t);
    local.put(key(c, CONNECTION_ACCOUNT), t);
    return f;
  }

  /** The time by this manager's clock. */
  java.time.Instant now() {
    return clock.instant();
  }

  private Fetched clientCredentials(
      PreparedConnection c, Auth.ClientCredentials cc, String stale, Deadline deadline)
      throws TokenException {
    String key = key(c, CONNECTION_ACCOUNT);
    StoredToken cached = local.get(key);
    if (usable(cached, cc.refreshBeforeSeconds(), stale)) {
      return new Fetched(cached.value(), null, cached.expiresAt());
    }
    CompletableFuture<Fetched> mine = new CompletableFuture<>();
    CompletableFuture<Fetched> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return await(running, deadline); // single flight: another call of this instance is fetching
    }
    if (deadline == null) {
      fill(c, cc, stale, key, mine); // no deadline to keep: on this thread
    } else {
      // on a thread of its own, so that this caller too waits no longer than its deadline
      Thread.ofVirtual().name("conduit-token-" + c.id()).start(() -> fill(c, cc, stale, key, mine));
    }
    return await(mine, deadline);
  }

  /** Fetches (or takes from the shared store) the token that completes {@code f}, and caches it. */
  private void fill(
      PreparedConnection c,
      Auth.ClientCredentials cc,
      String stale,
      String key,
      CompletableFuture<Fetched> f) {
    Fetched fetched = null;
    Exception failure = null;
    try {
      fetched = shared(c, cc, stale);
      local.put(key, new StoredToken(fetched.token(), fetched.expiresAt()));
    } catch (TokenException | RuntimeException e) {
      failure = e;
    } finally {
      // gone from inFlight before anyone wakes: a woken caller whose upstream at once calls this
      // token expired must start a new fetch, not join this finished one and get the same token
      inFlight.remove(key, f);
    }
    if (failure != null) {
      f.completeExceptionally(failure);
    } else {
      f.complete(fetched);
    }
  }

  /**
   * The token from the shared store, or a new one fetched by whichever instance holds the lease.
   */
  private Fetched shared(PreparedConnection c, Auth.ClientCredentials cc, String stale)
      throws TokenException {
    String org = c.organizationId();
    Optional<StoredToken> current = store.get(org, c.id(), CONNECTION_ACCOUNT);
    if (current.isPresent() && usable(current.get(), cc.refreshBeforeSeconds(), stale)) {
      return new Fetched(current.get().value(), null, current.get().expiresAt());
    }
    boolean leased = store.tryLease(org, c.id(), CONNECTION_ACCOUNT, LEASE);
    if (!leased) {
      // another instance is fetching: wait for its token; take over if it gives up
      long deadline = System.nanoTime() + LEASE.toNanos();
      while (System.nanoTime() < deadline && !leased) {
        sleep(POLL_MILLIS);
        current = store.get(org, c.id(), CONNECTION_ACCOUNT);
        if (current.isPresent() && usable(current.get(), cc.refreshBeforeSeconds(), stale)) {
          return new Fetched(current.get().value(), null, current.get().expiresAt());
        }
        leased = store.tryLease(org, c.id(), CONNECTION_ACCOUNT, LEASE);
      }
    }
    try {
      if (leased) {
        // the previous holder may have stored its token just before releasing the lease
        current = store.get(org, c.id(), CONNECTION_ACCOUNT);
        if (current.isPresent() && usable(current.get(), cc.refreshBeforeSeconds(), stale)) {
          return new Fetched(current.get().value(), null, current.get().expiresAt());
        }
      }
      Fetched f = fetch(c, cc);
      store.put(org, c.id(), CONNECTION_ACCOUNT, new StoredToken(f.token(), f.expiresAt()));
      return f;
    } finally {
      if (leased) {
        store.releaseLease(org, c.id(), CONNECTION_ACCOUNT);
      }
    }
  }

  /** An authorization-code account's token, as the authorization flow stored it. */
  private Fetched accountToken(
      PreparedConnection c, Auth.AuthorizationCode ac, String account, String stale)
      throws TokenException {
    if (account == null || account.isBlank()) {
      throw new TokenException(
          ErrorCode.ACCOUNT_NOT_AUTHORIZED,
          "the connection \""
              + c.id()
              + "\" uses OAuth 2.0 authorization code: a call names one of its authorized accounts",
          Exchange.NONE);
    }
    AccountTokenSource source = accounts;
    if (source != null) {
      return source.token(c, account, stale);
    }
    Optional<StoredToken> t = store.get(c.organizationId(), c.id(), account);
    if (t.isPresent() && usable(t.get(), ac.refreshBeforeSeconds(), stale)) {
      return new Fetched(t.get().value(), null, t.get().expiresAt());
    }
    throw new TokenException(
        ErrorCode.ACCOUNT_NOT_AUTHORIZED,
        "the account \""
            + account
            + "\" of the connection \""
            + c.id()
            + "\" has no valid access token: authorize it again",
        Exchange.NONE);
  }

  private boolean usable(StoredToken t, int refreshBeforeSeconds, String stale) {
    return t != null
        && !t.value().equals(stale)
        && clock.instant().plusSeconds(refreshBeforeSeconds).isBefore(t.expiresAt());
  }

  private static String key(PreparedConnection c, String account) {
    return c.organizationId() + "\u0000" + c.id() + "\u0000" + account;
  }

  private static Auth.ClientCredentials clientCredentialsOf(PreparedConnection c) {
    if (c.connection().auth() instanceof Auth.ClientCredentials cc) {
      return cc;
    }
    throw new IllegalArgumentException(
        "connection " + c.id() + " does not use OAuth 2.0 client credentials");
  }

  /** The token request: the configured method, parameters (query, form or JSON) and headers. */
  private Fetched fetch(PreparedConnection c, Auth.ClientCredentials cc) throws TokenException {
    long start = System.nanoTime();
    RequestRenderer.Values values =
        new RequestRenderer.Values(c.parameters(), Map.of(), Map.of(), Map.of());
    PreparedConnection.PreparedAuth auth = c.auth();
    Map<String, String> params = new LinkedHashMap<>();
    auth.tokenParameters()
        .forEach(
            (k, t) -> {
              Object v = t.renderValue(values);
              if (v != null) {
                params.put(k, PlainText.of(v));
              }
            });
    String url = RequestRenderer.url(auth.tokenUrl(), values);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Accept", List.of("application/json"));
    byte[] body = null;
    switch (cc.parametersIn()) {
      case "query" -> url += params.isEmpty() ? "" : (url.contains("?") ? "&" : "?") + form(params);
      case "json" -> {
        body = JSON.writeValueAsBytes(params);
        headers.put("Content-Type", List.of("application/json; charset=utf-8"));
      }
      default -> {
        body = form(params).getBytes(StandardCharsets.UTF_8);
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
      }
    }
    auth.tokenHeaders()
        .forEach(
            (k, t) -> {
              Object v = t.renderValue(values);
              if (v != null) {
                RequestRenderer.putHeader(headers, k, PlainText.of(v));
              }
            });
    Masker masker = c.masker();
    OutgoingRequest request;
    try {
      request =
          new OutgoingRequest(
              cc.method(), new URI(url), headers, body, TOKEN_TIMEOUT_SECONDS, true);
    } catch (URISyntaxException e) {
      throw new TokenException(
          "the token URL is not valid: " + masker.mask(e.getMessage()), Exchange.NONE);
    }
    Exchange.SentRequest sent = recorder.sent(request, masker);
    Upstream.Response response;
    try {
      response = upstream.send(request, c.connection().allowedHosts(), c.allowsPrivateNetwork());
    } catch (Upstream.UpstreamException e) {
      Exchange failed = new Exchange(sent, null, Recorder.millisSince(start), false);
      if (e.code() == ErrorCode.UPSTREAM_TIMEOUT) {
        throw new TokenException(
            ErrorCode.UPSTREAM_TIMEOUT,
            "the token request ran out of time: "
                + masker.mask(e.getMessage())
                + " (the token request's own limit)",
            failed);
      }
      throw new TokenException("the token request failed: " + masker.mask(e.getMessage()), failed);
    }
    Object parsed = UpstreamJson.value(response.body());
    String token = parsed == null ? null : stringAt(parsed, auth.accessTokenPath());
    Masker withToken = token == null || token.isBlank() ? masker : masker.with(List.of(token));
    Exchange exchange =
        new Exchange(
            sent, recorder.received(response, withToken), Recorder.millisSince(start), false);
    if (response.status() / 100 != 2 || token == null || token.isBlank()) {
      throw new TokenException(
          "the token endpoint answered "
              + response.status()
              + (token == null || token.isBlank()
                  ? " without an access token at " + auth.accessTokenPath().getPath()
                  : "")
              + ": "
              + Recorder.excerpt(
                  withToken.mask(new String(response.body(), StandardCharsets.UTF_8))),
          exchange);
    }
    return new Fetched(token, exchange, expiry(parsed, auth.expiresInPath(), cc));
  }

  /** The response's lifetime, shortened by the configured one; one hour when neither says. */
  private Instant expiry(Object parsed, JsonPath expiresInPath, Auth.ClientCredentials cc) {
    Duration lifetime = null;
    Object v = expiresInPath.read(parsed, UpstreamJson.PATHS);
    if (v instanceof Number n
        && Numbers.of(n) != null
        && Numbers.of(n).signum() > 0
        && Numbers.of(n).compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) < 0) {
      lifetime = Duration.ofSeconds(n.longValue());
    } else if (v instanceof String s && s.strip().matches("\\d{1,9}")) {
      lifetime = Duration.ofSeconds(Long.parseLong(s.strip()));
    }
    if (cc.expiresInSeconds() != null) {
      Duration configured = Duration.ofSeconds(cc.expiresInSeconds());
      lifetime = lifetime == null || configured.compareTo(lifetime) < 0 ? configured : lifetime;
    }
    return clock.instant().plus(lifetime == null ? DEFAULT_LIFETIME : lifetime);
  }

  /** A response body as plain data, or null when it is not JSON. */
  private static String stringAt(Object doc, JsonPath path) {
    return text(path.read(doc, UpstreamJson.PATHS));
  }

  /**
   * A token response's value as text: a string or number as written, null for nothing, an object or
   * a list.
   */
  static String text(Object v) {
    return v == null || v instanceof Map || v instanceof List
        ? null
        : v instanceof BigDecimal d ? Numbers.text(d) : String.valueOf(v);
  }

  /** Parameters as application/x-www-form-urlencoded, in their order. */
  static String form(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach(
        (k, v) ->
            sb.append(sb.isEmpty() ? "" : "&")
                .append(RequestRenderer.encode(k))
                .append('=')
                .append(RequestRenderer.encode(v)));
    return sb.toString();
  }

  private static Fetched await(CompletableFuture<Fetched> f, Deadline deadline)
      throws TokenException {
    try {
      return deadline == null
          ? f.get()
          : f.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new TokenException(
          ErrorCode.UPSTREAM_TIMEOUT,
          deadline.ranOut("the token request", "no access token came")
              + "; the request goes on, and calls after it use its token",
          Exchange.NONE);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TokenException t) {
        throw t;
      }
      throw new TokenException("the token request failed", Exchange.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenException("interrupted while waiting for the token", Exchange.NONE);
    }
  }

  private static void sleep(long millis) throws TokenException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenException(
          "interrupted while waiting for another instance's token", Exchange.NONE);
    }
  }
}
