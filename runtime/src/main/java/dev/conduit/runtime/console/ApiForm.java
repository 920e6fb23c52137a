package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Connection;
import dev.conduit.compiler.cli.JsonFileEdit;
import dev.conduit.runtime.console.changes.ApiDraft;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The form that creates or edits an API: name, description, status, enabled; the inputs (a row
 * each, an object array with rows of fields); the request template (method, URL, query and headers
 * as JSON objects, the body as JSON or raw text, the time limit); the outputs. "Add" buttons post
 * the form back with a row more (no script); a row whose alias and name are cleared is removed; the
 * code blocks ({@link CodeBlockFields}). Read back into an {@link ApiDraft} and the place in the
 * file of each field.
 *
 * <p>Field names: {@code in.ROW.alias|name|type|required|description|default}, an object array's
 * fields {@code in.ROW.f.FIELD.*}, {@code request.*}, {@code out.ROW.alias|name|path|type|
 * description}, an ObjectArray output's fields {@code out.ROW.f.FIELD.*}; {@code rows.in}, {@code
 * rows.in.ROW}, {@code rows.out}, {@code rows.out.ROW} hold the counts; the code blocks' are {@link
 * CodeBlockFields}'.
 */
final class ApiForm {
  private ApiForm() {}

  /** How the Default field spells an empty text, which an empty field (no default) is not. */
  static final String EMPTY_TEXT = "\"\"";

  static final List<String> BODY_TYPES = List.of("", "json", "form", "raw");
  static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

  record Read(
      ApiDraft draft, List<FieldProblems.Target> targets, Map<String, List<String>> problems) {}

  static MultivaluedMap<String, String> valuesOf(Api api) {
    MultivaluedMap<String, String> m = new MultivaluedHashMap<>();
    m.putSingle("name", api.name());
    m.putSingle("description", api.description() == null ? "" : api.description());
    m.putSingle("status", api.status().name());
    if (api.enabled()) {
      m.putSingle("enabled", "true");
    }
    int r = 0;
    for (Api.Input in : api.inputs()) {
      input(m, "in." + r + ".", in);
      int f = 0;
      for (Api.Input field : in.fields()) {
        input(m, "in." + r + ".f." + f + ".", field);
        f++;
      }
      m.putSingle("rows.in." + r, String.valueOf(f));
      r++;
    }
    m.putSingle("rows.in", String.valueOf(r));
    Api.Request q = api.request();
    m.putSingle("request.method", q.method());
    m.putSingle("request.url", q.url());
    m.putSingle("request.query", q.query().isEmpty() ? "" : ExchangeView.pretty(q.query()));
    m.putSingle("request.headers", q.headers().isEmpty() ? "" : ExchangeView.pretty(q.headers()));
    m.putSingle("request.timeoutSeconds", String.valueOf(q.timeoutSeconds()));
    if (q.body() != null) {
      switch (q.body()) {
        case Api.Body.Json j -> {
          m.putSingle("request.bodyType", "json");
          m.putSingle("request.body", ExchangeView.pretty(j.json()));
        }
        case Api.Body.Form f -> {
          m.putSingle("request.bodyType", "form");
          m.putSingle("request.body", ExchangeView.pretty(f.form()));
        }
        case Api.Body.Raw raw -> {
          m.putSingle("request.bodyType", "raw");
          m.putSingle("request.contentType", raw.contentType());
          m.putSingle("request.body", raw.raw());
        }
      }
    }
    r = 0;
    for (Api.Output o : api.outputs()) {
      output(m, "out." + r + ".", o);
      int f = 0;
      for (Api.Output field : o.fields()) {
        output(m, "out." + r + ".f." + f + ".", field);
        f++;
      }
      m.putSingle("rows.out." + r, String.valueOf(f));
      r++;
    }
    m.putSingle("rows.out", String.valueOf(r));
    return m;
  }

  private static void output(MultivaluedMap<String, String> m, String p, Api.Output o) {
    m.putSingle(p + "alias", o.alias());
    m.putSingle(p + "name", o.name());
    m.putSingle(p + "path", o.path());
    m.putSingle(p + "type", o.type().name());
    m.putSingle(p + "description", o.description() == null ? "" : o.description());
  }

