package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Application;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.compiler.cli.JsonFileEdit;
import dev.conduit.runtime.console.changes.ConnectionDraft;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The form that creates or edits a connection: name, description, owner; the auth kind and its
 * settings (every kind's fieldset is shown, the chosen kind's is used: no script); parameters with
 * their visibility, a visible one's value, a new value for a hidden one (a password field, sealed
 * on the server; empty keeps the sealed one); alert settings; the applications granted. Read back
 * into a {@link ConnectionDraft} and the place in the files of each field, so the compiler's
 * diagnostics land beside them.
 *
 * <p>Field names: {@code id}, {@code name}, {@code description}, {@code owner}, {@code auth.kind},
 * {@code KIND.SETTING} ({@code basic.username}, {@code cc.tokenUrl}, {@code ac.scopes}, ...),
 * {@code param.ROW.name|label|description|hidden|value|secret|former}, {@code
 * notify.onError|minutes|webhookUrl}, {@code grant} (repeated). The bundle carries no parameter
 * labels or descriptions, so they are read from the file at the head ({@link #parameterTexts});
 * {@code param.texts} marks a form that carries them: one made without them leaves them as they
 * are.
 */
final class ConnectionForm {
  private ConnectionForm() {}

  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  static final List<String> KINDS =
      List.of(
          Auth.None.TYPE,
          Auth.Basic.TYPE,
          Auth.ClientCredentials.TYPE,
          Auth.AuthorizationCode.TYPE);

  /** The form read back: the draft, where each field lands, the form's own problems. */
  record Read(
      ConnectionDraft draft,
      List<FieldProblems.Target> targets,
      Map<String, List<String>> problems) {}

  /** The values of the served connection, as the form starts. */
  static MultivaluedMap<String, String> valuesOf(Connection c) {
    MultivaluedMap<String, String> m = new MultivaluedHashMap<>();
    m.putSingle("name", c.name());
    m.putSingle("description", c.description() == null ? "" : c.description());
    m.putSingle("owner", c.owner() == null ? "" : c.owner());
    m.putSingle("auth.kind", c.auth().type());
    switch (c.auth()) {
      case Auth.None n -> {}
      case Auth.Basic b -> {
        m.putSingle("basic.username", b.username());
        m.putSingle("basic.password", b.password());
      }
      case Auth.ClientCredentials cc -> {
        m.putSingle("cc.tokenUrl", cc.tokenUrl());
        m.putSingle("cc.method", cc.method());
        m.putSingle("cc.parametersIn", cc.parametersIn());
        m.putSingle("cc.parameters", JsonFileEdit.mapper().writeValueAsString(cc.parameters()));
      }
      case Auth.AuthorizationCode ac -> {
        m.putSingle("ac.authorizationUrl", ac.authorizationUrl());
        m.putSingle("ac.tokenUrl", ac.tokenUrl());
        m.putSingle("ac.clientId", ac.clientId());
        m.putSingle("ac.clientSecret", ac.clientSecret());
        m.putSingle("ac.scopes", String.join(" ", ac.scopes()));
        m.putSingle("ac.clientAuthentication", ac.clientAuthentication());
      }
    }
    int r = 0;
    for (Connection.Parameter p : c.parameters()) {
      m.putSingle("param." + r + ".name", p.name());
      m.putSingle("param." + r + ".former", p.name());
      if (p.hidden()) {
        m.putSingle("param." + r + ".hidden", "true");
      } else {
        m.putSingle("param." + r + ".value", p.value() == null ? "" : String.valueOf(p.value()));
      }
      r++;
    }
    m.putSingle("rows.param", String.valueOf(r));
    if (c.notifications().onError()) {
      m.putSingle("notify.onError", "true");
    }
    m.putSingle("notify.minutes", String.valueOf(c.notifications().minIntervalMinutes()));
    m.putSingle(
        "notify.webhookUrl",
        c.notifications().webhookUrl() == null ? "" : c.notifications().webhookUrl());
    m.put("grant", new ArrayList<>(c.grants()));
    return m;
  }

  /** Marks a form that carries its parameters' labels and descriptions. */
  static final String TEXTS = "param.texts";

  /**
   * The parameters' labels and descriptions as the connection file has them (the bundle does not
   * carry them), into the rows of {@link #valuesOf} by the parameter's name.
   */
  static void parameterTexts(MultivaluedMap<String, String> values, JsonNode connectionFile) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode p : connectionFile.path("parameters")) {
      byName.put(p.path("name").asString(""), p);
    }
    Fields.Values v = new Fields.Values(values);
    for (int r = 0; r < Fields.rows(v, "param", 0); r++) {
      JsonNode p = byName.get(v.get("param." + r + ".name"));
      if (p != null) {
        values.putSingle("param." + r + ".label", p.path("label").asString(""));
        values.putSingle("param." + r + ".description", p.path("description").asString(""));
      }
    }
    values.putSingle(TEXTS, "true");
  }

  /** The values a new connection starts from: its creator owns it, alerts on. */
  static MultivaluedMap<String, String> valuesOfNew(String login) {
    MultivaluedMap<String, String> m = new MultivaluedHashMap<>();
    m.putSingle("owner", login);
    m.putSingle("auth.kind", Auth.None.TYPE);
    m.putSingle("cc.method", "POST");
    m.putSingle("cc.parametersIn", "form");
    m.putSingle("cc.parameters", "{\"grant_type\": \"client_credentials\"}");
    m.putSingle("ac.clientAuthentication", "body");
    m.putSingle("rows.param", "1");
    m.putSingle(TEXTS, "true");
    m.putSingle("notify.onError", "true");
    m.putSingle("notify.minutes", "60");
    return m;
  }

  /**
   * @param served the connection as served (null for a new one): a name, description or owner
   *     posted as it was shown is left alone in the file (an installed connection's come from its
   *     library entry, and an untouched form must not copy them into the file)
   */
  static Read read(
      Connection served, String baseCommit, MultivaluedMap<String, String> form, String login) {
    String existingId = served == null ? null : served.id();
    boolean installed = served != null && served.installedFrom() != null;
    Fields.Values v = new Fields.Values(form);
    Map<String, List<String>> problems = new LinkedHashMap<>();
    String id = existingId == null ? v.get("id").strip() : existingId;
    if (existingId == null && !ID.matcher(id).matches()) {
      problems
          .computeIfAbsent("id", k -> new ArrayList<>())
          .add("lower-case letters, digits and hyphens, starting with a letter or digit");
    }
    String file = "connections/" + id + "/connection.json";
    List<FieldProblems.Target> t = new ArrayList<>();
    var mapper = JsonFileEdit.mapper();
    ObjectNode top = mapper.createObjectNode();
    top.put("name", v.get("name").strip());
    textOrRemove(top, "description", v.get("description"));
    textOrRemove(top, "owner", v.get("owner"));
    if (served != null) {
      leaveAloneWhenAsShown(top, "name", served.name());
      leaveAloneWhenAsShown(top, "description", served.description());
      leaveAloneWhenAsShown(top, "owner", served.owner());
    }
    target(t, file, "/id", "id");
    target(t, file, "/name", "name");
    target(t, file, "/description", "description");
    target(t, file, "/owner", "owner");

    ObjectNode auth = null;
    String kind = v.get("auth.kind");
    if (!installed) {
      auth = mapper.createObjectNode().put("type", kind);
      target(t, file, "/auth", "auth.kind");
      target(t, file, "/auth/type", "auth.kind");
      switch (kind) {
        case Auth.Basic.TYPE -> {
          setting(auth, t, file, v, "basic", "username");
          setting(auth, t, file, v, "basic", "password");
        }
        case Auth.ClientCredentials.TYPE -> {
          setting(auth, t, file, v, "cc", "tokenUrl");
          setting(auth, t, file, v, "cc", "method");
          setting(auth, t, file, v, "cc", "parametersIn");
          target(t, file, "/auth/parameters", "cc.parameters");
          JsonNode params = json(v.get("cc.parameters"), "cc.parameters", problems);
          if (params != null) {
            auth.set("parameters", params);
          }
        }
        case Auth.AuthorizationCode.TYPE -> {
          for (String s : List.of("authorizationUrl", "tokenUrl", "clientId", "clientSecret")) {
            setting(auth, t, file, v, "ac", s);
          }
          setting(auth, t, file, v, "ac", "clientAuthentication");
          var scopes = auth.putArray("scopes");
          for (String s : v.get("ac.scopes").strip().split("\\s+")) {
            if (!s.isEmpty()) {
              scopes.add(s);
            }
          }
          target(t, file, "/auth/scopes", "ac.scopes");
        }
        default -> {
          if (!kind.equals(Auth.None.TYPE)) {
            problems.computeIfAbsent("auth.kind", k -> new ArrayList<>()).add("choose a kind");
          }
        }
      }
    }

    List<ConnectionDraft.Parameter> params = new ArrayList<>();
    target(t, file, "/parameters", "parameters");
    int rows = Fields.rows(v, "param", 0);
    for (int r = 0; r < rows; r++) {
      String p = "param." + r + ".";
      String name = v.get(p + "name").strip();
      if (name.isEmpty()) {
        continue; // an empty row, or one cleared to remove the parameter
      }
      int i = params.size();
      String at = "/parameters/" + i;
      target(t, file, at, p + "name");
      target(t, file, at + "/name", p + "name");
      target(t, file, at + "/hidden", p + "hidden");
      target(t, file, at + "/value", p + "value");
      target(t, file, at + "/sealed", p + "secret");
      target(t, file, at + "/label", p + "label");
      target(t, file, at + "/description", p + "description");
      boolean hidden = v.checked(p + "hidden");
      ObjectNode spec = mapper.createObjectNode().put("hidden", hidden);
      if (v.checked(TEXTS)) { // else the file's labels and descriptions stay as they are
        textOrRemove(spec, "label", v.get(p + "label"));
        // a browser sends a textarea's lines ended by CR LF
        textOrRemove(spec, "description", v.get(p + "description").replace("\r\n", "\n"));
      }
      if (!hidden) {
        spec.put("value", v.get(p + "value"));
      }
      String former = v.get(p + "former");
      params.add(
          new ConnectionDraft.Parameter(
              name, former.isEmpty() ? null : former, spec, hidden ? v.get(p + "secret") : null));
    }

    ObjectNode notifications =
        mapper.createObjectNode().put("onError", v.checked("notify.onError"));
    String minutes = v.get("notify.minutes").strip();
    if (minutes.isEmpty()) {
      notifications.putNull("minIntervalMinutes");
    } else {
      notifications.set("minIntervalMinutes", integerOrText(minutes));
    }
    textOrRemove(notifications, "webhookUrl", v.get("notify.webhookUrl"));
    target(t, file, "/notifications", "notify.onError");
    target(t, file, "/notifications/minIntervalMinutes", "notify.minutes");
    target(t, file, "/notifications/webhookUrl", "notify.webhookUrl");
    target(t, file, "/notifications/webhookSecretParameter", "notify.webhookUrl");
    target(t, "connections/" + id + "/grants.json", "/applications", "grant");

    ConnectionDraft draft =
        new ConnectionDraft(
            id,
            existingId == null,
            baseCommit,
            top,
            notifications,
            auth,
            params,
            List.copyOf(v.all("grant")),
            login);
    return new Read(draft, t, problems);
  }

  private static void setting(
      ObjectNode auth,
      List<FieldProblems.Target> t,
      String file,
      Fields.Values v,
      String prefix,
      String name) {
    auth.put(name, v.get(prefix + "." + name).strip());
    target(t, file, "/auth/" + name, prefix + "." + name);
  }

  private static void textOrRemove(ObjectNode o, String key, String text) {
    if (text == null || text.isBlank()) {
      o.putNull(key);
    } else {
      o.put(key, text.strip());
    }
  }

  private static void target(List<FieldProblems.Target> t, String file, String ptr, String field) {
    t.add(new FieldProblems.Target(file, ptr, field));
  }

  /** An integer field's text: a number when it is one, else the text (the schema says why). */
  private static void leaveAloneWhenAsShown(ObjectNode top, String key, String shown) {
    JsonNode posted = top.get(key);
    String text = posted == null || posted.isNull() ? "" : posted.asString("");
    if (text.equals(shown == null ? "" : shown.strip())) {
      top.remove(key);
    }
  }

  static JsonNode integerOrText(String text) {
    var nodes = JsonFileEdit.mapper().getNodeFactory();
    try {
      return nodes.numberNode(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      return nodes.stringNode(text);
    }
  }

  /** A JSON text field's value; a problem beside the field when it does not parse. */
  static JsonNode json(String text, String field, Map<String, List<String>> problems) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JsonFileEdit.mapper().readTree(text);
    } catch (JacksonException e) {
      problems
          .computeIfAbsent(field, k -> new ArrayList<>())
          .add("not JSON: " + e.getOriginalMessage());
      return null;
    }
  }

  /** The labels of the fields, for the problems' summary. */
  static Map<String, String> labels(int rows) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("id", "Id");
    l.put("name", "Name");
    l.put("description", "Description");
    l.put("owner", "Owner");
    l.put("auth.kind", "Auth kind");
    l.put("notify.minutes", "Minimum minutes between alerts");
    l.put("notify.webhookUrl", "Alert webhook URL");
    l.put("grant", "Applications granted");
    for (int r = 0; r < rows; r++) {
      l.put("param." + r + ".name", "Parameter " + (r + 1) + " name");
      l.put("param." + r + ".label", "Parameter " + (r + 1) + " label");
      l.put("param." + r + ".description", "Parameter " + (r + 1) + " description");
      l.put("param." + r + ".value", "Parameter " + (r + 1) + " value");
      l.put("param." + r + ".secret", "Parameter " + (r + 1) + " new hidden value");
    }
    return l;
  }

  /**
   * The form.
   *
   * @param existing the connection edited, or null for a new one
   */
  static String html(
      View v,
      Connection existing,
      String baseCommit,
      String repository,
      MultivaluedMap<String, String> form,
      FieldProblems problems) {
    Fields.Values f = new Fields.Values(form);
    boolean installed = existing != null && existing.installedFrom() != null;
    String action =
        v.orgBase()
            + "/changes/connections/"
            + (existing == null ? "new" : Frame.enc(existing.id()));
    int rows = Fields.rows(f, "param", 0);
    if (existing == null && rows == 0) {
      rows = 1;
    }
    StringBuilder b = new StringBuilder();
    b.append("<h1>")
        .append(existing == null ? "New connection" : "Edit " + esc(existing.name()))
        .append("</h1><p class=\"sub\">A commit on a new branch of ")
        .append(esc(repository))
        .append(", validated before anything is pushed. Nothing served changes until it is merged.")
        .append("</p>")
        .append(problems.summary(labels(rows)))
        .append("<form method=\"post\" id=\"connection-form\" action=\"")
        .append(esc(action))
        .append("\">")
        .append(Frame.hidden("csrf", v.csrf()))
        .append(Frame.hidden("base", baseCommit))
        .append(Frame.hidden("rows.param", String.valueOf(rows)))
        .append(f.checked(TEXTS) ? Frame.hidden(TEXTS, "true") : "");
    if (existing == null) {
      b.append(
          Fields.text(
              "id",
              "Id",
              "The folder's name and the id in URLs: lower-case letters, digits, hyphens.",
              f,
              problems));
    }
    b.append(Fields.text("name", "Name", null, f, problems))
        .append(Fields.area("description", "Description", null, f, problems))
        .append(
            Fields.text(
                "owner",
                "Owner (a member's login)",
                "Told of errors; runs Test API and reads the logs.",
                f,
                problems));
    b.append("<fieldset id=\"auth-fields\"><legend>Authentication</legend>");
    if (installed) {
      b.append(
          "<p id=\"auth-read-only\">Installed from the library: the auth comes from the entry and"
              + " is read-only here.</p>");
    } else {
      b.append(Fields.select("auth.kind", "Kind", KINDS, f, problems));
      b.append(
          "<p class=\"sub\">Settings are templates: <code>{{connection.NAME}}</code> names a"
              + " parameter (a hidden one for a secret). Only the chosen kind's settings are"
              + " used.</p>");
      b.append("<fieldset><legend>")
          .append(Auth.Basic.TYPE)
          .append("</legend>")
          .append(setting(f, problems, "basic.username", "Username"))
          .append(setting(f, problems, "basic.password", "Password (a template)"))
          .append("</fieldset><fieldset><legend>")
          .append(Auth.ClientCredentials.TYPE)
          .append("</legend>")
          .append(setting(f, problems, "cc.tokenUrl", "Token URL"))
          .append(
              Fields.select(
                  "cc.method",
                  "Token request method",
                  f.get("cc.method"),
                  List.of("POST", "GET"),
                  problems.forField("cc.method")))
          .append(
              Fields.select(
                  "cc.parametersIn",
                  "Token parameters sent as",
                  f.get("cc.parametersIn"),
                  List.of("form", "query", "json"),
                  problems.forField("cc.parametersIn")))
          .append(
              Fields.area(
                  "cc.parameters",
                  "Token parameters (a JSON object of templates)",
                  null,
                  f,
                  problems))
          .append("</fieldset><fieldset><legend>")
          .append(Auth.AuthorizationCode.TYPE)
          .append("</legend>")
          .append(setting(f, problems, "ac.authorizationUrl", "Authorization URL"))
          .append(setting(f, problems, "ac.tokenUrl", "Token URL"))
          .append(setting(f, problems, "ac.clientId", "Client id"))
          .append(setting(f, problems, "ac.clientSecret", "Client secret (a template)"))
          .append(setting(f, problems, "ac.scopes", "Scopes (separated by spaces)"))
          .append(
              Fields.select(
                  "ac.clientAuthentication",
                  "Client authentication",
                  f.get("ac.clientAuthentication"),
                  List.of("body", "basic"),
                  problems.forField("ac.clientAuthentication")))
          .append("</fieldset>");
    }
    b.append("</fieldset>");
    b.append("<fieldset id=\"parameter-fields\"><legend>Parameters</legend>")
        .append(Fields.error("parameters", problems.forField("parameters")))
        .append(
            "<p class=\"sub\">A hidden value is sealed on the server with the organization's public"
                + " key before it is written; it is never shown again. Leave it empty to keep the"
                + " sealed one. Clear a name to remove the parameter.</p>");
    for (int r = 0; r < rows; r++) {
      String p = "param." + r + ".";
      b.append("<fieldset><legend>Parameter ")
          .append(r + 1)
          .append("</legend>")
          .append(Frame.hidden(p + "former", f.get(p + "former")))
          .append(Fields.text(p + "name", "Name", null, f, problems));
      if (f.checked(TEXTS)) {
        b.append(Fields.text(p + "label", "Label (for people filling it in)", null, f, problems))
            .append(
                Fields.area(
                    p + "description", "Description (where to find the value)", null, f, problems));
      }
      b.append(Fields.checkbox(p + "hidden", "Hidden (a secret: sealed)", f, problems))
          .append(
              Fields.text(
                  p + "value",
                  "Value (when visible)",
                  f.checked(p + "hidden") ? "" : f.get(p + "value"),
                  null,
                  problems.forField(p + "value")))
          .append(
              Fields.password(
                  p + "secret",
                  "New hidden value (fill or replace; empty keeps it)",
                  null,
                  problems.forField(p + "secret")))
          .append("</fieldset>");
    }
    b.append(Fields.addRow("param", "Add a parameter")).append("</fieldset>");
    b.append("<fieldset id=\"alert-fields\"><legend>Error alerts</legend>")
        .append(Fields.checkbox("notify.onError", "Tell the owner of errors", f, problems))
        .append(
            Fields.text(
                "notify.minutes",
                "Minimum minutes between alerts of one error type",
                null,
                f,
                problems))
        .append(Fields.text("notify.webhookUrl", "Webhook URL (optional)", null, f, problems))
        .append("</fieldset>");
    b.append("<fieldset id=\"grant-fields\"><legend>Applications granted</legend>")
        .append(Fields.error("grant", problems.forField("grant")));
    List<String> granted = f.all("grant");
    for (Application a : v.org().bundle().applications()) {
      String id = "grant-" + a.id();
      b.append("<div class=\"field check\"><input type=\"checkbox\" name=\"grant\" value=\"")
          .append(esc(a.id()))
          .append("\" id=\"")
          .append(esc(id))
          .append("\"")
          .append(granted.contains(a.id()) ? " checked" : "")
          .append("> <label for=\"")
          .append(esc(id))
          .append("\">")
          .append(esc(a.name()))
          .append(" <code>")
          .append(esc(a.id()))
          .append("</code></label></div>");
    }
    b.append(
        "</fieldset><button type=\"submit\" id=\"make-branch\">Make the branch</button></form>");
    return Frame.page(
        v,
        Frame.Section.CONNECTIONS,
        existing == null ? "New connection" : "Edit " + existing.name(),
        b.toString());
  }

  private static String setting(
      Fields.Values f, FieldProblems problems, String name, String label) {
    return Fields.text(name, label, f.get(name), null, problems.forField(name));
  }
}
