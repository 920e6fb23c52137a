package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Application;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogStore;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request logs: the filters (connection, API, application, status, time), the chart of the filtered
 * calls, the newest page of them, one log's detail (masked), and the alerts. An admin sees every
 * connection; an owner the connections they own, one at a time (as the JSON API).
 */
final class LogPages {
  private LogPages() {}

  static final int PAGE_SIZE = 50;

  /** The filters as given in the query, checked; problems are by field name. */
  record Filters(
      String connection,
      String api,
      String application,
      String status,
      String from,
      String to,
      int page,
      Map<String, String> problems) {

    static Filters read(
        View v,
        String connection,
        String api,
        String application,
        String status,
        String from,
        String to,
        int page) {
      Map<String, String> problems = new LinkedHashMap<>();
      String conn = blank(connection);
      if (conn == null && !v.isAdmin()) {
        // an owner reads one of their connections at a time: the first, until they choose
        conn = v.managed().isEmpty() ? null : v.managed().getFirst().id();
      }
      if (conn != null && !v.mayManage(conn)) {
        problems.put("connection", "only the owner of " + conn + " or an admin reads its logs");
      }
      String st = blank(status);
      if (st != null && !st.matches("[1-5]xx|\\d{3}")) {
        problems.put("status", "a code (502) or a class (5xx)");
      }
      Filters f =
          new Filters(
              conn, blank(api), blank(application), st, blank(from), blank(to), page, problems);
      if (f.from != null && instant(f.from) == null) {
        problems.put("from", "a date and time, e.g. 2026-11-23T09:30 (UTC)");
      }
      if (f.to != null && instant(f.to) == null) {
        problems.put("to", "a date and time, e.g. 2026-11-23T18:00 (UTC)");
      }
      return f;
    }

    /** The range the chart covers: the filter's, else the last 24 hours. */
    long fromMillis(long now) {
      Instant i = from == null ? null : instant(from);
      return i != null ? i.toEpochMilli() : toMillis(now) - 24 * 3_600_000L;
    }

    long toMillis(long now) {
      Instant i = to == null ? null : instant(to);
      return i != null ? i.toEpochMilli() : now;
    }

    RequestLogStore.Filter store(String organizationId, long now) {
      Integer code = null;
      boolean cls = false;
      if (status != null) {
        cls = status.endsWith("xx");
        code = cls ? (status.charAt(0) - '0') * 100 : Integer.parseInt(status);
      }
      return new RequestLogStore.Filter(
          organizationId,
          connection,
          api,
          code,
          cls,
          from == null ? null : fromMillis(now),
          to == null ? null : toMillis(now),
          PAGE_SIZE + 1, // one more: is there a next page?
          (Math.max(1, page) - 1) * PAGE_SIZE,
          application);
    }

    /** The filters as a query string ending in {@code page=}, for the pager's links. */
    String queryForPage() {
      StringBuilder q = new StringBuilder("?");
      param(q, "connection", connection);
      param(q, "api", api);
      param(q, "application", application);
      param(q, "status", status);
      param(q, "from", from);
      param(q, "to", to);
      return q.append("page=").toString();
    }

    private static void param(StringBuilder q, String name, String value) {
      if (value != null) {
        q.append(name).append('=').append(Frame.enc(value)).append('&');
      }
    }
  }

  /** A date-time field's text (datetime-local, read as UTC) or an ISO-8601 instant. */
  static Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /**
   * The request logs page: the filtered page of calls and the chart's buckets read from the store
   * (two queries), or the form again with each filter's problem beside it.
   */
  static String page(View v, Filters f, RequestLogStore store, long now) {
    if (!f.problems().isEmpty()) {
      return list(v, f, List.of(), List.of(), now);
    }
    var filter = f.store(v.org().id(), now);
    long fromMs = f.fromMillis(now);
    long toMs = f.toMillis(now);
    var chartFilter =
        new RequestLogStore.Filter(
            v.org().id(),
            filter.connectionId(),
            filter.apiId(),
            filter.status(),
            filter.statusClass(),
            fromMs,
            toMs,
            0,
            0,
            filter.applicationId());
    return list(
        v, f, store.list(filter), store.buckets(chartFilter, bucketWidth(fromMs, toMs)), now);
  }

