package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.invoke.Outcome;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;

/**
 * An API's page: inputs and outputs as tables, the request template, code blocks (highlighted),
 * status and usage references; for the connection's owner and admins the Test API form and, after a
 * run, the request as sent (masked), the response and the outputs.
 */
final class ApiPage {
  private ApiPage() {}

  /** A Test API run to show: the form as sent, the outcome, problems by field. */
  record Run(
      MultivaluedMap<String, String> form,
      Outcome outcome,
      Map<String, Object> exchange,
      Map<String, List<String>> errors,
      String refusal) {}

  static String html(View v, Connection c, Api api, Run run) {
    String base = v.orgBase() + "/connections/" + Frame.enc(c.id());
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"sub\"><a href=\"")
        .append(esc(base))
        .append("\">")
        .append(esc(c.name()))
        .append("</a></p><h1>")
        .append(esc(api.name()))
        .append("</h1><p class=\"sub\"><code>")
        .append(esc(api.id()))
        .append("</code> · ")
        .append(ConnectionPages.status(api))
        .append(" · ")
        .append(api.enabled() ? "enabled" : "<span class=\"badge bad\">disabled</span>")
        .append("</p>");
    if (api.description() != null) {
      b.append("<p>").append(esc(api.description())).append("</p>");
    }
    if (v.mayManage(c.id()) && c.installedFrom() == null) {
      b.append("<p><a id=\"edit-api\" href=\"")
          .append(
              esc(
                  v.orgBase()
                      + "/changes/connections/"
                      + Frame.enc(c.id())
                      + "/apis/"
                      + Frame.enc(api.id())))
          .append("\">Edit this API</a> (a branch to review)</p>");
    }
    b.append("<h2 id=\"inputs\">Inputs</h2>").append(inputs(api.inputs()));
    b.append("<h2 id=\"request\">Request template</h2>").append(request(api.request()));
    code(b, "Before the request", api.before());
    code(b, "After the response", api.after());
    b.append("<h2 id=\"outputs\">Outputs</h2>").append(outputs(api.outputs()));
    b.append("<h2 id=\"references\">Usage references</h2>")
        .append(ConnectionPages.references(v, c, api.id()));
    b.append("<h2 id=\"test\">Test API</h2>");
    if (!v.mayManage(c.id())) {
      b.append("<p id=\"test-not-allowed\">Only the connection's owner (")
          .append(esc(c.owner()))
          .append(") or an admin runs Test API.</p>");
    } else {
      b.append(form(v, c, api, run));
      if (run != null && (run.outcome() != null || run.refusal() != null)) {
        b.append(result(run));
      }
    }
    return Frame.page(v, Frame.Section.CONNECTIONS, api.name() + " · " + c.name(), b.toString());
  }

  private static String form(View v, Connection c, Api api, Run run) {
    String action =
        v.orgBase()
            + "/connections/"
            + Frame.enc(c.id())
            + "/apis/"
            + Frame.enc(api.id())
            + "/test";
    StringBuilder b =
        new StringBuilder("<form method=\"post\" action=\"" + esc(action) + "\" id=\"test-form\">");
    b.append(Frame.hidden("csrf", v.csrf()));
    if (c.auth() instanceof Auth.AuthorizationCode) {
      String account = run == null ? null : run.form().getFirst("account");
      b.append(
              "<label for=\"account\">Your account (id)</label><input type=\"text\" id=\"account\"")
          .append(" name=\"account\" value=\"")
          .append(esc(account))
          .append(
              "\"><p class=\"sub\">Tests run with one of your own accounts: see <a href=\"/accounts/")
          .append(esc(Frame.enc(v.org().id()) + "/" + Frame.enc(c.id())))
          .append("\">My accounts</a>.</p>");
    }
    b.append(
        TestForm.fields(
            api.inputs(), run == null ? null : run.form(), run == null ? Map.of() : run.errors()));
    if (api.inputs().isEmpty()) {
      b.append("<p>This API takes no inputs.</p>");
    }
    return b.append("<div><button type=\"submit\" id=\"run-test\">Run test</button></div></form>")
        .toString();
  }

  private static String result(Run run) {
    StringBuilder b =
        new StringBuilder("<section id=\"test-result\" aria-labelledby=\"result-h\">");
    b.append("<h2 id=\"result-h\" tabindex=\"-1\">Result</h2>");
    if (run.refusal() != null) {
      b.append("<div class=\"error\" role=\"alert\" id=\"outcome\">")
          .append(esc(run.refusal()))
          .append("</div>");
      return b.append("</section>").toString();
    }
    switch (run.outcome()) {
      case Outcome.Success s -> {
        b.append("<div class=\"notice\" role=\"status\" id=\"outcome\">Success</div>");
        b.append(ExchangeView.html(run.exchange()));
        b.append("<h3>Outputs</h3><pre id=\"test-outputs\"><code>")
            .append(Highlighter.html(ExchangeView.pretty(s.data()), Highlighter.Language.JSON))
            .append("</code></pre>");
      }
      case Outcome.Failure f -> {
        b.append("<div class=\"error\" role=\"alert\" id=\"outcome\"><strong>")
            .append(esc(f.code().name()))
            .append("</strong>: ")
            .append(esc(f.message()));
        if (!f.details().isEmpty()) {
          b.append("<ul>");
          for (Outcome.Detail d : f.details()) {
            b.append("<li><code>")
                .append(esc(d.path()))
                .append("</code>: ")
                .append(esc(d.message()))
                .append("</li>");
          }
          b.append("</ul>");
        }
        b.append("</div>").append(ExchangeView.html(run.exchange()));
      }
    }
    return b.append("</section>").toString();
  }

  private static String inputs(List<Api.Input> inputs) {
    if (inputs.isEmpty()) {
      return "<p>None.</p>";
    }
    StringBuilder b =
        new StringBuilder(
            "<table id=\"input-table\"><thead><tr><th scope=\"col\">Alias</th><th scope=\"col\">Name</th>"
                + "<th scope=\"col\">Type</th><th scope=\"col\">Required</th><th scope=\"col\">Default</th>"
                + "<th scope=\"col\">Description</th></tr></thead><tbody>");
    for (Api.Input in : inputs) {
      inputRow(b, in, false);
      for (Api.Input f : in.fields()) {
        inputRow(b, f, true);
      }
    }
    return b.append("</tbody></table>").toString();
  }

  private static void inputRow(StringBuilder b, Api.Input in, boolean field) {
    b.append(field ? "<tr class=\"sub\">" : "<tr>")
        .append("<td><code>")
        .append(field ? "↳ " : "")
        .append(esc(in.alias()))
        .append("</code></td><td>")
        .append(esc(in.name()))
        .append("</td><td>")
        .append(in.type())
        .append("</td><td>")
        .append(in.required() ? "yes" : "no")
        .append("</td><td>")
        .append(
            in.defaultValue() == null
                ? ""
                : "<code>" + esc(String.valueOf(in.defaultValue())) + "</code>")
        .append("</td><td>")
        .append(esc(in.description()))
        .append("</td></tr>");
  }

  private static String outputs(List<Api.Output> outputs) {
    if (outputs.isEmpty()) {
      return "<p>None: the whole response body is the result.</p>";
    }
    StringBuilder b =
        new StringBuilder(
            "<table id=\"output-table\"><thead><tr><th scope=\"col\">Alias</th><th scope=\"col\">Name</th>"
                + "<th scope=\"col\">Type</th><th scope=\"col\">Path</th><th scope=\"col\">Description</th>"
                + "</tr></thead><tbody>");
    for (Api.Output o : outputs) {
      outputRow(b, o, false);
      for (Api.Output f : o.fields()) {
        outputRow(b, f, true);
      }
    }
    return b.append("</tbody></table>").toString();
  }

  private static void outputRow(StringBuilder b, Api.Output o, boolean field) {
    b.append(field ? "<tr class=\"sub\">" : "<tr>")
        .append("<td><code>")
        .append(field ? "↳ " : "")
        .append(esc(o.alias()))
        .append("</code></td><td>")
        .append(esc(o.name()))
        .append("</td><td>")
        .append(o.type())
        .append("</td><td><code>")
        .append(esc(o.path()))
        .append("</code></td><td>")
        .append(esc(o.description()))
        .append("</td></tr>");
  }

  private static String request(Api.Request r) {
    StringBuilder b = new StringBuilder("<dl class=\"facts\" id=\"request-template\">");
    b.append("<dt>Request</dt><dd><code>")
        .append(Highlighter.html(r.method() + " " + r.url(), Highlighter.Language.JSON))
        .append("</code></dd>");
    if (!r.query().isEmpty()) {
      b.append("<dt>Query</dt><dd><pre><code>")
          .append(Highlighter.html(ExchangeView.pretty(r.query()), Highlighter.Language.JSON))
          .append("</code></pre></dd>");
    }
    if (!r.headers().isEmpty()) {
      b.append("<dt>Headers</dt><dd><pre><code>")
          .append(Highlighter.html(ExchangeView.pretty(r.headers()), Highlighter.Language.JSON))
          .append("</code></pre></dd>");
    }
    if (r.body() != null) {
      String body =
          switch (r.body()) {
            case Api.Body.Json j -> ExchangeView.pretty(j.json());
            case Api.Body.Form f -> ExchangeView.pretty(f.form());
            case Api.Body.Raw raw -> raw.raw();
          };
      String kind =
          switch (r.body()) {
            case Api.Body.Json j -> "JSON";
            case Api.Body.Form f -> "form";
            case Api.Body.Raw raw -> raw.contentType();
          };
      b.append("<dt>Body (")
          .append(esc(kind))
          .append(")</dt><dd><pre><code>")
          .append(Highlighter.html(body, Highlighter.Language.JSON))
          .append("</code></pre></dd>");
    }
    b.append("<dt>Time limit</dt><dd>").append(r.timeoutSeconds()).append(" s</dd>");
    return b.append("</dl>").toString();
  }

  private static void code(StringBuilder b, String title, Api.CodeBlock block) {
    if (block == null) {
      return;
    }
    b.append("<h2>")
        .append(esc(title))
        .append(": <code>")
        .append(esc(block.file()))
        .append("</code></h2><p class=\"sub\">")
        .append(esc(block.language()))
        .append(", stopped after ")
        .append(block.timeoutMs())
        .append(" ms</p><pre class=\"code-block\"><code>")
        .append(Highlighter.html(block.source(), Highlighter.Language.of(block.language())))
        .append("</code></pre>");
  }
}
