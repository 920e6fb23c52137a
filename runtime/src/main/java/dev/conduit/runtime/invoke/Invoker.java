package dev.conduit.runtime.invoke;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import dev.conduit.runtime.limits.Bulkhead;
import dev.conduit.runtime.limits.CircuitBreaker;
import dev.conduit.template.PlainText;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation, readable top to bottom in {@link #invoke(PreparedConnection, PreparedApi, Map,
 * String)}: inputs, before block, auth, request, send, token-expired retry, after block, outputs.
 * Every failure becomes an {@link Outcome.Failure} value with its code and HTTP status; secrets are
 * masked in everything it records. Thread-safe: one Invoker serves every call.
 *
 * <p>Besides invoking, it offers the connection-level operations the JAX-RS layer exposes: {@link
 * #refusal} (may applications invoke this API?), {@link #getAccessToken} (the seed's "Get Access
 * Token" button) and {@link #authValues} (the "API Authentication &amp; Connection" workflow node).
 */
public final class Invoker {

  private final Upstream upstream;
  private final TokenManager tokens;
  private final CodeBlocks code;
  private final Recorder recorder;
  private final Bulkhead perConnection;
  private final CircuitBreaker breaker;

  public Invoker(Upstream upstream, TokenManager tokens, CodeBlocks code) {
    this(upstream, tokens, code, Recorder.DEFAULT);
  }

  /**
   * @param recorder how exchanges are recorded (the body cap of Test API and request logs)
   */
  public Invoker(Upstream upstream, TokenManager tokens, CodeBlocks code, Recorder recorder) {
    this(upstream, tokens, code, recorder, Bulkhead.unlimited());
  }

  /**
   * @param perConnection how many calls one connection may have in flight (keyed by organization
   *     and connection): the rest are refused with UPSTREAM_BUSY at once, so a hanging upstream
   *     holds at most that many request threads
   */
  public Invoker(
      Upstream upstream,
      TokenManager tokens,
      CodeBlocks code,
      Recorder recorder,
      Bulkhead perConnection) {
    this(upstream, tokens, code, recorder, perConnection, CircuitBreaker.off());
  }

  /**
   * @param breaker per connection (keyed like the bulkhead): after repeated upstream failures,
   *     calls answer UPSTREAM_CIRCUIT_OPEN at once until a probe succeeds
   */
  public Invoker(
      Upstream upstream,
      TokenManager tokens,
      CodeBlocks code,
      Recorder recorder,
      Bulkhead perConnection,
      CircuitBreaker breaker) {
    this.breaker = breaker;
    this.upstream = upstream;
    this.tokens = tokens;
    this.code = code;
    this.recorder = recorder;
    this.perConnection = perConnection;
  }

  /**
   * Whether applications may invoke the API: null when it is published and enabled, else the
   * failure to answer with (disabled: 404 API_DISABLED; draft: 409 API_NOT_PUBLISHED). Test API
   * skips this check.
   */
  public static Outcome.Failure refusal(Api api) {
    if (!api.enabled()) {
      return new Outcome.Failure(
          ErrorCode.API_DISABLED,
          "the API \"" + api.id() + "\" is disabled",
          List.of(),
          Exchange.NONE);
    }
    if (api.status() != Api.Status.published) {
      return new Outcome.Failure(
          ErrorCode.API_NOT_PUBLISHED,
          "the API \"" + api.id() + "\" is a draft: only published APIs can be invoked",
          List.of(),
          Exchange.NONE);
    }
    return null;
  }

  /**
   * Invokes an API of a connection that needs no user account (every kind but authorization code).
   */
  public Outcome invoke(PreparedConnection c, PreparedApi api, Map<String, Object> given) {
    return invoke(c, api, given, TokenManager.CONNECTION_ACCOUNT);
  }

  /**
   * Invokes an API.
   *
   * @param given the inputs by alias, as plain data (the parsed JSON body)
   * @param account for an authorization-code connection, the user account whose token to use;
   *     otherwise {@link TokenManager#CONNECTION_ACCOUNT}
   */
  public Outcome invoke(
      PreparedConnection c, PreparedApi api, Map<String, Object> given, String account) {
    Call call = new Call(c, api, account);
    try (Bulkhead.Permit permit = perConnection.enter(c.organizationId() + "/" + c.id())) {
      if (permit == null) {
        return busy(c);
      }
      Map<String, Object> inputs = inputs(call, given); // 1
      Map<String, Object> before = before(call, inputs); // 2
      Upstream.Response response = guardedExchange(call, inputs, before); // 3, 4, 5, 6
      Object document = after(call, inputs, before, response); // 7
      return outputs(call, document); // 8
    } catch (Stop stop) {
      return stop.failure;
    }
  }

  /** The connection's bulkhead is full: nothing is sent, the caller may retry (Retry-After). */
  private Outcome.Failure busy(PreparedConnection c) {
    return new Outcome.Failure(
        ErrorCode.UPSTREAM_BUSY,
        "the connection \""
            + c.id()
            + "\" already has "
            + perConnection.limit()
            + " calls in flight, the most it may have (conduit.invoke.max-calls-per-connection): "
            + "its upstream is answering slowly; nothing was sent, retry later",
        List.of(),
        Exchange.NONE,
        BUSY_RETRY_SECONDS);
  }

  /**
   * A full bulkhead usually has a free place within a second (calls end all the time); the open
   * circuit says its own remaining time instead.
   */
  static final long BUSY_RETRY_SECONDS = 1;

  /**
   * The exchange behind the connection's circuit breaker: refused at once while it is open; the
   * upstream's answer (not the caller's inputs or code blocks) decides whether it opens or closes.
   */
  private Upstream.Response guardedExchange(
      Call call, Map<String, Object> inputs, Map<String, Object> before) throws Stop {
    String key = call.c.organizationId() + "/" + call.c.id();
    try (CircuitBreaker.Ticket ticket = breaker.admit(key)) {
      if (ticket == null) {
        throw new Stop(circuitOpen(call.c, breaker.retryAfterMillis(key)));
      }
      try {
        Upstream.Response response = exchange(call, inputs, before);
        ticket.succeeded();
        return response;
      } catch (Stop stop) {
        if (upstreamDown(stop.failure)) {
          ticket.failed();
        } else if (reachedUpstream(stop.failure)) {
          ticket.succeeded(); // it answered (4xx): alive
        }
        throw stop;
      }
    }
  }

  /** Failures that say the upstream is down or failing, as opposed to refusing this request. */
  private static boolean upstreamDown(Outcome.Failure f) {
    return switch (f.code()) {
      case UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_INTERRUPTED, TOKEN_REQUEST_FAILED ->
          true;
      case UPSTREAM_ERROR ->
          f.details().stream()
              .noneMatch(d -> d.path().equals("upstream.status") && d.message().startsWith("4"));
      default -> false;
    };
  }

  private static boolean reachedUpstream(Outcome.Failure f) {
    return f.code() == ErrorCode.UPSTREAM_ERROR
        || f.code() == ErrorCode.UPSTREAM_BAD_RESPONSE
        || f.code() == ErrorCode.RESPONSE_TOO_LARGE;
  }

  private Outcome.Failure circuitOpen(PreparedConnection c, long retryAfterMillis) {
    CircuitBreaker.Settings s = breaker.settings();
    // whole seconds, rounded up: a client that waits this long finds the probe let through
    long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
    return new Outcome.Failure(
        ErrorCode.UPSTREAM_CIRCUIT_OPEN,
        "the upstream of the connection \""
            + c.id()
            + "\" failed "
            + s.threshold()
            + " times in a row: calls are refused without reaching it (conduit.invoke.circuit.*);"
            + " a probe call goes through in "
            + seconds
            + " s; nothing was sent",
        List.of(),
        Exchange.NONE,
        seconds);
  }

  // 1. inputs: every problem at once, nothing sent
  private static Map<String, Object> inputs(Call call, Map<String, Object> given) throws Stop {
    InputValidator.Result r =
        InputValidator.validate(call.api.api().inputs(), given == null ? Map.of() : given);
    if (!r.ok()) {
      int n = r.problems().size();
      throw call.stop(
          ErrorCode.INVALID_INPUT, n + " invalid input" + (n == 1 ? "" : "s"), r.problems());
    }
    return r.values();
  }

  // 2. the before block: its result is {{before.NAME}}
  private Map<String, Object> before(Call call, Map<String, Object> inputs) throws Stop {
    Api.CodeBlock block = call.api.api().before();
    if (block == null) {
      return Map.of();
    }
    Map<String, Object> blockInput = new LinkedHashMap<>();
    blockInput.put("input", inputs);
    blockInput.put("connection", call.c.parameters());
    Object result = runBlock(call, block, blockInput);
    if (!(result instanceof Map<?, ?> m)) {
      throw call.codeFailure(
          block,
          "main must return an object (its keys become {{before.NAME}}), not "
              + (result == null
                  ? "nothing"
                  : result instanceof List
                      ? "an array"
                      : "a " + result.getClass().getSimpleName()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  // 3-6. auth values, the request, send; once the token expired: refresh, retry once
  private Upstream.Response exchange(
      Call call, Map<String, Object> inputs, Map<String, Object> before) throws Stop {
    String staleToken = null;
    for (int attempt = 0; ; attempt++) {
      Authentication auth = authenticate(call, inputs, before, staleToken); // 3
      OutgoingRequest request =
          render(
              call,
              new RequestRenderer.Values(call.c.parameters(), inputs, auth.values(), before),
              auth.headers()); // 4
      call.sent = recorder.sent(request, call.masker);
      call.response = null; // a retry's record pairs its own request and response
      Upstream.Response response = send(call, request); // 5
      call.response = response;
      if (auth.token() != null && tokenExpired(call.c, response)) { // 6
        if (attempt == 0) {
          call.refreshed = true;
          staleToken = auth.token();
          continue;
        }
        throw call.stop(
            ErrorCode.UPSTREAM_ERROR,
            "the upstream says the access token expired, and again with a new "
                + "token; not retried further: "
                + upstreamError(call, response),
            List.of(new Outcome.Detail("upstream.status", String.valueOf(response.status()))));
      }
      if (response.status() / 100 != 2) {
        throw call.stop(
            ErrorCode.UPSTREAM_ERROR,
            upstreamError(call, response),
            List.of(new Outcome.Detail("upstream.status", String.valueOf(response.status()))));
      }
      return response;
    }
  }

  /** The auth values of this call ({{auth.NAME}}) and the headers auth adds. */
  private record Authentication(
      Map<String, Object> values, Map<String, String> headers, String token) {}

  private Authentication authenticate(
      Call call, Map<String, Object> inputs, Map<String, Object> before, String stale) throws Stop {
    PreparedConnection c = call.c;
    return switch (c.connection().auth()) {
      case Auth.None n -> new Authentication(Map.of(), Map.of(), null);
      case Auth.Basic b -> {
        RequestRenderer.Values values =
            new RequestRenderer.Values(c.parameters(), inputs, Map.of(), before);
        String user = PlainText.of(c.auth().username().renderValue(values));
        String password = PlainText.of(c.auth().password().renderValue(values));
        String header = Masker.basicToken(user, password);
        call.masker = call.masker.with(List.of(header, password));
        yield new Authentication(
            Map.of("username", user, "password", password),
            Map.of("Authorization", "Basic " + header),
            null);
      }
      case Auth.ClientCredentials cc -> bearer(call, stale);
      case Auth.AuthorizationCode ac -> bearer(call, stale);
    };
  }

  private Authentication bearer(Call call, String stale) throws Stop {
    TokenManager.Fetched f;
    try {
      f = tokens.token(call.c, call.account, stale, call.deadline);
    } catch (TokenManager.TokenException e) {
      // on the retry, the record keeps the call that said the token expired
      Exchange ex =
          call.sent != null
              ? call.exchange()
              : new Exchange(
                  e.exchange().request(), e.exchange().response(), call.millis(), call.refreshed);
      throw new Stop(new Outcome.Failure(e.code(), e.getMessage(), List.of(), ex));
    }
    call.masker = call.masker.with(List.of(f.token()));
    return new Authentication(Map.of("access_token", f.token()), Map.of(), f.token());
  }

  private static OutgoingRequest render(
      Call call, RequestRenderer.Values values, Map<String, String> authHeaders) throws Stop {
    try {
      return RequestRenderer.render(call.api, values, authHeaders);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw call.stop(
          ErrorCode.CONFIGURATION,
          "the request URL is not valid: " + call.masker.mask(e.getMessage()),
          List.of());
    } catch (RequestRenderer.UnsendableInput e) {
      throw call.stop(
          ErrorCode.INVALID_INPUT,
          "1 invalid input",
          List.of(new Outcome.Detail(e.input, e.getMessage())));
    }
  }

  private Upstream.Response send(Call call, OutgoingRequest request) throws Stop {
    try {
      return upstream.send(
          request,
          call.c.connection().allowedHosts(),
          call.c.allowsPrivateNetwork(),
          call.deadline.remainingNanos());
    } catch (Upstream.UpstreamException e) {
      String message =
          e.code() != ErrorCode.UPSTREAM_TIMEOUT
              ? e.getMessage()
              : call.deadline.passed()
                  ? call.deadline.ranOut(
                      "the upstream call", request.uri().getHost() + " did not answer")
                  : "the upstream call ran out of time: " + e.getMessage();
      throw call.stop(e.code(), call.masker.mask(message), List.of());
    }
  }

  /** The message of a non-2xx answer: the status, where a redirect pointed, a short excerpt. */
  private static String upstreamError(Call call, Upstream.Response r) {
    StringBuilder m = new StringBuilder("the upstream answered ").append(r.status());
    if (r.status() / 100 == 3) {
      String location =
          r.headers().getOrDefault("Location", List.of()).stream().findFirst().orElse(null);
      m.append(
              location == null
                  ? ", a redirect without a Location"
                  : ", a redirect to " + call.masker.mask(location))
          .append(
              " that is not followed (redirects are never followed, so credentials stay on their host)");
    }
    String body = call.masker.mask(new String(r.body(), StandardCharsets.UTF_8));
    if (!body.isBlank()) {
      m.append(": ").append(Recorder.excerpt(body));
    }
    return m.toString();
  }

  /** Whether the connection's tokenExpired rule matches: a status, or a value at a body path. */
  static boolean tokenExpired(PreparedConnection c, Upstream.Response r) {
    Auth.TokenExpired rule = c.auth().tokenExpired();
    if (rule == null) {
      return false;
    }
    if (rule.status().contains(r.status())) {
      return true;
    }
    if (c.auth().expiredBodyPath() == null || r.status() / 100 != 2) {
      return false;
    }
    Object doc = UpstreamJson.value(r.body());
    if (!(doc instanceof Map) && !(doc instanceof List)) {
      return false;
    }
    Object v = c.auth().expiredBodyPath().read(doc, UpstreamJson.PATHS);
    return v != null && rule.bodyValues().stream().anyMatch(expected -> sameValue(v, expected));
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      BigDecimal x = Numbers.of(a);
      BigDecimal y = Numbers.of(b);
      return x != null && y != null && x.compareTo(y) == 0;
    }
    return Objects.equals(String.valueOf(a), String.valueOf(b));
  }

  // 7. the after block: outputs are read from what it returns
  private Object after(
      Call call, Map<String, Object> inputs, Map<String, Object> before, Upstream.Response response)
      throws Stop {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    UpstreamJson.Read read = UpstreamJson.read(response.body());
    Object body = read.ok() ? read.value() : text.isBlank() ? null : text;
    Api.CodeBlock block = call.api.api().after();
    if (block == null) {
      if (!read.ok()
          && !call.api.outputs().isEmpty()
          && !(text.isBlank() && response.status() == 204)) {
        // outputs read JSON: null outputs would pass a broken answer off as a good one
        throw call.stop(
            ErrorCode.UPSTREAM_BAD_RESPONSE,
            "the upstream answered "
                + response.status()
                + ", but "
                + read.problem()
                + " and the API's outputs read JSON"
                + (text.isBlank() ? "" : ": " + Recorder.excerpt(call.masker.mask(text))),
            List.of(new Outcome.Detail("upstream.status", String.valueOf(response.status()))));
      }
      return body;
    }
    Map<String, Object> headers = new LinkedHashMap<>();
    response
        .headers()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
    Map<String, Object> resp = new LinkedHashMap<>();
    resp.put("status", response.status());
    resp.put("headers", headers);
    resp.put("body", body);
    Map<String, Object> blockInput = new LinkedHashMap<>();
    blockInput.put("input", inputs);
    blockInput.put("before", before);
    blockInput.put("response", resp);
    return runBlock(call, block, blockInput);
  }

  /** Runs a block within its own time limit and what is left of the call's. */
  private Object runBlock(Call call, Api.CodeBlock block, Object input) throws Stop {
    long left = call.deadline.remainingNanos();
    String step = "the code block " + block.file();
    if (left <= 0) {
      throw call.stop(
          ErrorCode.UPSTREAM_TIMEOUT, call.deadline.ranOut(step, "it could not start"), List.of());
    }
    Duration own = Duration.ofMillis(block.timeoutMs());
    boolean callBinds = left < own.toNanos();
    try {
      // at least a millisecond: runners read zero as "the default"
      return code.run(
          call.c, block, input, callBinds ? Duration.ofMillis(Math.max(1, left / 1_000_000)) : own);
    } catch (CodeBlocks.Failure e) {
      if (CodeBlocks.UNAVAILABLE.equals(e.kind())) { // the server's shortcoming, not the block's
        String m =
            e.getMessage().startsWith(block.file())
                ? e.getMessage()
                : block.file() + ": " + e.getMessage();
        throw call.stop(
            ErrorCode.CODE_BLOCK_UNAVAILABLE, m, List.of(new Outcome.Detail(block.file(), m)));
      }
      if (callBinds && "TIMEOUT".equals(e.kind())) {
        throw call.stop(
            ErrorCode.UPSTREAM_TIMEOUT, call.deadline.ranOut(step, "it did not finish"), List.of());
      }
      throw call.codeFailure(block, e.getMessage(), e.line());
    }
  }

  // 8. outputs, typed; what cannot take its type is a warning
  @SuppressWarnings("unchecked")
  private static Outcome outputs(Call call, Object document) {
    OutputExtractor.Extracted out = OutputExtractor.extract(call.api.outputs(), document);
    List<Outcome.Detail> warnings =
        out.warnings().stream()
            .map(w -> new Outcome.Detail(w.path(), call.masker.mask(w.message())))
            .toList();
    return new Outcome.Success(
        (Map<String, Object>) call.masker.maskData(out.data()), call.exchange(), warnings);
  }

  /**
   * The seed's "Get Access Token" button: fetches a new token for a client-credentials connection
   * now (whatever is cached; the new one replaces it) and returns the token response with the token
   * masked. Success data: {@code access_token} (******), {@code expiresAt} (ISO-8601) and {@code
   * expiresInSeconds}; the exchange shows the token request and response, masked.
   */
  public Outcome getAccessToken(PreparedConnection c) {
    long start = System.nanoTime();
    if (!(c.connection().auth() instanceof Auth.ClientCredentials)) {
      return new Outcome.Failure(
          ErrorCode.NOT_CLIENT_CREDENTIALS,
          "the connection \""
              + c.id()
              + "\" does not use OAuth 2.0 client credentials: it has no token to get",
          List.of(),
          Exchange.NONE);
    }
    try {
      TokenManager.Fetched f = tokens.fresh(c);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("access_token", Masker.MASK);
      data.put("expiresAt", f.expiresAt().toString());
      data.put(
          "expiresInSeconds",
          Math.max(0, Duration.between(tokens.now(), f.expiresAt()).toSeconds()));
      return new Outcome.Success(data, withDuration(f.exchange(), start));
    } catch (TokenManager.TokenException e) {
      return new Outcome.Failure(
          e.code(), e.getMessage(), List.of(), withDuration(e.exchange(), start));
    }
  }

  /**
   * What the "API Authentication &amp; Connection" workflow node hands out.
   *
   * @param values the connection's current auth values in plaintext, for the granted application
   *     only (never log them): {@code access_token} for OAuth 2.0, {@code username} and {@code
   *     password} for Basic, nothing for none/API key
   * @param outcome what to log: on success the same names with masked values and the token exchange
   *     if a token was fetched; on failure the error (e.g. TOKEN_REQUEST_FAILED)
   */
  public record AuthValues(Map<String, Object> values, Outcome outcome) {}

  /**
   * The connection's current auth values for a granted application (the caller has checked the
   * grant and logs every hand-out). A cached token is handed out while it is valid; otherwise a new
   * one is fetched, exactly as an invocation would.
   *
   * @param account the user account for an authorization-code connection, else {@link
   *     TokenManager#CONNECTION_ACCOUNT}
   */
  public AuthValues authValues(PreparedConnection c, String account) {
    long start = System.nanoTime();
    Map<String, Object> values = new LinkedHashMap<>();
    Exchange exchange = Exchange.NONE;
    switch (c.connection().auth()) {
      case Auth.None n -> {}
      case Auth.Basic b -> {
        RequestRenderer.Values v =
            new RequestRenderer.Values(c.parameters(), Map.of(), Map.of(), Map.of());
        values.put("username", PlainText.of(c.auth().username().renderValue(v)));
        values.put("password", PlainText.of(c.auth().password().renderValue(v)));
      }
      case Auth.ClientCredentials cc -> {
        try {
          TokenManager.Fetched f = tokens.token(c, account, null);
          values.put("access_token", f.token());
          values.put("expiresAt", f.expiresAt().toString());
          exchange = f.exchange() == null ? Exchange.NONE : f.exchange();
        } catch (TokenManager.TokenException e) {
          return new AuthValues(
              Map.of(),
              new Outcome.Failure(
                  e.code(), e.getMessage(), List.of(), withDuration(e.exchange(), start)));
        }
      }
      case Auth.AuthorizationCode ac -> {
        try {
          TokenManager.Fetched f = tokens.token(c, account, null);
          values.put("access_token", f.token());
          values.put("expiresAt", f.expiresAt().toString());
        } catch (TokenManager.TokenException e) {
          return new AuthValues(
              Map.of(),
              new Outcome.Failure(
                  e.code(), e.getMessage(), List.of(), withDuration(e.exchange(), start)));
        }
      }
    }
    Map<String, Object> logged = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> logged.put(k, k.equals("expiresAt") || k.equals("username") ? v : Masker.MASK));
    return new AuthValues(
        Map.copyOf(values), new Outcome.Success(logged, withDuration(exchange, start)));
  }

  private static Exchange withDuration(Exchange e, long start) {
    Exchange x = e == null ? Exchange.NONE : e;
    return new Exchange(x.request(), x.response(), Recorder.millisSince(start), x.tokenRefreshed());
  }

  /** A failure that ends the pipeline (internal: callers get it as a value). */
  private static final class Stop extends Exception {
    final transient Outcome.Failure failure;

    Stop(Outcome.Failure failure) {
      super(failure.message(), null, false, false);
      this.failure = failure;
    }
  }

  /** The state of one call: what was sent and received so far, and the secrets to mask. */
  private final class Call {
    final PreparedConnection c;
    final PreparedApi api;
    final String account;
    final long start = System.nanoTime();
    final Deadline deadline;
    Masker masker;
    Exchange.SentRequest sent;
    Upstream.Response response;
    boolean refreshed;

    Call(PreparedConnection c, PreparedApi api, String account) {
      this.c = c;
      this.api = api;
      this.account = account == null ? TokenManager.CONNECTION_ACCOUNT : account;
      this.masker = c.masker();
      this.deadline = Deadline.in(api.api().request().timeoutSeconds());
    }

    long millis() {
      return Recorder.millisSince(start);
    }

    Exchange exchange() {
      return new Exchange(
          sent, response == null ? null : recorder.received(response, masker), millis(), refreshed);
    }

    Stop stop(ErrorCode code, String message, List<Outcome.Detail> details) {
      return new Stop(new Outcome.Failure(code, message, details, exchange()));
    }

    Stop codeFailure(Api.CodeBlock block, String message) {
      return codeFailure(block, message, 0);
    }

    /** 422 naming the block: the detail's path is the file, with the line when known. */
    Stop codeFailure(Api.CodeBlock block, String message, int line) {
      String m = masker.mask(message == null ? "failed" : message);
      return stop(
          ErrorCode.CODE_BLOCK_FAILED,
          m.startsWith(block.file()) ? m : block.file() + ": " + m,
          List.of(new Outcome.Detail(line > 0 ? block.file() + ":" + line : block.file(), m)));
    }
  }
}
