package dev.conduit.runtime.accounts;

import dev.conduit.bundle.Auth;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The addresses of the accounts flow, all under the runtime's public URL (conduit.public-url): the
 * redirect URI to register at the provider, and the pages people open.
 */
public record Links(String publicUrl) {

  /**
   * The redirect URI of a connection: {public-url}/api/v1/connections/{connection}/oauth2/callback.
   * It names no organization (providers want one fixed URI per OAuth app); the state says which.
   */
  public String redirectUri(String connectionId) {
    return publicUrl + Auth.AuthorizationCode.redirectPath(connectionId);
  }

  /** The "connect an account" page of a connection. */
  public String connectPage(String organizationId, String connectionId) {
    return publicUrl + "/accounts/" + enc(organizationId) + "/" + enc(connectionId) + "/connect";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
