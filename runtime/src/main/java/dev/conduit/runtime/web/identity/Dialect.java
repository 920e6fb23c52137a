package dev.conduit.runtime.web.identity;

import java.util.Map;

/**
 * Which contract a token or revocation request is answered in, decided here only. Seed 001's
 * clients (a GET, always; or a POST with HAP's {@code app_key}/{@code app_secret}/{@code format}
 * parameters) get HAP's answers byte for byte; any other POST is an RFC 6749 request and gets the
 * standard's JSON, error codes and statuses.
 */
enum Dialect {
  HAP,
  STANDARD;

  /** The dialect of a POST, from its parameters (form and query). */
  static Dialect ofPost(Map<String, String> params) {
    boolean hapNames =
        params.containsKey("format")
            || params.containsKey("app_key")
            || params.containsKey("app_secret");
    return hapNames ? HAP : STANDARD;
  }
}
