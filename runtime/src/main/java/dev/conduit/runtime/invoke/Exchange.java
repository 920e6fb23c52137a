package dev.conduit.runtime.invoke;

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
