package dev.conduit.runtime.identity;

/**
 * The standard error codes (RFC 6749 section 5.2 and 4.1.2.1) that a refusal carries next to HAP's
 * number, for clients that speak the standard: each with the HTTP status the token and revocation
 * endpoints answer it with (the authorize endpoint's codes travel in a redirect).
 */
public enum OAuthError {
  INVALID_REQUEST("invalid_request", 400),
  /** Client authentication failed: 401 with {@code WWW-Authenticate} (RFC 6749 section 5.2). */
  INVALID_CLIENT("invalid_client", 401),
  INVALID_GRANT("invalid_grant", 400),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
  UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
  ACCESS_DENIED("access_denied", 403);

  private final String code;
  private final int status;

  OAuthError(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /** The {@code error} value on the wire. */
  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** What a refusal means in the standard when only HAP's code was given. */
  static OAuthError of(HapError error) {
    return switch (error) {
      case MISSING_PARAMETER, BAD_PARAMETER, SUCCESS, FAILURE -> INVALID_REQUEST;
      case TOKEN_NOT_FOUND, TOKEN_INVALID, CODE_INVALID -> INVALID_GRANT;
      case WRONG_PASSWORD, LOCKED -> ACCESS_DENIED;
    };
  }
}
