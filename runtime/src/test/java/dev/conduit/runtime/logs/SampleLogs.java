package dev.conduit.runtime.logs;

/**
 * The request log of tests and benchmarks for which only its id, organization, time and size
 * matter: one successful call (200, "ok") of application "app" to API "api" of connection "conn".
 */
public final class SampleLogs {

  private SampleLogs() {}

  public static RequestLog ok(
      String id, String organization, long atMillis, String request, String response) {
    return new RequestLog(
        id,
        atMillis,
        organization,
        "conn",
        "api",
        "invoke",
        "app",
        "app",
        200,
        "ok",
        3,
        false,
        request,
        response,
        null);
  }
}
