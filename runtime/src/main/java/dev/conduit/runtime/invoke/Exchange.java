package dev.conduit.runtime.invoke;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What went over the wire for one invocation, with every secret replaced by ******: what Test API
 * shows and the request log keeps.
 *
 * @param request the last request sent (null when none was sent)
 * @param response the last response received (null when none)
 * @param durationMillis from the start of the invocation to its outcome
 * @param tokenRefreshed whether the access token was refreshed and the call retried
 */
public record Exchange(
    SentRequest request, ReceivedResponse response, long durationMillis, boolean tokenRefreshed) {

  public static final Exchange NONE = new Exchange(null, null, 0, false);

  /**
   * The exchange as plain maps, in a fixed key order: Test API's answer and the request log's
   * details write it as JSON. Keys: request (when sent), response (when received), durationMillis,
   * tokenRefreshed.
   */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (request != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("method", request.method());
      r.put("url", request.url());
      r.put("headers", request.headers());
      r.put("body", request.body());
      m.put("request", r);
    }
    if (response != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("status", response.status());
      r.put("headers", response.headers());
      r.put("body", response.body());
      r.put("bodyTruncated", response.bodyTruncated());
      m.put("response", r);
    }
    m.put("durationMillis", durationMillis);
    m.put("tokenRefreshed", tokenRefreshed);
    return m;
  }

  /** A request as sent, masked. */
  public record SentRequest(
      String method, String url, Map<String, List<String>> headers, String body) {}

  /**
   * A response as received, masked, its body capped.
   *
   * @param bodyTruncated whether the body shown here is cut at the cap
   */
  public record ReceivedResponse(
      int status, Map<String, List<String>> headers, String body, boolean bodyTruncated) {}
}
