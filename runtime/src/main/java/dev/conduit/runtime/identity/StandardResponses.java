package dev.conduit.runtime.identity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token endpoint's answers as RFC 6749 section 5 gives them, for standard clients (HAP's
 * clients get {@link HapResponses}): {@code token_type} "Bearer", {@code expires_in} a number,
 * errors as {@code error} and {@code error_description}.
 */
public final class StandardResponses {
  private StandardResponses() {}

  /** {"access_token","token_type":"Bearer","expires_in":N,"refresh_token"} (RFC 6749 5.1) */
  public static Map<String, Object> token(IdentityProvider.TokenPair pair) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("access_token", pair.accessToken());
    m.put("token_type", "Bearer");
    m.put("expires_in", pair.expiresIn());
    m.put("refresh_token", pair.refreshToken());
    return m;
  }

  /**
   * {"error","error_description"} (RFC 6749 5.2). The messages name parameters as HAP does; a
   * standard client knows app_key and app_secret as client_id and client_secret.
   */
  public static Map<String, Object> error(IdentityException e) {
    return error(
        e.standard(),
        e.getMessage().replace("app_key", "client_id").replace("app_secret", "client_secret"));
  }

  public static Map<String, Object> error(OAuthError error, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error.code());
    m.put("error_description", description(description));
    return m;
  }

  /**
   * RFC 6749 allows only printable ASCII without {@code "} and {@code \} in error_description
   * (%x20-21 / %x23-5B / %x5D-7E): anything else becomes a space, so strict clients can parse every
   * message.
   */
  static String description(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : ' ');
    }
    return sb.toString();
  }
}
