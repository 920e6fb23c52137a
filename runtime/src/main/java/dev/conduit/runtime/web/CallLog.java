package dev.conduit.runtime.web;

import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.Exchange;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.logs.Background;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.metrics.RuntimeMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Records calls in the request log and raises alerts for failures. The call waits (bounded by
 * conduit.logs.commit-wait-ms) until its log is committed, so what a caller got an answer for is in
 * the log even if the server is killed right after.
 */
@ApplicationScoped
public class CallLog {

  /**
   * One call as the request log keeps it, besides its outcome.
   *
   * @param kind invoke, test, token-test or auth-values
   * @param apiId null for calls about the connection itself (token test, auth values)
   * @param applicationId null when a person called (Test API, token test)
   * @param caller who called, from {@link #caller}
   */
  public record Call(
      String requestId,
      String kind,
      PreparedConnection connection,
      String apiId,
      String applicationId,
      String caller) {}

  @Inject RequestLogWriter writer;

  @Inject Alerts alerts;

  @Inject Background background;

  @Inject RuntimeConfig config;

  @Inject Clock clock;

  @Inject RuntimeMetrics metrics;

  /**
   * Who called, as the request log keeps it: an application or a login, and the account it acted
   * for.
   */
  public static String caller(String who, String account) {
    return account == null ? who : who + " account:" + account;
  }

  public void record(Call call, Outcome outcome) {
    Exchange e = outcome.exchange();
    PreparedConnection c = call.connection();
    int status = outcome instanceof Outcome.Failure f ? f.status() : 200;
    String code = outcome instanceof Outcome.Failure f ? f.code().name() : "ok";
    String error = outcome instanceof Outcome.Failure f ? errorText(f) : null;
    metrics.call(
        c.organizationId(),
        c.id(),
        call.apiId(),
        call.applicationId(),
        call.kind(),
        code,
        e.durationMillis(),
        e.tokenRefreshed());
    writer.write(
        new RequestLog(
            call.requestId(),
            clock.millis(),
            c.organizationId(),
            c.id(),
            call.apiId(),
            call.kind(),
            call.applicationId(),
            call.caller(),
            status,
            code,
            e.durationMillis(),
            e.tokenRefreshed(),
            ExchangeJson.request(e.request()),
            ExchangeJson.response(e.response()),
            error),
        config.logCommitWaitMillis());
    // the throttle and the alert are database writes: off the call path, like the log. Every
    // kind counts (invoke, auth-values, Test API, Get Access Token): the owner cares either way
    if (outcome instanceof Outcome.Failure f) {
      if (Alerts.concernsOwner(f)) {
        background.run(() -> alerts.onFailure(c, call.apiId(), call.kind(), f, call.requestId()));
      }
    } else if (alerts.mayRecover(c.organizationId(), c.id())) {
      background.run(() -> alerts.onSuccess(c));
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
