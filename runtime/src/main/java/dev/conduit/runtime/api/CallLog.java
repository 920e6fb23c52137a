package dev.conduit.runtime.api;

import dev.conduit.runtime.Runtime;
import dev.conduit.runtime.invoke.Exchange;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.logs.RequestLog;
import java.util.Map;

/** Records calls in the request log (asynchronously) and raises alerts for failures. */
final class CallLog {
  private CallLog() {}

  static void record(Runtime rt, String requestId, String kind, PreparedConnection c, String apiId,
      String applicationId, String caller, Outcome outcome) {
    Exchange e = outcome.exchange();
    int status = outcome instanceof Outcome.Failure f ? f.status() : 200;
    String code = outcome instanceof Outcome.Failure f ? f.code().name() : "ok";
    String error = outcome instanceof Outcome.Failure f ? f.message() : null;
    var ex = Envelopes.exchange(e);
    capBody(ex.get("request"), rt.config().logMaxBodyChars());
    capBody(ex.get("response"), rt.config().logMaxBodyChars());
    rt.logWriter().offer(new RequestLog(requestId, rt.clock().millis(), c.organizationId(), c.id(), apiId, kind,
        applicationId, caller, status, code, e.durationMillis(), e.tokenRefreshed(),
        ex.containsKey("request") ? Json.write(ex.get("request")) : null,
        ex.containsKey("response") ? Json.write(ex.get("response")) : null, error));
    if (outcome instanceof Outcome.Failure f && kind.equals("invoke")) {
      // the throttle and the alert are database writes: off the call path, like the log
      rt.background(() -> rt.alerts().onFailure(c, apiId, f, requestId));
    }
  }

  /** Cuts a record's body to the configured size (the engine already cut it at its own cap). */
  @SuppressWarnings("unchecked")
  private static void capBody(Object record, int max) {
    if (record instanceof Map<?, ?> m && m.get("body") instanceof String body && body.length() > max) {
      ((Map<String, Object>) m).put("body", body.substring(0, max));
      ((Map<String, Object>) m).put("bodyTruncated", true);
    }
  }
}