  private static void input(MultivaluedMap<String, String> m, String p, Api.Input in) {
    m.putSingle(p + "alias", in.alias());
    m.putSingle(p + "name", in.name());
    m.putSingle(p + "type", in.type().name());
    if (in.required()) {
      m.putSingle(p + "required", "true");
    }
    m.putSingle(p + "description", in.description() == null ? "" : in.description());
    m.putSingle(
        p + "default",
        in.defaultValue() == null
            ? ""
            : "".equals(in.defaultValue())
                ? EMPTY_TEXT
                : in.defaultValue() instanceof List<?> list
                    ? JsonFileEdit.mapper().writeValueAsString(list) // [] and ["a, b"] read back
                    : String.valueOf(in.defaultValue()));
  }

  static MultivaluedMap<String, String> valuesOfNew() {
    MultivaluedMap<String, String> m = new MultivaluedHashMap<>();
    m.putSingle("status", "draft");
    m.putSingle("enabled", "true");
    m.putSingle("rows.in", "1");
    m.putSingle("rows.out", "1");
    m.putSingle("request.method", "GET");
    m.putSingle("request.url", "{{connection.base_url}}/");
    m.putSingle("request.timeoutSeconds", "10");
    return m;
  }

  static Read read(
      String connectionId,
      String existingId,
      String baseCommit,
      MultivaluedMap<String, String> form) {
    Fields.Values v = new Fields.Values(form);
    var mapper = JsonFileEdit.mapper();
    Map<String, List<String>> problems = new LinkedHashMap<>();
    String id = existingId == null ? v.get("id").strip() : existingId;
    if (existingId == null && !ConnectionForm.ID.matcher(id).matches()) {
      problems
          .computeIfAbsent("id", k -> new ArrayList<>())
          .add("lower-case letters, digits and hyphens, starting with a letter or digit");
    }
    String file = "connections/" + connectionId + "/apis/" + id + ".json";
    List<FieldProblems.Target> t = new ArrayList<>();
    for (String k : List.of("id", "name", "description", "status", "enabled")) {
      t.add(new FieldProblems.Target(file, "/" + k, k));
    }
    ObjectNode top = mapper.createObjectNode();
    top.put("name", v.get("name").strip());
    if (v.get("description").isBlank()) {
      top.putNull("description");
    } else {
      top.put("description", v.get("description").strip());
    }
    top.put("status", v.get("status"));
    top.put("enabled", v.checked("enabled"));

    ArrayNode inputs = mapper.createArrayNode();
    t.add(new FieldProblems.Target(file, "/inputs", "inputs"));
    int rows = Fields.rows(v, "in", 0);
    for (int r = 0; r < rows; r++) {
      String p = "in." + r + ".";
      if (v.get(p + "alias").isBlank() && v.get(p + "name").isBlank()) {
        continue;
      }
      String at = "/inputs/" + inputs.size();
      ObjectNode in = input(v, p, t, file, at);
      t.add(new FieldProblems.Target(file, at + "/fields", p + "type"));
      if ("ObjectArray".equals(v.get(p + "type"))) {
        ArrayNode fields = in.putArray("fields");
        int n = Fields.rows(v, "in." + r, 0);
        for (int f = 0; f < n; f++) {
          String fp = p + "f." + f + ".";
          if (v.get(fp + "alias").isBlank() && v.get(fp + "name").isBlank()) {
            continue;
          }
          fields.add(input(v, fp, t, file, at + "/fields/" + fields.size()));
        }
      }
      inputs.add(in);
    }

    ObjectNode request = mapper.createObjectNode();
    request.put("method", v.get("request.method"));
    request.put("url", v.get("request.url").strip());
    for (String k : List.of("method", "url", "query", "headers", "body", "timeoutSeconds")) {
      t.add(new FieldProblems.Target(file, "/request/" + k, "request." + k));
    }
    t.add(new FieldProblems.Target(file, "/request", "request.url"));
    t.add(new FieldProblems.Target(file, "/request/body/type", "request.bodyType"));
    t.add(new FieldProblems.Target(file, "/request/body/contentType", "request.contentType"));
    request.set("query", ConnectionForm.json(v.get("request.query"), "request.query", problems));
    request.set(
        "headers", ConnectionForm.json(v.get("request.headers"), "request.headers", problems));
    String timeout = v.get("request.timeoutSeconds").strip();
    request.set("timeoutSeconds", timeout.isEmpty() ? null : ConnectionForm.integerOrText(timeout));
    String bodyType = v.get("request.bodyType");
    switch (bodyType) {
      case "json", "form" -> {
        JsonNode body = ConnectionForm.json(v.get("request.body"), "request.body", problems);
        ObjectNode b = mapper.createObjectNode().put("type", bodyType);
        b.set(bodyType, body == null ? mapper.createObjectNode() : body);
        request.set("body", b);
      }
      case "raw" -> {
        ObjectNode b = mapper.createObjectNode().put("type", "raw");
        b.put("contentType", v.get("request.contentType").strip());
        b.put("raw", v.get("request.body"));
        request.set("body", b);
      }
      default -> request.putNull("body");
    }

    ArrayNode outputs = mapper.createArrayNode();
    t.add(new FieldProblems.Target(file, "/outputs", "outputs"));
    int outRows = Fields.rows(v, "out", 0);
    for (int r = 0; r < outRows; r++) {
      String p = "out." + r + ".";
      if (v.get(p + "alias").isBlank() && v.get(p + "name").isBlank()) {
        continue;
      }
      String at = "/outputs/" + outputs.size();
      ObjectNode o = output(v, p, t, file, at);
      t.add(new FieldProblems.Target(file, at + "/fields", p + "type"));
      if ("ObjectArray".equals(v.get(p + "type"))) {
        ArrayNode fields = o.putArray("fields");
        int n = Fields.rows(v, "out." + r, 0);
        for (int f = 0; f < n; f++) {
          String fp = p + "f." + f + ".";
          if (v.get(fp + "alias").isBlank() && v.get(fp + "name").isBlank()) {
            continue;
          }
          fields.add(output(v, fp, t, file, at + "/fields/" + fields.size()));
        }
      }
      outputs.add(o);
    }
    var blocks = CodeBlockFields.read(v, connectionId, file, t, problems);
    return new Read(
        new ApiDraft(
            connectionId,
            id,
            existingId == null,
            baseCommit,
            top,
            inputs,
            request,
            outputs,
            blocks),
        t,
        problems);
  }

