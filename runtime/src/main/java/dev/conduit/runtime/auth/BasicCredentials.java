package dev.conduit.runtime.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** An HTTP Basic Authorization header, decoded. */
public record BasicCredentials(String user, String password) {

  public static Optional<BasicCredentials> parse(String header) {
    if (header == null
        || header.length() < 7
        || !header.regionMatches(true, 0, "Basic ", 0, 6)
        || header.length() > 4096) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      return Optional.of(
          new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
