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
   * The exchange as plain maps, in a fixed key order: Test API's answer and the console write it as
   * JSON. Keys: request (when sent), response (when received), durationMillis, tokenRefreshed; the
   * request's and the response's own keys are their {@link Part#writeTo}'s.
   */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (request != null) {
      m.put("request", asMap(request));
    }
    if (response != null) {
      m.put("response", asMap(response));
    }
    m.put("durationMillis", durationMillis);
    m.put("tokenRefreshed", tokenRefreshed);
    return m;
  }

  private static Map<String, Object> asMap(Part part) {
    Map<String, Object> m = new LinkedHashMap<>();
    part.writeTo(
        new Fields() {
          @Override
          public void text(String name, String value) {
            m.put(name, value);
          }

          @Override
          public void number(String name, int value) {
            m.put(name, value);
          }

          @Override
          public void flag(String name, boolean value) {
            m.put(name, value);
          }

          @Override
          public void headers(String name, Map<String, List<String>> headers) {
            m.put(name, headers);
          }
        });
    return m;
  }

  /**
   * Where a side of the exchange is written, field by field, in order. The request log writes its
   * columns' JSON through this straight from the records (web.ExchangeJson, no maps in between:
   * every call writes them), {@link #asMap} writes maps: one description of the shape, two sinks.
   */
  public interface Fields {
    void text(String name, String value);

    void number(String name, int value);

    void flag(String name, boolean value);

    /** Header names to their values; null when there are none to show. */
    void headers(String name, Map<String, List<String>> headers);
  }

  /** A side of the exchange: the one place that says its fields' names and order. */
  public sealed interface Part permits SentRequest, ReceivedResponse {
    void writeTo(Fields f);
  }

  /** A request as sent, masked. */
  public record SentRequest(
      String method, String url, Map<String, List<String>> headers, String body) implements Part {
    @Override
    public void writeTo(Fields f) {
      f.text("method", method);
      f.text("url", url);
      f.headers("headers", headers);
      f.text("body", body);
    }
  }

  /**
   * A response as received, masked, its body capped.
   *
   * @param bodyTruncated whether the body shown here is cut at the cap
   */
  public record ReceivedResponse(
      int status, Map<String, List<String>> headers, String body, boolean bodyTruncated)
      implements Part {
    @Override
    public void writeTo(Fields f) {
      f.number("status", status);
      f.headers("headers", headers);
      f.text("body", body);
      f.flag("bodyTruncated", bodyTruncated);
    }
  }
}