  /**
   * An output, or a field of an ObjectArray output (its own nested fields are kept as they are).
   */
  private static ObjectNode output(
      Fields.Values v, String p, List<FieldProblems.Target> t, String file, String at) {
    ObjectNode o = JsonFileEdit.mapper().createObjectNode();
    for (String k : List.of("alias", "name", "path", "type", "description")) {
      String text = v.get(p + k).strip();
      if (!k.equals("description") || !text.isEmpty()) {
        o.put(k, text);
      }
      t.add(new FieldProblems.Target(file, at + "/" + k, p + k));
    }
    t.add(new FieldProblems.Target(file, at, p + "alias"));
    return o;
  }

  private static ObjectNode input(
      Fields.Values v, String p, List<FieldProblems.Target> t, String file, String at) {
    ObjectNode in = JsonFileEdit.mapper().createObjectNode();
    in.put("alias", v.get(p + "alias").strip());
    in.put("name", v.get(p + "name").strip());
    String type = v.get(p + "type");
    in.put("type", type);
    in.put("required", v.checked(p + "required"));
    if (!v.get(p + "description").isBlank()) {
      in.put("description", v.get(p + "description").strip());
    }
    String d = v.get(p + "default");
    if (!d.isBlank()) {
      in.set("default", defaultValue(type, d.strip()));
    }
    t.add(new FieldProblems.Target(file, at, p + "alias"));
    for (String k : List.of("alias", "name", "type", "required", "description", "default")) {
      t.add(new FieldProblems.Target(file, at + "/" + k, p + k));
    }
    return in;
  }

