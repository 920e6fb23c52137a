package dev.conduit.runtime.web.identity;

import dev.conduit.runtime.auth.BasicCredentials;
import dev.conduit.runtime.identity.HapError;
import dev.conduit.runtime.identity.IdentityException;
import dev.conduit.runtime.identity.OAuthError;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Who the client of a standard request is (RFC 6749 section 2.3.1): client_secret_basic (HTTP Basic
 * of the form-encoded id and secret) or client_secret_post (client_id and client_secret in the
 * form), exactly one of them. Every application has a secret, so a request without one is refused.
 */
final class ClientAuthentication {
  private ClientAuthentication() {}

  record Client(String id, String secret) {}

  /** The client of a standard request, or invalid_client / invalid_request. */
  static Client of(String authorization, Map<String, String> params) throws IdentityException {
    boolean basicSent =
        authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    if (basicSent) {
      if (params.containsKey("client_secret")) {
        throw new IdentityException(
            HapError.BAD_PARAMETER,
            OAuthError.INVALID_REQUEST,
            "use one client authentication method: HTTP Basic or client_secret in the form, not both");
      }
      Client c =
          basic(authorization)
              .orElseThrow(
                  () ->
                      new IdentityException(
                          HapError.BAD_PARAMETER,
                          OAuthError.INVALID_CLIENT,
                          "the HTTP Basic credentials are malformed"));
      String formId = params.get("client_id");
      if (formId != null && !formId.equals(c.id())) {
        throw new IdentityException(
            HapError.BAD_PARAMETER,
            OAuthError.INVALID_REQUEST,
            "client_id differs from the client of the HTTP Basic credentials");
      }
      return c;
    }
    String id = params.get("client_id");
    String secret = params.get("client_secret");
    if (id == null || secret == null) {
      throw new IdentityException(
          HapError.MISSING_PARAMETER,
          OAuthError.INVALID_CLIENT,
          "client authentication is missing: send HTTP Basic (client_secret_basic) or client_id and client_secret");
    }
    return new Client(id, secret);
  }

  /** HTTP Basic carries the id and secret form-encoded (RFC 6749 section 2.3.1). */
  static Optional<Client> basic(String authorization) {
    try {
      return BasicCredentials.parse(authorization)
          .map(
              c ->
                  new Client(
                      URLDecoder.decode(c.user(), StandardCharsets.UTF_8),
                      URLDecoder.decode(c.password(), StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) { // a broken %-escape
      return Optional.empty();
    }
  }

  /** RFC 6749 section 3.2: a parameter sent more than once is an invalid request. */
  static void requireSingle(MultivaluedMap<String, String> form) throws IdentityException {
    for (var e : form.entrySet()) {
      if (e.getValue().size() > 1) {
        throw new IdentityException(
            HapError.BAD_PARAMETER,
            OAuthError.INVALID_REQUEST,
            e.getKey().length() > 64
                ? "a parameter is sent more than once"
                : e.getKey() + " is sent more than once");
      }
    }
  }
}
