package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.JsonPath;
import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.template.SecretReferences;
import dev.conduit.template.Template;
import dev.conduit.template.TemplateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection made ready to serve, once per bundle load: hidden parameters opened (in memory
 * only), every template parsed, every JSONPath compiled. Nothing is parsed per call.
 */
public final class PreparedConnection {

  /** A connection that cannot be prepared; the message names it and never shows a secret. */
  public static final class PrepareException extends Exception {
    public PrepareException(String message) {
      super(message);
    }
  }

  private final String organizationId;
  private final Connection connection;
  private final Map<String, Object> parameters;
  private final Masker masker;
  private final Map<String, PreparedApi> apis;
  private final PreparedAuth auth;
  private final boolean allowsPrivateNetwork;

  private PreparedConnection(
      String organizationId,
      Connection connection,
      Map<String, Object> parameters,
      Masker masker,
      Map<String, PreparedApi> apis,
      PreparedAuth auth,
      boolean allowsPrivateNetwork) {
    this.allowsPrivateNetwork = allowsPrivateNetwork;
    this.organizationId = organizationId;
    this.connection = connection;
    this.parameters = parameters;
    this.masker = masker;
    this.apis = apis;
    this.auth = auth;
  }

  /**
   * @param opener the runtime's private key; may be null when the connection has no hidden
   *     parameter with a value
   * @param privateNetwork the operator's rule: whether the connection's allowPrivateNetwork counts
   */
  public static PreparedConnection prepare(
      String organizationId, Connection c, Opener opener, PrivateNetworkRule privateNetwork)
      throws PrepareException {
    Map<String, Object> params = new LinkedHashMap<>();
    List<String> secrets = new ArrayList<>();
    for (Connection.Parameter p : c.parameters()) {
      if (!p.hidden()) {
        params.put(p.name(), p.value());
      } else if (p.sealed() != null) {
        if (opener == null) {
          throw new PrepareException(
              "connection \""
                  + c.id()
                  + "\": parameter \""
                  + p.name()
                  + "\" is sealed, but the runtime has no private key (conduit.sealing.private-key)");
        }
        try {
          String value = opener.open(p.sealed(), new SealContext(organizationId, c.id(), p.name()));
          params.put(p.name(), value);
          secrets.add(value);
        } catch (SealException e) {
          throw new PrepareException(
              "connection \"" + c.id() + "\": parameter \"" + p.name() + "\": " + e.getMessage());
        }
      } else {
        params.put(p.name(), null);
      }
    }
    Masker masker = Masker.of(secrets);
    PreparedAuth auth = PreparedAuth.of(c);
    Map<String, PreparedApi> apis = new LinkedHashMap<>();
    for (Api api : c.apis()) {
      try {
        apis.put(api.id(), PreparedApi.of(c, api));
      } catch (TemplateException | RuntimeException e) {
        throw new PrepareException(
            "connection \"" + c.id() + "\" API \"" + api.id() + "\": " + e.getMessage());
      }
    }
    return new PreparedConnection(
        organizationId,
        c,
        Collections.unmodifiableMap(params),
        masker,
        Collections.unmodifiableMap(apis),
        auth,
        c.allowPrivateNetwork() && privateNetwork.permits(organizationId));
  }

  /**
   * Whether calls may reach loopback and private addresses: the connection sets allowPrivateNetwork
   * and the operator lets its organization ({@link PrivateNetworkRule}). Every upstream request of
   * the connection asks this, never the flag itself.
   */
  public boolean allowsPrivateNetwork() {
    return allowsPrivateNetwork;
  }

  public String organizationId() {
    return organizationId;
  }

  public Connection connection() {
    return connection;
  }

  public String id() {
    return connection.id();
  }

  /** Every parameter's value, hidden ones opened: for templates and code blocks only. */
  Map<String, Object> parameters() {
    return parameters;
  }

  /**
   * The alert webhook's signing key: the opened value of the hidden parameter the connection names
   * in notifications.webhookSecretParameter, or null.
   */
  public String webhookSigningKey() {
    String name = connection.notifications().webhookSecretParameter();
    Object v = name == null ? null : parameters.get(name);
    return v == null ? null : v.toString();
  }

