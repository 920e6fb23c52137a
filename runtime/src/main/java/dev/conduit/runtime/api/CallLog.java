package dev.conduit.runtime.api;

import dev.conduit.runtime.Runtime;
import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.invoke.Exchange;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.logs.RequestLog;

/**
 * Records calls in the request log and raises alerts for failures. The call waits (bounded by
 * conduit.logs.commit-wait-ms) until its log is committed, so what a caller got an answer for is in
 * the log even if the server is killed right after.
 */
final class CallLog {
  private CallLog() {}

  /**
   * Who called, as the request log keeps it: an application or a login, and the account it acted
   * for.
   */
  static String caller(String who, String account) {
    return account == null ? who : who + " account:" + account;
  }

  static void record(
      Runtime rt,
      String requestId,
      String kind,
      PreparedConnection c,
      String apiId,
      String applicationId,
      String caller,
      Outcome outcome) {
    Exchange e = outcome.exchange();
    int status = outcome instanceof Outcome.Failure f ? f.status() : 200;
    String code = outcome instanceof Outcome.Failure f ? f.code().name() : "ok";
    String error = outcome instanceof Outcome.Failure f ? errorText(f) : null;
    var ex = Envelopes.exchange(e);
    rt.logWriter()
        .write(
            new RequestLog(
                requestId,
                rt.clock().millis(),
                c.organizationId(),
                c.id(),
                apiId,
                kind,
                applicationId,
                caller,
                status,
                code,
                e.durationMillis(),
                e.tokenRefreshed(),
                ex.containsKey("request") ? Json.write(ex.get("request")) : null,
                ex.containsKey("response") ? Json.write(ex.get("response")) : null,
                error),
            rt.config().logCommitWaitMillis());
    // the throttle and the alert are database writes: off the call path, like the log. Every
    // kind counts (invoke, auth-values, Test API, Get Access Token): the owner cares either way
    if (outcome instanceof Outcome.Failure f) {
      if (Alerts.concernsOwner(f)) {
        rt.background(() -> rt.alerts().onFailure(c, apiId, kind, f, requestId));
      }
    } else if (rt.alerts().mayRecover(c.organizationId(), c.id())) {
      rt.background(() -> rt.alerts().onSuccess(c));
    }
  }

  /** The error as the log keeps it: the message and every detail (which input, which status). */
  private static String errorText(Outcome.Failure f) {
    if (f.details().isEmpty()) {
      return f.message();
    }
    StringBuilder b = new StringBuilder(f.message()).append(':');
    for (Outcome.Detail d : f.details()) {
      b.append(' ').append(d.path()).append(" (").append(d.message()).append(");");
    }
    return b.substring(0, b.length() - 1);
  }
}