  static String list(
      View v, Filters f, List<RequestLog> logs, List<RequestLogStore.Bucket> buckets, long now) {
    StringBuilder b = new StringBuilder("<h1>Request logs</h1>");
    b.append(
        "<p class=\"sub\">Newest first. Bodies and secrets are masked as they were logged.</p>");
    b.append(filters(v, f));
    if (!f.problems().isEmpty()) {
      b.append("<div class=\"error\" role=\"alert\" id=\"filter-problems\">Fix the filters: ")
          .append(
              esc(
                  String.join(
                      "; ",
                      f.problems().entrySet().stream()
                          .map(e -> e.getKey() + ": " + e.getValue())
                          .toList())))
          .append("</div>");
      return Frame.page(v, Frame.Section.LOGS, "Request logs", b.toString());
    }
    long from = f.fromMillis(now);
    long to = f.toMillis(now);
    b.append("<h2>Calls, failures and latency</h2>")
        .append(Chart.svg(buckets, from, to, bucketWidth(from, to)))
        .append(Chart.table(buckets));
    b.append("<h2>Calls</h2>");
    boolean more = logs.size() > PAGE_SIZE;
    List<RequestLog> shown = more ? logs.subList(0, PAGE_SIZE) : logs;
    if (shown.isEmpty()) {
      b.append("<p id=\"no-logs\">No calls match.</p>");
    } else {
      b.append(
          "<table id=\"log-table\"><thead><tr><th scope=\"col\">When (UTC)</th><th scope=\"col\">Kind</th>"
              + "<th scope=\"col\">Connection / API</th><th scope=\"col\">Caller</th><th scope=\"col\">"
              + "Status</th><th scope=\"col\">ms</th></tr></thead><tbody>");
      for (RequestLog l : shown) {
        b.append("<tr><td><a href=\"")
            .append(esc(v.orgBase() + "/logs/" + Frame.enc(l.id())))
            .append("\">")
            .append(Instant.ofEpochMilli(l.atMillis()))
            .append("</a></td><td>")
            .append(esc(l.kind()))
            .append("</td><td>")
            .append(esc(l.connectionId()))
            .append(l.apiId() == null ? "" : " / " + esc(l.apiId()))
            .append("</td><td>")
            .append(esc(l.applicationId() != null ? l.applicationId() : l.caller()))
            .append("</td><td>")
            .append(
                "ok".equals(l.outcome())
                    ? "<span class=\"badge ok\">" + l.status() + "</span>"
                    : "<span class=\"badge bad\">"
                        + l.status()
                        + " "
                        + esc(l.outcome())
                        + "</span>")
            .append("</td><td>")
            .append(l.durationMillis())
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    int pages = more ? f.page() + 1 : f.page();
    b.append(ConnectionPages.pager(v.orgBase() + "/logs" + f.queryForPage(), f.page(), pages));
    return Frame.page(v, Frame.Section.LOGS, "Request logs", b.toString());
  }

  /** About 48 bars over the range, whole minutes. */
  static long bucketWidth(long from, long to) {
    long w = Math.max(60_000L, (to - from) / 48);
    return (w + 59_999L) / 60_000L * 60_000L;
  }

  private static String filters(View v, Filters f) {
    StringBuilder b =
        new StringBuilder(
            "<form method=\"get\" action=\""
                + esc(v.orgBase() + "/logs")
                + "\" class=\"filters\" aria-label=\"Filters\">");
    String connectionProblem = f.problems().get("connection");
    b.append(
            "<div><label for=\"connection\">Connection</label><select id=\"connection\" name=\"connection\"")
        .append(
            connectionProblem == null
                ? ""
                : " aria-invalid=\"true\" aria-describedby=\"connection-error\"")
        .append(">");
    if (v.isAdmin()) {
      b.append("<option value=\"\">All connections</option>");
    }
    for (Connection c : v.managed()) {
      b.append("<option value=\"")
          .append(esc(c.id()))
          .append("\"")
          .append(c.id().equals(f.connection()) ? " selected" : "")
          .append(">")
          .append(esc(c.name()))
          .append("</option>");
    }
    b.append("</select>");
    if (connectionProblem != null) {
      b.append("<p class=\"field-error\" id=\"connection-error\">")
          .append(esc(connectionProblem))
          .append("</p>");
    }
    b.append("</div>");
    text(b, "api", "API", f.api(), f.problems());
    b.append(
            "<div><label for=\"application\">Application</label><select id=\"application\" name=\"application\">")
        .append("<option value=\"\">Any application</option>");
    for (Application a : v.org().bundle().applications()) {
      b.append("<option value=\"")
          .append(esc(a.id()))
          .append("\"")
          .append(a.id().equals(f.application()) ? " selected" : "")
          .append(">")
          .append(esc(a.name()))
          .append("</option>");
    }
    b.append("</select></div>");
    text(b, "status", "Status (502 or 5xx)", f.status(), f.problems());
    text(b, "from", "From (UTC)", f.from(), f.problems());
    text(b, "to", "To (UTC)", f.to(), f.problems());
    return b.append("<div><button type=\"submit\" id=\"apply-filters\">Apply</button></div></form>")
        .toString();
  }

  private static void text(
      StringBuilder b, String name, String label, String value, Map<String, String> problems) {
    String problem = problems.get(name);
    b.append("<div><label for=\"")
        .append(name)
        .append("\">")
        .append(esc(label))
        .append("</label><input type=\"text\" id=\"")
        .append(name)
        .append("\" name=\"")
        .append(name)
        .append("\" value=\"")
        .append(esc(value))
        .append("\"")
        .append(
            problem == null ? "" : " aria-invalid=\"true\" aria-describedby=\"" + name + "-error\"")
        .append(">");
    if (problem != null) {
      b.append("<p class=\"field-error\" id=\"")
          .append(name)
          .append("-error\">")
          .append(esc(problem))
          .append("</p>");
    }
    b.append("</div>");
  }

  static String detail(View v, RequestLog l, Map<String, Object> exchange) {
    StringBuilder b =
        new StringBuilder("<h1>Request log</h1><dl class=\"facts\" id=\"log-facts\">");
    fact(b, "Id", l.id());
    fact(b, "When (UTC)", Instant.ofEpochMilli(l.atMillis()).toString());
    fact(b, "Kind", l.kind());
    fact(b, "Connection", l.connectionId());
    fact(b, "API", l.apiId());
    fact(b, "Application", l.applicationId());
    fact(b, "Caller", l.caller());
    fact(b, "Status", l.status() + " " + l.outcome());
    fact(
        b,
        "Duration",
        l.durationMillis() + " ms" + (l.tokenRefreshed() ? ", token refreshed" : ""));
    fact(b, "Error", l.error());
    b.append("</dl>").append(ExchangeView.html(exchange));
    b.append("<p><a href=\"")
        .append(esc(v.orgBase() + "/logs"))
        .append("\">All request logs</a></p>");
    return Frame.page(v, Frame.Section.LOGS, "Request log " + l.id(), b.toString());
  }

  private static void fact(StringBuilder b, String term, String value) {
    if (value != null) {
      b.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(value)).append("</dd>");
    }
  }

  static final int ALERTS_PAGE = 50;

  /** The alerts page: a page of the alerts this person reads (an admin's all, an owner's own). */
  static String alerts(View v, Alerts store, int pageNumber) {
    int p = Math.max(1, pageNumber);
    List<Alerts.Alert> shown =
        store.list(
            v.org().id(),
            v.isAdmin() ? null : v.managed().stream().map(Connection::id).toList(),
            ALERTS_PAGE + 1, // one more: is there a next page?
            (p - 1) * ALERTS_PAGE);
    return alerts(v, shown, p);
  }

  /** The alerts, newest first, each with its state and an Acknowledge button while it is open. */
  static String alerts(View v, List<Alerts.Alert> alerts, int page) {
    StringBuilder b =
        new StringBuilder(
            "<h1>Alerts</h1><p class=\"sub\">Errors sent to connection owners, at most one per error"
                + " type per connection's interval. Acknowledge one to tell the others someone is on"
                + " it.</p>");
    boolean more = alerts.size() > ALERTS_PAGE;
    List<Alerts.Alert> shown = more ? alerts.subList(0, ALERTS_PAGE) : alerts;
    if (shown.isEmpty()) {
      b.append("<p id=\"no-alerts\">No alerts.</p>");
    } else {
      b.append(
          "<table id=\"alert-table\"><thead><tr><th scope=\"col\">When (UTC)</th><th scope=\"col\">"
              + "Connection</th><th scope=\"col\">To</th><th scope=\"col\">Error</th><th scope=\"col\">"
              + "Message</th><th scope=\"col\">Call</th><th scope=\"col\">State</th></tr></thead><tbody>");
      for (Alerts.Alert a : shown) {
        b.append("<tr id=\"alert-")
            .append(esc(a.id()))
            .append("\"><td>")
            .append(Instant.ofEpochMilli(a.atMillis()))
            .append("</td><td>")
            .append(esc(a.connectionId()))
            .append("</td><td>")
            .append(esc(a.owner()))
            .append("</td><td>")
            .append(esc(a.errorType()))
            .append("</td><td>")
            .append(esc(a.message()))
            .append("</td><td>")
            .append(
                a.requestId() == null
                    ? ""
                    : "<a href=\""
                        + esc(v.orgBase() + "/logs/" + Frame.enc(a.requestId()))
                        + "\">log</a>")
            .append("</td><td>")
            .append(state(v, a))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append(ConnectionPages.pager(v.orgBase() + "/alerts?page=", page, more ? page + 1 : page));
    return Frame.page(v, Frame.Section.ALERTS, "Alerts", b.toString());
  }

  private static String state(View v, Alerts.Alert a) {
    if (a.acknowledgedAtMillis() != null) {
      return "<span class=\"badge ok\">acknowledged</span> by "
          + esc(a.acknowledgedBy())
          + " <span class=\"sub\">"
          + Instant.ofEpochMilli(a.acknowledgedAtMillis())
          + "</span>";
    }
    String open = "<span class=\"badge bad\">open</span>";
    if (!v.org().mayChangeAlert(v.login(), a.owner(), a.connectionId())) {
      return open;
    }
    return open
        + "<form method=\"post\" class=\"inline\" action=\""
        + esc(v.orgBase() + "/alerts/" + Frame.enc(a.id()) + "/acknowledge")
        + "\">"
        + Frame.hidden("csrf", v.csrf())
        + "<button type=\"submit\" class=\"secondary\" id=\"ack-"
        + esc(a.id())
        + "\" aria-label=\"Acknowledge the alert of "
        + esc(a.connectionId() + " at " + Instant.ofEpochMilli(a.atMillis()))
        + "\">Acknowledge</button></form>";
  }
}