  public Masker masker() {
    return masker;
  }

  public PreparedApi api(String id) {
    return apis.get(id);
  }

  PreparedAuth auth() {
    return auth;
  }

  /**
   * The auth templates, parsed, and its JSONPaths compiled (the token response's token and
   * lifetime, the token-expired body path); null where the auth kind has none.
   */
  record PreparedAuth(
      Auth auth,
      Template username,
      Template password,
      Template tokenUrl,
      Map<String, Template> tokenParameters,
      Map<String, Template> tokenHeaders,
      JsonPath accessTokenPath,
      JsonPath expiresInPath,
      JsonPath expiredBodyPath) {

    static PreparedAuth of(Connection c) throws PrepareException {
      String where = "connection \"" + c.id() + "\": auth: ";
      try {
        return switch (c.auth()) {
          case Auth.Basic b ->
              new PreparedAuth(
                  b,
                  Template.parse(b.username()),
                  Template.parse(b.password()),
                  null,
                  Map.of(),
                  Map.of(),
                  null,
                  null,
                  null);
          case Auth.ClientCredentials cc ->
              new PreparedAuth(
                  cc,
                  null,
                  null,
                  Template.parse(cc.tokenUrl()),
                  parseAll(cc.parameters()),
                  parseAll(cc.headers()),
                  path(
                      where + "tokenResponse.accessTokenPath",
                      cc.tokenResponse().accessTokenPath()),
                  path(where + "tokenResponse.expiresInPath", cc.tokenResponse().expiresInPath()),
                  cc.tokenExpired().bodyPath() == null
                      ? null
                      : path(where + "tokenExpired.bodyPath", cc.tokenExpired().bodyPath()));
          case Auth.AuthorizationCode ac ->
              new PreparedAuth(
                  ac,
                  null,
                  null,
                  Template.parse(ac.tokenUrl()),
                  Map.of(
                      "client_id",
                      Template.parse(ac.clientId()),
                      "client_secret",
                      Template.parse(ac.clientSecret())),
                  Map.of(),
                  path(
                      where + "tokenResponse.accessTokenPath",
                      ac.tokenResponse().accessTokenPath()),
                  path(where + "tokenResponse.expiresInPath", ac.tokenResponse().expiresInPath()),
                  ac.tokenExpired().bodyPath() == null
                      ? null
                      : path(where + "tokenExpired.bodyPath", ac.tokenExpired().bodyPath()));
          case Auth.None n ->
              new PreparedAuth(n, null, null, null, Map.of(), Map.of(), null, null, null);
        };
      } catch (TemplateException e) {
        throw new PrepareException(where + e.getMessage());
      }
    }

    /** How the upstream says the token expired (OAuth 2.0 kinds), or null. */
    Auth.TokenExpired tokenExpired() {
      return switch (auth) {
        case Auth.ClientCredentials cc -> cc.tokenExpired();
        case Auth.AuthorizationCode ac -> ac.tokenExpired();
        case Auth.None n -> null;
        case Auth.Basic b -> null;
      };
    }

    private static JsonPath path(String where, String path) throws PrepareException {
      try {
        return JsonPath.compile(path);
      } catch (RuntimeException e) {
        throw new PrepareException(
            where + " \"" + path + "\" is not a JSONPath: " + e.getMessage());
      }
    }
  }

  static Map<String, Template> parseAll(Map<String, String> templates) throws TemplateException {
    Map<String, Template> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : templates.entrySet()) {
      out.put(e.getKey(), Template.parse(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Whether a template references a secret: a hidden parameter or an auth value. */
  static boolean referencesSecret(Template t, Connection c) {
    boolean anyHidden = c.parameters().stream().anyMatch(Connection.Parameter::hidden);
    return t.references().stream()
        .anyMatch(
            r ->
                SecretReferences.carried(
                        r,
                        name -> c.parameter(name).map(Connection.Parameter::hidden).orElse(false),
                        anyHidden)
                    .isPresent());
  }
}
