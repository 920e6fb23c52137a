package dev.conduit.runtime.identity;

/**
 * HAP's error codes, kept exactly (seed 001 is a compatibility contract): clients switch on these
 * numbers. {@code docs/identity.md} documents each.
 */
public enum HapError {
  SUCCESS(1, "success"),
  FAILURE(2, "failure"),
  MISSING_PARAMETER(10001, "a required parameter is missing"),
  BAD_PARAMETER(10002, "a parameter has a bad value"),
  TOKEN_NOT_FOUND(10101, "the token does not exist"),
  WRONG_PASSWORD(10104, "wrong account or password"),
  TOKEN_INVALID(10105, "the access token is invalid or expired"),
  LOCKED(10107, "locked after repeated failed sign-ins"),
  CODE_INVALID(10108, "the authorization code is invalid or expired");

  private final int code;
  private final String meaning;

  HapError(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
