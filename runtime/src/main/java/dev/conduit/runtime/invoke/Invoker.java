package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation, readable top to bottom in {@link #invoke}: inputs, before block, request,
 * auth, send, token-expired retry, after block, outputs. Every failure becomes an
 * {@link Outcome.Failure} value with its code and HTTP status; secrets are masked in all that
 * it records.
 */
public final class Invoker {

  private static final Configuration PATHS = Configuration.defaultConfiguration()
      .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL);

  private final Upstream upstream;
  private final TokenManager tokens;
  private final CodeBlocks code;

  public Invoker(Upstream upstream, TokenManager tokens, CodeBlocks code) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.code = code;
  }

  /** Whether applications may invoke the API: published and enabled (Test API skips this). */
  public static Outcome.Failure refusal(Api api) {
    if (!api.enabled()) {
      return new Outcome.Failure(ErrorCode.API_DISABLED, "the API \"" + api.id() + "\" is disabled", List.of(), Exchange.NONE);
    }
    if (api.status() != Api.Status.published) {
      return new Outcome.Failure(ErrorCode.API_NOT_PUBLISHED,
          "the API \"" + api.id() + "\" is a draft: only published APIs can be invoked", List.of(), Exchange.NONE);
    }
    return null;
  }

  public Outcome invoke(PreparedConnection c, PreparedApi api, Map<String, Object> given) {
    long start = System.nanoTime();
    Masker masker = c.masker();

    // 1. inputs
    InputValidator.Result inputs = InputValidator.validate(api.api().inputs(), given);
    if (!inputs.ok()) {
      return new Outcome.Failure(ErrorCode.INVALID_INPUT,
          inputs.problems().size() + " invalid input" + (inputs.problems().size() == 1 ? "" : "s"),
          inputs.problems(), Exchange.NONE);
    }

    // 2. before block: its result is {{before.NAME}}
    Map<String, Object> before = Map.of();
    if (api.api().before() != null) {
      Map<String, Object> blockInput = new LinkedHashMap<>();
      blockInput.put("input", inputs.values());
      blockInput.put("connection", c.parameters());
      try {
        Object result = code.run(api.api().before(), blockInput);
        if (!(result instanceof Map<?, ?> m)) {
          return codeFailure(api.api().before(), "main must return an object (its keys become {{before.NAME}})", start, masker);
        }
        before = stringKeys(m);
      } catch (CodeBlocks.Failure e) {
        return codeFailure(api.api().before(), e.getMessage(), start, masker);
      }
    }

    // 3. auth values, 4. the request, 5. send; refresh the token and retry once if it expired
    Exchange.SentRequest sent = null;
    Upstream.Response response = null;
    boolean refreshed = false;
    String token = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      Map<String, Object> authValues = new LinkedHashMap<>();
      Map<String, String> extraHeaders = new LinkedHashMap<>();
      Masker callMasker = masker;
      RequestRenderer.Values base = new RequestRenderer.Values(c.parameters(), inputs.values(), Map.of(), before);
      switch (c.connection().auth()) {
        case Auth.Basic b -> {
          String user = dev.conduit.template.PlainText.of(c.auth().username().renderValue(base));
          String password = dev.conduit.template.PlainText.of(c.auth().password().renderValue(base));
          authValues.put("username", user);
          authValues.put("password", password);
          String header = Masker.basicToken(user, password);
          extraHeaders.put("Authorization", "Basic " + header);
          callMasker = masker.with(List.of(header, password));
        }
        case Auth.ClientCredentials cc -> {
          try {
            TokenManager.Fetched f = tokens.token(c, attempt == 0 ? null : token);
            token = f.token();
          } catch (TokenManager.TokenException e) {
            return new Outcome.Failure(ErrorCode.TOKEN_REQUEST_FAILED, e.getMessage(), List.of(),
                withDuration(e.exchange(), start));
          }
          authValues.put("access_token", token);
          callMasker = masker.with(List.of(token));
        }
        case Auth.AuthorizationCode ac -> {
          return new Outcome.Failure(ErrorCode.CONFIGURATION,
              "authorization-code connections need a user's authorized account; this runtime does not hold one yet",
              List.of(), Exchange.NONE);
        }
        case Auth.None n -> { }
      }
      RequestRenderer.Values values = new RequestRenderer.Values(c.parameters(), inputs.values(), authValues, before);
      OutgoingRequest request;
      try {
        request = RequestRenderer.render(api, values, extraHeaders);
      } catch (URISyntaxException | IllegalArgumentException e) {
        return new Outcome.Failure(ErrorCode.CONFIGURATION, "the request URL is not valid: "
            + callMasker.mask(e.getMessage()), List.of(), new Exchange(null, null, Recorder.millisSince(start), refreshed));
      }
      sent = Recorder.sent(request, callMasker);
      try {
        response = upstream.send(request, c.connection().allowedHosts(), c.connection().allowPrivateNetwork());
      } catch (Upstream.UpstreamException e) {
        return new Outcome.Failure(e.code(), callMasker.mask(e.getMessage()), List.of(),
            new Exchange(sent, null, Recorder.millisSince(start), refreshed));
      }
      masker = callMasker;
      if (attempt == 0 && c.connection().auth() instanceof Auth.ClientCredentials cc && tokenExpired(cc.tokenExpired(), response)) {
        refreshed = true;
        continue;
      }
      break;
    }

    Exchange exchange = new Exchange(sent, Recorder.received(response, masker), Recorder.millisSince(start), refreshed);
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.status() / 100 != 2) {
      return new Outcome.Failure(ErrorCode.UPSTREAM_ERROR,
          "the upstream answered " + response.status() + ": " + Recorder.excerpt(masker.mask(text)),
          List.of(new Outcome.Detail("upstream.status", String.valueOf(response.status()))), exchange);
    }
    Object body = text.isBlank() ? null : TokenManager.parse(response.body());
    Object document = body == null && !text.isBlank() ? text : body;

    // 6. after block: outputs are read from what it returns
    if (api.api().after() != null) {
      Map<String, Object> blockInput = new LinkedHashMap<>();
      blockInput.put("input", inputs.values());
      blockInput.put("before", before);
      Map<String, Object> resp = new LinkedHashMap<>();
      resp.put("status", response.status());
      Map<String, Object> headers = new LinkedHashMap<>();
      response.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(", ", v)));
      resp.put("headers", headers);
      resp.put("body", document);
      blockInput.put("response", resp);
      try {
        document = code.run(api.api().after(), blockInput);
      } catch (CodeBlocks.Failure e) {
        return codeFailure(api.api().after(), e.getMessage(), start, masker);
      }
    }

    // 7. outputs
    Map<String, Object> data = OutputExtractor.extract(api.outputs(), document);
    @SuppressWarnings("unchecked")
    Map<String, Object> masked = (Map<String, Object>) masker.maskData(data);
    return new Outcome.Success(masked, exchange);
  }

  static boolean tokenExpired(Auth.TokenExpired rule, Upstream.Response r) {
    if (rule.status().contains(r.status())) {
      return true;
    }
    if (rule.bodyPath() != null && r.status() / 100 == 2) {
      Object doc = TokenManager.parse(r.body());
      if (doc == null) {
        return false;
      }
      Object v = com.jayway.jsonpath.JsonPath.using(PATHS).parse(doc).read(rule.bodyPath());
      for (Object expected : rule.bodyValues()) {
        if (v != null && sameValue(v, expected)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
    }
    return Objects.equals(String.valueOf(a), String.valueOf(b));
  }

  private static Outcome.Failure codeFailure(Api.CodeBlock block, String message, long start, Masker masker) {
    return new Outcome.Failure(ErrorCode.CODE_BLOCK_FAILED, masker.mask(message),
        List.of(new Outcome.Detail(block.file(), masker.mask(message))),
        new Exchange(null, null, Recorder.millisSince(start), false));
  }

  private static Exchange withDuration(Exchange e, long start) {
    return new Exchange(e.request(), e.response(), Recorder.millisSince(start), e.tokenRefreshed());
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

}
