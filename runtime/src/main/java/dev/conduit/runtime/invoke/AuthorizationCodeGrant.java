package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.JsonPath;
import dev.conduit.bundle.Auth;
import dev.conduit.template.PlainText;
import dev.conduit.template.Template;
import dev.conduit.template.TemplateException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests an authorization-code connection makes to its provider (RFC 6749 section 4.1, RFC
 * 7636 PKCE, RFC 7009 revocation): the authorization URL, the code exchange, the refresh, the
 * revocation and the optional userinfo read for an account's name. Settings come from the
 * connection's auth (templates rendered with its parameters, hidden ones opened in memory);
 * requests go through {@link Upstream}, so allowedHosts and the private-address guard hold.
 * Messages never carry a secret: the client secret and every token are masked.
 */
public final class AuthorizationCodeGrant {

  /** Why the provider's answer cannot be used; the message is safe to show. */
  public static final class GrantException extends Exception {
    /** What went wrong, for the caller to decide (invalid_grant needs re-authorization). */
    public enum Kind {
      INVALID_GRANT,
      REFUSED,
      INCOMPLETE,
      UNREACHABLE,
      CONFIGURATION
    }

    private final Kind kind;

    GrantException(Kind kind, String message) {
      super(message);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  /**
   * A token response: the access token, the refresh token (may be null), expiry, the parsed body.
   */
  public record Granted(String accessToken, String refreshToken, Instant expiresAt, Object body) {
    @Override
    public String toString() {
      return "Granted[expiresAt=" + expiresAt + "]";
    }
  }

  static final int TIMEOUT_SECONDS = 10;
  private final Upstream upstream;
  private final Clock clock;

  public AuthorizationCodeGrant(Upstream upstream, Clock clock) {
    this.upstream = upstream;
    this.clock = clock;
  }

  /** The connection's authorization-code settings, or a CONFIGURATION failure. */
  public static Auth.AuthorizationCode settings(PreparedConnection c) throws GrantException {
    if (c.connection().auth() instanceof Auth.AuthorizationCode ac) {
      return ac;
    }
    throw new GrantException(
        GrantException.Kind.CONFIGURATION,
        "the connection \"" + c.id() + "\" does not use OAuth 2.0 authorization code");
  }

  /** Where the member's browser goes: the provider's authorization URL with state and PKCE S256. */
  public String authorizationUrl(
      PreparedConnection c, String redirectUri, String state, String codeChallenge)
      throws GrantException {
    Auth.AuthorizationCode ac = settings(c);
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", render(c, ac.clientId(), "clientId"));
    q.put("redirect_uri", redirectUri);
    if (ac.scopes() != null && !ac.scopes().isEmpty()) {
      q.put("scope", String.join(" ", ac.scopes()));
    }
    q.put("state", state);
    q.put("code_challenge", codeChallenge);
    q.put("code_challenge_method", "S256");
    if (ac.authorizationParameters() != null) {
      for (Map.Entry<String, String> e : ac.authorizationParameters().entrySet()) {
        q.putIfAbsent(e.getKey(), render(c, e.getValue(), "authorizationParameters." + e.getKey()));
      }
    }
    String base = url(c, ac.authorizationUrl(), "authorizationUrl");
    return base + (base.contains("?") ? "&" : "?") + TokenManager.form(q);
  }

  /** Exchanges an authorization code (with its PKCE verifier) at the token URL. */
  public Granted exchange(PreparedConnection c, String code, String verifier, String redirectUri)
      throws GrantException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("grant_type", "authorization_code");
    p.put("code", code);
    p.put("redirect_uri", redirectUri);
    p.put("code_verifier", verifier);
    return tokenRequest(c, p, List.of(code, verifier), null);
  }

  /**
   * A refresh-token grant; a provider that rotates gives a new refresh token, else it stays null.
   */
  public Granted refresh(PreparedConnection c, String refreshToken) throws GrantException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("grant_type", "refresh_token");
    p.put("refresh_token", refreshToken);
    return tokenRequest(c, p, List.of(refreshToken), refreshToken);
  }

  /** Revokes a token at the revocation URL (RFC 7009); false when the connection has none. */
  public boolean revoke(PreparedConnection c, String token, String hint) throws GrantException {
    Auth.AuthorizationCode ac = settings(c);
    if (ac.revocationUrl() == null) {
      return false;
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("token", token);
    p.put("token_type_hint", hint);
    Upstream.Response r = post(c, url(c, ac.revocationUrl(), "revocationUrl"), p, List.of(token));
    if (r.status() / 100 != 2) {
      throw new GrantException(
          GrantException.Kind.REFUSED, "the revocation endpoint answered " + r.status());
    }
    return true;
  }

  /** The account's display name per auth.accountName, or null when the connection does not say. */
  public String accountName(PreparedConnection c, Granted granted) throws GrantException {
    Auth.AuthorizationCode ac = settings(c);
    if (ac.accountName() == null) {
      return null;
    }
    Object doc = granted.body();
    if (ac.accountName().userinfoUrl() != null) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("Accept", List.of("application/json"));
      headers.put("Authorization", List.of("Bearer " + granted.accessToken()));
      Upstream.Response r =
          send(
              c,
              new OutgoingRequest(
                  "GET",
                  uri(c, url(c, ac.accountName().userinfoUrl(), "accountName.userinfoUrl")),
                  headers,
                  null,
                  TIMEOUT_SECONDS,
                  true),
              List.of(granted.accessToken()));
      if (r.status() / 100 != 2) {
        throw new GrantException(
            GrantException.Kind.REFUSED, "the userinfo URL answered " + r.status());
      }
      doc = UpstreamJson.value(r.body());
    }
    Object v =
        doc == null
            ? null
            : JsonPath.compile(ac.accountName().path()).read(doc, UpstreamJson.PATHS);
    return v == null || v instanceof Map || v instanceof List ? null : String.valueOf(v);
  }

