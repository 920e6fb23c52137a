package dev.conduit.bundle;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How a connection authenticates. Every template here may reference only connection parameters
 * ({@code {{connection.NAME}}}); the compiler checks it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Auth.None.class, name = Auth.None.TYPE),
  @JsonSubTypes.Type(value = Auth.Basic.class, name = Auth.Basic.TYPE),
  @JsonSubTypes.Type(value = Auth.ClientCredentials.class, name = Auth.ClientCredentials.TYPE),
  @JsonSubTypes.Type(value = Auth.AuthorizationCode.class, name = Auth.AuthorizationCode.TYPE)
})
public sealed interface Auth {

  /**
   * The kind's name, as connection.json's {@code auth.type} and the bundle spell it: each record's
   * {@code TYPE}, the one place a kind is named (the schema's enum is checked against these).
   */
  String type();

  /**
   * Whether the runtime adds this kind's credentials to every API request on its own (Basic's
   * Authorization header), so that every request carries a secret whatever its templates say. Token
   * kinds place their token through {@code {{auth.access_token}}} in the templates instead.
   */
  boolean sendsCredentialsItself();

  /** The names this auth kind offers to API templates as {@code {{auth.NAME}}}. */
  List<String> values();

  /** API key or no authentication: any key is a parameter placed by the API's template. */
  record None() implements Auth {
    public static final String TYPE = "none";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public boolean sendsCredentialsItself() {
      return false;
    }

    @Override
    public List<String> values() {
      return List.of();
    }
  }

  /** HTTP Basic on every request; username and password are templates. */
  record Basic(String username, String password) implements Auth {
    public static final String TYPE = "basic";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public boolean sendsCredentialsItself() {
      return true;
    }

    @Override
    public List<String> values() {
      return List.of("username", "password");
    }
  }

  /**
   * OAuth 2.0 client credentials: a token fetched with the configured request, cached per
   * connection and refreshed before it expires.
   *
   * @param method GET or POST
   * @param parameters the token request's parameters, templates by name
   * @param parametersIn query, form or json
   * @param expiresInSeconds the configured lifetime, or null to use the response's
   */
  record ClientCredentials(
      String tokenUrl,
      String method,
      Map<String, String> parameters,
      String parametersIn,
      Map<String, String> headers,
      TokenResponse tokenResponse,
      Integer expiresInSeconds,
      int refreshBeforeSeconds,
      TokenExpired tokenExpired)
      implements Auth {
    public static final String TYPE = "oauth2-client-credentials";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public boolean sendsCredentialsItself() {
      return false;
    }

    @Override
    public List<String> values() {
      return List.of("access_token");
    }
  }

  /**
   * OAuth 2.0 authorization code: a per-user token. The redirect URI is the runtime's own.
   *
   * @param clientAuthentication body or basic
   * @param authorizationParameters extra query parameters of the authorization URL (templates), or
   *     null when none
   * @param revocationUrl the provider's token revocation endpoint (RFC 7009), or null
   * @param accountName where an account's display name is read, or null (the member names it)
   */
  record AuthorizationCode(
      String authorizationUrl,
      String tokenUrl,
      String clientId,
      String clientSecret,
      List<String> scopes,
      String clientAuthentication,
      TokenResponse tokenResponse,
      int refreshBeforeSeconds,
      TokenExpired tokenExpired,
      Map<String, String> authorizationParameters,
      String revocationUrl,
      AccountName accountName)
      implements Auth {
    public static final String TYPE = "oauth2-authorization-code";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public boolean sendsCredentialsItself() {
      return false;
    }

    @Override
    public List<String> values() {
      return List.of("access_token");
    }

    /**
     * The path of a connection's redirect URI under the runtime's public URL, the one to register
     * at the provider; the runtime serves the callback there and the compiler prints it.
     */
    public static String redirectPath(String connectionId) {
      return "/api/v1/connections/"
          + URLEncoder.encode(connectionId, StandardCharsets.UTF_8).replace("+", "%20")
          + "/oauth2/callback";
    }
  }

  /**
   * Where a new account's display name comes from: the JSONPath {@code path} in the token response,
   * or, when {@code userinfoUrl} is set, in the answer of a GET to that URL made with the new
   * access token (e.g. GitHub's {@code https://api.github.com/user}, {@code $.login}).
   */
  record AccountName(String path, String userinfoUrl) {}

  /** JSONPaths of the token, its lifetime and the refresh token in a token response. */
  record TokenResponse(String accessTokenPath, String expiresInPath, String refreshTokenPath) {
    public static final TokenResponse DEFAULT =
        new TokenResponse("$.access_token", "$.expires_in", "$.refresh_token");
  }

  /**
   * How the upstream says a token expired: one of these statuses, or (when bodyPath is set) a body
   * whose value at bodyPath equals one of bodyValues.
   */
  record TokenExpired(List<Integer> status, String bodyPath, List<Object> bodyValues) {
    public static final TokenExpired DEFAULT = new TokenExpired(List.of(401), null, List.of());
  }
}
