package dev.conduit.runtime.invoke;

/** Stable error codes of the invoke API, with the HTTP status each maps to. */
public enum ErrorCode {
  UNAUTHENTICATED(401, "no or wrong application credentials"),
  NOT_GRANTED(403, "the application is not granted this connection"),
  NOT_FOUND(404, "no such connection or API"),
  API_DISABLED(404, "the API is disabled"),
  API_NOT_PUBLISHED(409, "the API is a draft"),
  CONNECTION_UNAVAILABLE(503, "the connection could not be prepared when its bundle was loaded"),
  INVALID_INPUT(400, "inputs do not fit the API's input parameters"),
  BODY_TOO_LARGE(413, "the request body is too large"),
  UNSUPPORTED_MEDIA_TYPE(
      415, "the request body is not sent as JSON (Content-Type application/json, UTF-8)"),
  BODY_TIMEOUT(408, "the request body did not arrive in time"),
  TOO_MANY_CALLS(429, "the application has as many calls in flight as it may: retry later"),
  CODE_BLOCK_FAILED(422, "a code block failed"),
  CODE_BLOCK_UNAVAILABLE(
      503, "the code block's language cannot run on this server: what it needs is missing"),
  NOT_CLIENT_CREDENTIALS(409, "the operation needs an OAuth 2.0 client-credentials connection"),
  ACCOUNT_NOT_AUTHORIZED(
      409, "the authorization-code account has no valid token: authorize it again"),
  TOKEN_REQUEST_FAILED(502, "the connection's access token could not be obtained"),
  HOST_NOT_ALLOWED(502, "the request would carry secrets to a host outside allowedHosts"),
  PRIVATE_ADDRESS_REFUSED(
      502, "the upstream resolves to a private, loopback or link-local address"),
  UPSTREAM_ERROR(502, "the upstream answered with an error"),
  UPSTREAM_UNREACHABLE(502, "the upstream cannot be reached: nothing was sent"),
  UPSTREAM_INTERRUPTED(
      502, "the connection broke after the request was sent: the upstream may have processed it"),
  UPSTREAM_BAD_RESPONSE(502, "the upstream's answer is not the JSON the API's outputs read"),
  RESPONSE_TOO_LARGE(502, "the upstream's response is larger than allowed"),
  UPSTREAM_TIMEOUT(504, "the call did not finish within the API's timeoutSeconds"),
  UPSTREAM_BUSY(
      503,
      "the connection has as many calls in flight as it may (its upstream is slow): retry later"),
  UPSTREAM_CIRCUIT_OPEN(
      503,
      "the connection's upstream failed repeatedly: calls are refused without reaching it until a"
          + " probe succeeds; retry later"),
  CONFIGURATION(500, "the connection's configuration cannot be used");

  private final int status;
  private final String meaning;

  ErrorCode(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  public int status() {
    return status;
  }

  public String meaning() {
    return meaning;
  }
}