  private Granted tokenRequest(
      PreparedConnection c,
      Map<String, String> params,
      List<String> secrets,
      String previousRefresh)
      throws GrantException {
    Auth.AuthorizationCode ac = settings(c);
    Upstream.Response r = post(c, url(c, ac.tokenUrl(), "tokenUrl"), params, secrets);
    Object body = UpstreamJson.value(r.body());
    String error = body instanceof Map<?, ?> m && m.get("error") instanceof String s ? s : null;
    if ("invalid_grant".equals(error)) {
      throw new GrantException(
          GrantException.Kind.INVALID_GRANT,
          "the provider refused the grant (invalid_grant): the account must be authorized again");
    }
    if (r.status() / 100 != 2 || error != null) {
      throw new GrantException(
          GrantException.Kind.REFUSED,
          "the token endpoint answered "
              + r.status()
              + (error == null ? "" : " with error \"" + error + "\""));
    }
    String access =
        body == null
            ? null
            : TokenManager.text(
                JsonPath.compile(ac.tokenResponse().accessTokenPath())
                    .read(body, UpstreamJson.PATHS));
    if (access == null || access.isBlank()) {
      throw new GrantException(
          GrantException.Kind.INCOMPLETE,
          "the token response has no access token at " + ac.tokenResponse().accessTokenPath());
    }
    String refresh =
        TokenManager.text(
            JsonPath.compile(ac.tokenResponse().refreshTokenPath()).read(body, UpstreamJson.PATHS));
    Object expiresIn =
        JsonPath.compile(ac.tokenResponse().expiresInPath()).read(body, UpstreamJson.PATHS);
    Duration lifetime = TokenManager.DEFAULT_LIFETIME;
    if (expiresIn instanceof Number n && n.longValue() > 0 && n.longValue() < Integer.MAX_VALUE) {
      lifetime = Duration.ofSeconds(n.longValue());
    } else if (expiresIn instanceof String s && s.strip().matches("\\d{1,9}")) {
      lifetime = Duration.ofSeconds(Long.parseLong(s.strip()));
    }
    return new Granted(
        access,
        refresh == null || refresh.isBlank() ? previousRefresh : refresh,
        clock.instant().plus(lifetime),
        body);
  }

  /** A form POST with the client's authentication (in the body, or HTTP Basic). */
  private Upstream.Response post(
      PreparedConnection c, String url, Map<String, String> params, List<String> secrets)
      throws GrantException {
    Auth.AuthorizationCode ac = settings(c);
    String id = render(c, ac.clientId(), "clientId");
    String secret = render(c, ac.clientSecret(), "clientSecret");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Accept", List.of("application/json"));
    headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
    Map<String, String> p = new LinkedHashMap<>(params);
    if ("basic".equals(ac.clientAuthentication())) {
      headers.put(
          "Authorization",
          List.of(
              "Basic "
                  + Masker.basicToken(RequestRenderer.encode(id), RequestRenderer.encode(secret))));
    } else {
      p.put("client_id", id);
      p.put("client_secret", secret);
    }
    List<String> masked = new java.util.ArrayList<>(secrets);
    masked.add(secret);
    return send(
        c,
        new OutgoingRequest(
            "POST",
            uri(c, url),
            headers,
            TokenManager.form(p).getBytes(StandardCharsets.UTF_8),
            TIMEOUT_SECONDS,
            true),
        masked);
  }

  private Upstream.Response send(PreparedConnection c, OutgoingRequest r, List<String> secrets)
      throws GrantException {
    try {
      return upstream.send(r, c.connection().allowedHosts(), c.allowsPrivateNetwork());
    } catch (Upstream.UpstreamException e) {
      throw new GrantException(
          GrantException.Kind.UNREACHABLE,
          "the provider at "
              + r.uri().getHost()
              + " cannot be reached: "
              + c.masker().with(secrets).mask(e.getMessage()));
    }
  }

  private static URI uri(PreparedConnection c, String url) throws GrantException {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new GrantException(
          GrantException.Kind.CONFIGURATION,
          "the URL of the connection \""
              + c.id()
              + "\" is not valid: "
              + c.masker().mask(e.getMessage()));
    }
  }

  private static String url(PreparedConnection c, String template, String what)
      throws GrantException {
    try {
      return RequestRenderer.url(Template.parse(template), values(c));
    } catch (TemplateException | RuntimeException e) {
      throw new GrantException(
          GrantException.Kind.CONFIGURATION,
          "auth."
              + what
              + " of the connection \""
              + c.id()
              + "\" cannot be rendered: "
              + c.masker().mask(e.getMessage()));
    }
  }

  private static String render(PreparedConnection c, String template, String what)
      throws GrantException {
    try {
      Object v = Template.parse(template).renderValue(values(c));
      return v == null ? "" : PlainText.of(v);
    } catch (TemplateException | RuntimeException e) {
      throw new GrantException(
          GrantException.Kind.CONFIGURATION,
          "auth."
              + what
              + " of the connection \""
              + c.id()
              + "\" cannot be rendered: "
              + c.masker().mask(e.getMessage()));
    }
  }

  private static RequestRenderer.Values values(PreparedConnection c) {
    return new RequestRenderer.Values(c.parameters(), Map.of(), Map.of(), Map.of());
  }
}