  /** A default as the input's type takes it: a number for Number, a list for the list types. */
  private static JsonNode defaultValue(String type, String text) {
    var nodes = JsonFileEdit.mapper().getNodeFactory();
    if (text.equals(EMPTY_TEXT)) {
      return nodes.stringNode("");
    }
    return switch (type) {
      case "Number" -> {
        try {
          yield nodes.numberNode(new BigDecimal(text));
        } catch (NumberFormatException e) {
          yield nodes.stringNode(text);
        }
      }
      case "Array", "Members", "Department", "Attachment" -> {
        if (text.startsWith("[")) {
          try {
            if (JsonFileEdit.mapper().readTree(text) instanceof ArrayNode json) {
              yield json; // as the form shows a list: JSON
            }
          } catch (tools.jackson.core.JacksonException e) {
            // falls through: read as a list separated by commas
          }
        }
        ArrayNode a = nodes.arrayNode();
        Arrays.stream(text.split("[,\\n]"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .forEach(a::add);
        yield a;
      }
      default -> nodes.stringNode(text);
    };
  }

  static Map<String, String> labels(MultivaluedMap<String, String> form) {
    Fields.Values v = new Fields.Values(form);
    Map<String, String> l = new LinkedHashMap<>();
    l.put("id", "Id");
    l.put("name", "Name");
    l.put("status", "Status");
    for (int r = 0; r < Fields.rows(v, "in", 0); r++) {
      for (String k : List.of("alias", "name", "type", "default")) {
        l.put("in." + r + "." + k, "Input " + (r + 1) + " " + k);
      }
      for (int f = 0; f < Fields.rows(v, "in." + r, 0); f++) {
        for (String k : List.of("alias", "name", "type", "default")) {
          l.put(
              "in." + r + ".f." + f + "." + k, "Input " + (r + 1) + " field " + (f + 1) + " " + k);
        }
      }
    }
    for (String k : List.of("method", "url", "query", "headers", "body", "timeoutSeconds")) {
      l.put("request." + k, "Request " + k);
    }
    for (int r = 0; r < Fields.rows(v, "out", 0); r++) {
      for (String k : List.of("alias", "name", "path", "type")) {
        l.put("out." + r + "." + k, "Output " + (r + 1) + " " + k);
      }
      for (int f = 0; f < Fields.rows(v, "out." + r, 0); f++) {
        for (String k : List.of("alias", "name", "path", "type")) {
          l.put(
              "out." + r + ".f." + f + "." + k,
              "Output " + (r + 1) + " field " + (f + 1) + " " + k);
        }
      }
    }
    CodeBlockFields.labels(l);
    return l;
  }

  static String html(
      View v,
      Connection c,
      Api existing,
      String baseCommit,
      String repository,
      MultivaluedMap<String, String> form,
      FieldProblems problems) {
    Fields.Values f = new Fields.Values(form);
    String base = v.orgBase() + "/changes/connections/" + Frame.enc(c.id()) + "/apis/";
    String action = base + (existing == null ? "new" : Frame.enc(existing.id()));
    int inRows = Fields.rows(f, "in", 0);
    int outRows = Fields.rows(f, "out", 0);
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"sub\"><a href=\"")
        .append(esc(v.orgBase() + "/connections/" + Frame.enc(c.id())))
        .append("\">")
        .append(esc(c.name()))
        .append("</a></p><h1>")
        .append(existing == null ? "New API" : "Edit " + esc(existing.name()))
        .append("</h1><p class=\"sub\">A commit on a new branch of ")
        .append(esc(repository))
        .append(", validated before anything is pushed. Nothing served changes until it is merged.")
        .append("</p>")
        .append(problems.summary(labels(form)))
        .append("<form method=\"post\" id=\"api-form\" action=\"")
        .append(esc(action))
        .append("\">")
        .append(Frame.hidden("csrf", v.csrf()))
        .append(Frame.hidden("base", baseCommit))
        .append(Frame.hidden("rows.in", String.valueOf(inRows)))
        .append(Frame.hidden("rows.out", String.valueOf(outRows)));
    if (existing == null) {
      b.append(
          Fields.text(
              "id",
              "Id",
              "The file's name and the id in URLs: lower-case letters, digits, hyphens.",
              f,
              problems));
    }
    b.append(Fields.text("name", "Name", null, f, problems))
        .append(Fields.area("description", "Description", null, f, problems))
        .append(
            Fields.select(
                "status",
                "Status",
                f.get("status"),
                List.of("draft", "published"),
                problems.forField("status")))
        .append(
            Fields.checkbox(
                "enabled", "Enabled (applications may invoke it when published)", f, problems));
    List<String> inputTypes = Arrays.stream(Api.InputType.values()).map(Enum::name).toList();
    List<String> fieldTypes = inputTypes.stream().filter(x -> !x.equals("ObjectArray")).toList();
    b.append("<fieldset id=\"input-fields\"><legend>Inputs</legend>")
        .append(Fields.error("inputs", problems.forField("inputs")))
        .append(
            "<p class=\"sub\">Clear an input's alias and name to remove it. An ObjectArray input"
                + " has rows of fields.</p>");
    for (int r = 0; r < inRows; r++) {
      String p = "in." + r + ".";
      b.append("<fieldset><legend>Input ").append(r + 1).append("</legend>");
      inputFields(b, f, problems, p, inputTypes);
      if ("ObjectArray".equals(f.get(p + "type"))) {
        int n = Fields.rows(f, "in." + r, 0);
        b.append(Frame.hidden("rows.in." + r, String.valueOf(n)));
        for (int k = 0; k < n; k++) {
          b.append("<fieldset><legend>Input ")
              .append(r + 1)
              .append(", field ")
              .append(k + 1)
              .append("</legend>");
          inputFields(b, f, problems, p + "f." + k + ".", fieldTypes);
          b.append("</fieldset>");
        }
        b.append(Fields.addRow("in." + r, "Add a field to input " + (r + 1)));
      }
      b.append("</fieldset>");
    }
    b.append(Fields.addRow("in", "Add an input")).append("</fieldset>");
    b.append("<fieldset id=\"request-fields\"><legend>Request template</legend>")
        .append(
            "<p class=\"sub\">Templates: <code>{{connection.NAME}}</code>, <code>{{input.ALIAS}}</code>,"
                + " <code>{{auth.access_token}}</code>. A template that is a whole JSON value keeps"
                + " the value's type.</p>")
        .append(Fields.select("request.method", "Method", METHODS, f, problems))
        .append(Fields.text("request.url", "URL", null, f, problems))
        .append(Fields.area("request.query", "Query (a JSON object)", null, f, problems))
        .append(Fields.area("request.headers", "Headers (a JSON object)", null, f, problems))
        .append(Fields.select("request.bodyType", "Body", BODY_TYPES, f, problems))
        .append(Fields.text("request.contentType", "Content type (raw body)", null, f, problems))
        .append(
            Fields.area(
                "request.body", "Body (JSON for json and form, text for raw)", null, f, problems))
        .append(Fields.text("request.timeoutSeconds", "Time limit (seconds)", null, f, problems))
        .append("</fieldset>")
        .append(CodeBlockFields.html(f, problems, c, existing));
    List<String> outputTypes = Arrays.stream(Api.OutputType.values()).map(Enum::name).toList();
    b.append("<fieldset id=\"output-fields\"><legend>Outputs</legend>")
        .append(Fields.error("outputs", problems.forField("outputs")))
        .append(
            "<p class=\"sub\">A path is a JSONPath into the response (<code>$.orderId</code>);"
                + " an ObjectArray output has rows of fields, each path relative to the object"
                + " (<code>$.sku</code>). A field's own nested fields are kept as they are.</p>");
    for (int r = 0; r < outRows; r++) {
      String p = "out." + r + ".";
      b.append("<fieldset><legend>Output ").append(r + 1).append("</legend>");
      outputFields(b, f, problems, p, outputTypes);
      if ("ObjectArray".equals(f.get(p + "type"))) {
        int n = Fields.rows(f, "out." + r, 0);
        b.append(Frame.hidden("rows.out." + r, String.valueOf(n)));
        for (int k = 0; k < n; k++) {
          b.append("<fieldset><legend>Output ")
              .append(r + 1)
              .append(", field ")
              .append(k + 1)
              .append("</legend>");
          outputFields(b, f, problems, p + "f." + k + ".", outputTypes);
          b.append("</fieldset>");
        }
        b.append(Fields.addRow("out." + r, "Add a field to output " + (r + 1)));
      }
      b.append("</fieldset>");
    }
    b.append(Fields.addRow("out", "Add an output")).append("</fieldset>");
    b.append("<button type=\"submit\" id=\"make-branch\">Make the branch</button></form>");
    return Frame.page(
        v,
        Frame.Section.CONNECTIONS,
        (existing == null ? "New API" : "Edit " + existing.name()) + " · " + c.name(),
        b.toString());
  }

  private static void outputFields(
      StringBuilder b, Fields.Values f, FieldProblems problems, String p, List<String> types) {
    b.append(Fields.text(p + "alias", "Alias", null, f, problems))
        .append(Fields.text(p + "name", "Name", null, f, problems))
        .append(Fields.text(p + "path", "Path", null, f, problems))
        .append(Fields.select(p + "type", "Type", types, f, problems))
        .append(Fields.text(p + "description", "Description", null, f, problems));
  }

  private static void inputFields(
      StringBuilder b, Fields.Values f, FieldProblems problems, String p, List<String> types) {
    b.append(Fields.text(p + "alias", "Alias", null, f, problems))
        .append(Fields.text(p + "name", "Name", null, f, problems))
        .append(Fields.select(p + "type", "Type", types, f, problems))
        .append(Fields.checkbox(p + "required", "Required", f, problems))
        .append(Fields.text(p + "description", "Description", null, f, problems))
        .append(Fields.text(p + "default", "Default", null, f, problems));
  }
}
