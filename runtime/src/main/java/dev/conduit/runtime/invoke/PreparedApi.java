package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.JsonPath;
import dev.conduit.bundle.Api;
import dev.conduit.bundle.Connection;
import dev.conduit.template.Template;
import dev.conduit.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An API with its templates parsed and JSONPaths compiled, once per bundle load. */
public record PreparedApi(
    Api api,
    Template url,
    Map<String, Template> query,
    Map<String, Template> headers,
    Object jsonBody,
    Map<String, Template> formBody,
    Template rawBody,
    List<PreparedOutput> outputs,
    boolean carriesSecrets) {

  /** An output with its compiled path (fields relative to each element). */
  public record PreparedOutput(Api.Output output, JsonPath path, List<PreparedOutput> fields) {}

  static PreparedApi of(Connection c, Api api) throws TemplateException {
    Api.Request r = api.request();
    Template url = Template.parse(r.url());
    Map<String, Template> query = PreparedConnection.parseAll(r.query());
    Map<String, Template> headers = PreparedConnection.parseAll(r.headers());
    Object json = null;
    Map<String, Template> form = null;
    Template raw = null;
    List<Template> all = new ArrayList<>();
    all.add(url);
    all.addAll(query.values());
    all.addAll(headers.values());
    switch (r.body()) {
      case Api.Body.Json j -> json = parseTree(j.json(), all);
      case Api.Body.Form f -> {
        form = PreparedConnection.parseAll(f.form());
        all.addAll(form.values());
      }
      case Api.Body.Raw rb -> {
        raw = Template.parse(rb.raw());
        all.add(raw);
      }
      case null -> {}
    }
    boolean secrets =
        c.auth().sendsCredentialsItself()
            || all.stream().anyMatch(t -> PreparedConnection.referencesSecret(t, c));
    return new PreparedApi(
        api,
        url,
        query,
        headers,
        json,
        form,
        raw,
        api.outputs().stream().map(PreparedApi::output).toList(),
        secrets);
  }

  private static PreparedOutput output(Api.Output o) {
    return new PreparedOutput(
        o, JsonPath.compile(o.path()), o.fields().stream().map(PreparedApi::output).toList());
  }

  /** A JSON body with every string replaced by its parsed template. */
  private static Object parseTree(Object node, List<Template> all) throws TemplateException {
    if (node instanceof String s) {
      Template t = Template.parse(s);
      all.add(t);
      return t;
    }
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), parseTree(e.getValue(), all));
      }
      return out;
    }
    if (node instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(parseTree(o, all));
      }
      return out;
    }
    return node;
  }
}
