package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
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
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens of OAuth 2.0 client-credentials connections: fetched with the configured
 * request, cached per connection (shared by all its APIs), refreshed before they expire,
 * fetched once however many calls wait (single flight in this instance, a lease in the
 * {@link TokenStore} across instances).
 */
public final class TokenManager {

  /** Without expires_in in the response or configuration, a token is trusted this long. */
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  static final Duration LEASE = Duration.ofSeconds(15);

  /** Why a token could not be had; already safe to show (secrets masked). */
  public static final class TokenException extends Exception {
    private final Exchange exchange;

    TokenException(String message, Exchange exchange) {
      super(message);
      this.exchange = exchange;
    }

    public Exchange exchange() {
      return exchange;
    }
  }

  /** A token with the exchange that fetched it (null when it came from a cache). */
  public record Fetched(String token, Exchange exchange) {}

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final Configuration PATHS = Configuration.defaultConfiguration()
      .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL);

  private final Upstream upstream;
  private final TokenStore store;
  private final Clock clock;
  private final Map<String, StoredToken> local = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Fetched>> inFlight = new ConcurrentHashMap<>();

  public TokenManager(Upstream upstream, TokenStore store, Clock clock) {
    this.upstream = upstream;
    this.store = store;
    this.clock = clock;
  }

  /**
   * The connection's current token. {@code stale} is a token the upstream just called expired:
   * a token equal to it is not accepted from any cache.
   */
  public Fetched token(PreparedConnection c, String stale) throws TokenException {
    Auth.ClientCredentials cc = (Auth.ClientCredentials) c.connection().auth();
    String key = c.organizationId() + "/" + c.id();
    StoredToken cached = local.get(key);
    if (usable(cached, cc, stale)) {
      return new Fetched(cached.value(), null);
    }
    CompletableFuture<Fetched> mine = new CompletableFuture<>();
    CompletableFuture<Fetched> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Fetched f = refresh(c, cc, stale);
      local.put(key, new StoredToken(f.token(), expiresOf(c, key)));
      mine.complete(f);
      return f;
    } catch (TokenException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /**
   * A new token from the token endpoint whatever the caches hold: the seed's "Get Access Token"
   * button. The new token replaces the cached one.
   */
  public Fetched fresh(PreparedConnection c) throws TokenException {
    Auth.ClientCredentials cc = (Auth.ClientCredentials) c.connection().auth();
    FetchResult r = fetch(c, cc);
    store.put(c.organizationId(), c.id(), "", new StoredToken(r.token, r.expiresAt));
    local.put(c.organizationId() + "/" + c.id(), new StoredToken(r.token, r.expiresAt));
    return new Fetched(r.token, r.exchange);
  }

  private Instant expiresOf(PreparedConnection c, String key) {
    return store.get(c.organizationId(), c.id(), "").map(StoredToken::expiresAt).orElse(clock.instant());
  }

  private Fetched refresh(PreparedConnection c, Auth.ClientCredentials cc, String stale) throws TokenException {
    Optional<StoredToken> shared = store.get(c.organizationId(), c.id(), "");
    if (shared.isPresent() && usable(shared.get(), cc, stale)) {
      return new Fetched(shared.get().value(), null);
    }
    boolean leased = store.tryLease(c.organizationId(), c.id(), "", LEASE);
    if (!leased) {
      // another instance is fetching: wait for its token rather than asking the upstream twice
      Instant until = clock.instant().plus(LEASE);
      while (clock.instant().isBefore(until)) {
        sleep(50);
        Optional<StoredToken> t = store.get(c.organizationId(), c.id(), "");
        if (t.isPresent() && usable(t.get(), cc, stale)) {
          return new Fetched(t.get().value(), null);
        }
      }
    }
    try {
      FetchResult r = fetch(c, cc);
      store.put(c.organizationId(), c.id(), "", new StoredToken(r.token, r.expiresAt));
      return new Fetched(r.token, r.exchange);
    } finally {
      if (leased) {
        store.releaseLease(c.organizationId(), c.id(), "");
      }
    }
  }

  private boolean usable(StoredToken t, Auth.ClientCredentials cc, String stale) {
    return t != null && !t.value().equals(stale)
        && clock.instant().plusSeconds(cc.refreshBeforeSeconds()).isBefore(t.expiresAt());
  }

  private record FetchResult(String token, Instant expiresAt, Exchange exchange) {}

  /** The token request: the configured method, parameters (query, form or JSON) and headers. */
  private FetchResult fetch(PreparedConnection c, Auth.ClientCredentials cc) throws TokenException {
    long start = System.nanoTime();
    RequestRenderer.Values values = new RequestRenderer.Values(c.parameters(), Map.of(), Map.of(), Map.of());
    PreparedConnection.PreparedAuth auth = c.auth();
    Map<String, String> params = new LinkedHashMap<>();
    auth.tokenParameters().forEach((k, t) -> {
      Object v = t.renderValue(values);
      if (v != null) {
        params.put(k, PlainText.of(v));
      }
    });
    String url = RequestRenderer.url(auth.tokenUrl(), values);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Accept", List.of("application/json"));
    auth.tokenHeaders().forEach((k, t) -> headers.put(k, List.of(PlainText.of(t.renderValue(values)))));
    byte[] body = null;
    switch (cc.parametersIn()) {
      case "query" -> url += (url.contains("?") ? "&" : "?") + form(params);
      case "json" -> {
        body = JSON.writeValueAsBytes(params);
        headers.put("Content-Type", List.of("application/json; charset=utf-8"));
      }
      default -> {
        body = form(params).getBytes(StandardCharsets.UTF_8);
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
      }
    }
    OutgoingRequest request;
    try {
      request = new OutgoingRequest(cc.method(), new URI(url), headers, body, 30, true);
    } catch (URISyntaxException e) {
      throw new TokenException("the token URL is not valid", Exchange.NONE);
    }
    Masker masker = c.masker();
    Exchange.SentRequest sent = Recorder.sent(request, masker);
    Upstream.Response response;
    try {
      response = upstream.send(request, c.connection().allowedHosts(), c.connection().allowPrivateNetwork());
    } catch (Upstream.UpstreamException e) {
      throw new TokenException("token request failed: " + masker.mask(e.getMessage()),
          new Exchange(sent, null, Recorder.millisSince(start), false));
    }
    Object parsed = parse(response.body());
    String token = parsed == null ? null : stringAt(parsed, cc.tokenResponse().accessTokenPath());
    Masker withToken = token == null ? masker : masker.with(List.of(token));
    Exchange exchange = new Exchange(sent, Recorder.received(response, withToken), Recorder.millisSince(start), false);
    if (response.status() / 100 != 2 || token == null || token.isBlank()) {
      throw new TokenException("the token endpoint answered " + response.status()
          + " without an access token at " + cc.tokenResponse().accessTokenPath() + ": "
          + Recorder.excerpt(withToken.mask(new String(response.body(), StandardCharsets.UTF_8))), exchange);
    }
    return new FetchResult(token, expiry(parsed, cc), exchange);
  }

  private Instant expiry(Object parsed, Auth.ClientCredentials cc) {
    Duration lifetime = null;
    Object v = JsonPath.using(PATHS).parse(parsed).read(cc.tokenResponse().expiresInPath());
    if (v instanceof Number n) {
      lifetime = Duration.ofSeconds(n.longValue());
    } else if (v instanceof String s && s.matches("\\d{1,10}")) {
      lifetime = Duration.ofSeconds(Long.parseLong(s));
    }
    if (cc.expiresInSeconds() != null) {
      Duration configured = Duration.ofSeconds(cc.expiresInSeconds());
      lifetime = lifetime == null || configured.compareTo(lifetime) < 0 ? configured : lifetime;
    }
    return clock.instant().plus(lifetime == null ? DEFAULT_LIFETIME : lifetime);
  }

  static Object parse(byte[] body) {
    try {
      return JSON.readValue(body, Object.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String stringAt(Object doc, String path) {
    Object v = JsonPath.using(PATHS).parse(doc).read(path);
    return v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
  }

  private static String form(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "&").append(RequestRenderer.encode(k))
        .append('=').append(RequestRenderer.encode(v)));
    return sb.toString();
  }

  private static Fetched await(CompletableFuture<Fetched> f) throws TokenException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TokenException t) {
        throw t;
      }
      throw new TokenException("token request failed", Exchange.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenException("interrupted", Exchange.NONE);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
