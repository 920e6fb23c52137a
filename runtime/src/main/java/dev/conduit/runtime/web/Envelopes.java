package dev.conduit.runtime.web;

import dev.conduit.runtime.auth.Unauthorized;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.limits.Paging;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime's JSON envelopes: {@code {"success":true,"data":...,"requestId":...}} and {@code
 * {"success":false,"error":{"code","message","details"},"requestId":...}}. Every envelope is
 * written to text here ({@link Json}'s Jackson mapper, as HAP's envelopes): the JAX-RS JSON-B
 * provider built a serializer chain for each map value's runtime type on every call, which showed
 * in the invoke benchmark's profile.
 */
public final class Envelopes {
  private Envelopes() {}

  public static Response ok(Object data, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("data", data);
    body.put("requestId", requestId);
    return json(200, body, requestId).build();
  }

  public static Response error(
      int status, String code, String message, List<Outcome.Detail> details, String requestId) {
    return error(status, code, message, details, 0, requestId);
  }

  /**
   * An error envelope; {@code retryAfterSeconds} above 0 adds {@code Retry-After}: only the refusal
   * knows how long its cause lasts (a full bulkhead a moment, an open circuit its remaining time),
   * and a 503 whose cause does not pass by waiting (a connection that could not be prepared) gets
   * none.
   */
  public static Response error(
      int status,
      String code,
      String message,
      List<Outcome.Detail> details,
      long retryAfterSeconds,
      String requestId) {
    Response.ResponseBuilder b =
        json(status, failure(code, message, details, requestId), requestId);
    if (status == 401) {
      b.header("WWW-Authenticate", "Basic realm=\"conduit\", charset=\"UTF-8\"");
    }
    if (retryAfterSeconds > 0) {
      b.header("Retry-After", Long.toString(retryAfterSeconds));
    }
    return b.build();
  }

  /** The error envelope as data: {"success":false,"error":{...},"requestId":...}. */
  public static Map<String, Object> failure(
      String code, String message, List<Outcome.Detail> details, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", false);
    body.put("error", errorBody(code, message, details));
    body.put("requestId", requestId);
    return body;
  }

  /** The code of an error known only by its HTTP status (framework and container refusals). */
  public static String codeFor(int status) {
    return switch (status) {
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 406 -> "NOT_ACCEPTABLE";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      default -> "HTTP_" + status;
    };
  }

  /** An error's {code, message, details}: the envelope's "error", and Test API's failure. */
  public static Map<String, Object> errorBody(
      String code, String message, List<Outcome.Detail> details) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put(
        "details",
        details.stream()
            .map(
                d -> {
                  Map<String, Object> detail = new LinkedHashMap<>();
                  detail.put("path", d.path());
                  detail.put("message", d.message());
                  return detail;
                })
            .toList());
    return error;
  }

  public static Response error(Unauthorized u, String requestId) {
    return error(
        u.status(),
        switch (u.status()) {
          case 401 -> "UNAUTHENTICATED";
          case 429 -> "SIGN_IN_LOCKED";
          default -> "FORBIDDEN";
        },
        u.getMessage(),
        List.of(),
        requestId);
  }

  /** A list's paging refused (limits/Paging): 400 BAD_PAGE naming each parameter. */
  public static Response error(Paging.BadPage b, String requestId) {
    return error(
        400,
        Paging.CODE,
        b.getMessage(),
        b.problems().stream().map(p -> new Outcome.Detail(p.parameter(), p.message())).toList(),
        requestId);
  }

  public static Response failure(Outcome.Failure f, String requestId) {
    return error(
        f.status(), f.code().name(), f.message(), f.details(), f.retryAfterSeconds(), requestId);
  }

  private static Response.ResponseBuilder json(
      int status, Map<String, Object> body, String requestId) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Json.write(body))
        .header("X-Request-Id", requestId);
  }
}
