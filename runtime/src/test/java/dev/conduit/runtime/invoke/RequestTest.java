package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static dev.conduit.runtime.invoke.Build.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.conduit.bundle.Api.InputType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What arrives at the upstream: URL encoding, query arrays, body kinds, whole-value typing,
 * headers.
 */
class RequestTest {

  static Engine e;

  @BeforeAll
  static void start() throws Exception {
    e = new Engine();
  }

  @AfterAll
  static void stop() {
    e.close();
  }

  @BeforeEach
  void reset() {
    e.reset();
    e.upstream.stubFor(any(anyUrl()).willReturn(okJson("{\"ok\":true}")));
  }

  static Map<String, Object> in(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Invokes and returns the one request the upstream received. */
  LoggedRequest sent(Build.ConnectionBuilder c, String api, Map<String, Object> inputs)
      throws Exception {
    Outcome o = e.invoke(e.prepare(c), api, inputs);
    assertInstanceOf(Outcome.Success.class, o, () -> o.toString());
    assertEquals(1, e.requests());
    return e.upstream.getAllServeEvents().getFirst().getRequest();
  }

  Build.ConnectionBuilder conn(Build.ApiBuilder a) {
    return connection("req").param("base", e.base).param("limit", 10).api(a);
  }

  @Test
  void pathValuesAreEncodedAsOneSegmentAndQueryValuesAsComponents() throws Exception {
    LoggedRequest r =
        sent(
            conn(
                api("get", "GET", "{{connection.base}}/items/{{input.name}}/detail")
                    .inputs("name", "q", "city")
                    .query("q", "{{input.q}}")
                    .query("city", "{{input.city}}")),
            "get",
            in("name", "São Paulo/#1 & more+%?", "q", "a&b=c d#e/f+g", "city", "北京"));
    assertEquals(
        "/items/S%C3%A3o%20Paulo%2F%231%20%26%20more%2B%25%3F/detail"
            + "?q=a%26b%3Dc%20d%23e%2Ff%2Bg&city=%E5%8C%97%E4%BA%AC",
        r.getUrl());
    // the upstream decodes exactly what the caller gave
    assertEquals("a&b=c d#e/f+g", r.queryParameter("q").firstValue());
    assertEquals("北京", r.queryParameter("city").firstValue());
  }

  @Test
  void aPathValueCannotClimbTheUpstreamsPath() throws Exception {
    Build.ConnectionBuilder c =
        conn(api("get", "GET", "{{connection.base}}/items/{{input.id}}/detail").inputs("id"));
    assertEquals("/items/%2E%2E/detail", sent(c, "get", in("id", "..")).getUrl());
    // slashes are encoded, so "../../admin" stays inside one segment (Jetty even refuses it as
    // ambiguous)
    Outcome o = e.invoke(e.prepare(c), "get", in("id", "../../admin"));
    assertEquals(e.base + "/items/..%2F..%2Fadmin/detail", o.exchange().request().url());
  }

  @Test
  void aValueAfterTheQuestionMarkOfTheUrlTemplateIsAQueryComponent() throws Exception {
    LoggedRequest r =
        sent(
            conn(
                api("s", "GET", "{{connection.base}}/search?q={{input.q}}&fixed=1")
                    .inputs("q")
                    .query("extra", "x")),
            "s",
            in("q", "a b&c"));
    assertEquals("/search?q=a%20b%26c&fixed=1&extra=x", r.getUrl());
  }

  @Test
  void anArrayInTheQueryRepeatsTheParameterAndEmptyValuesAreLeftOut() throws Exception {
    LoggedRequest r =
        sent(
            conn(
                api("a", "GET", "{{connection.base}}/a")
                    .input(input("tags", InputType.Array, false))
                    .inputs("missing")
                    .query("tags", "{{input.tags}}")
                    .query("missing", "{{input.missing}}")
                    .query("limit", "{{connection.limit}}")),
            "a",
            in("tags", List.of("x", "y z", 3)));
    assertEquals("/a?tags=x&tags=y%20z&tags=3&limit=10", r.getUrl());
  }

  @Test
  void aWholeValueTemplateKeepsItsJsonTypeAndTextInsideAStringIsText() throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", "{{input.count}}");
    body.put("label", "n={{input.count}}");
    body.put("tags", "{{input.tags}}");
    body.put("who", "{{input.who}}");
    body.put("items", "{{input.items}}");
    body.put("limit", "{{connection.limit}}");
    body.put("absent", "{{input.absent}}");
    body.put("nested", Map.of("list", List.of("{{input.count}}", "literal", 7, true)));
    LoggedRequest r =
        sent(
            conn(
                api("j", "POST", "{{connection.base}}/j")
                    .json(body)
                    .input(input("count", InputType.Number, true))
                    .input(input("tags", InputType.Array, false))
                    .input(input("who", InputType.Members, false))
                    .inputs("absent")
                    .input(
                        new dev.conduit.bundle.Api.Input(
                            "items",
                            "items",
                            null,
                            InputType.ObjectArray,
                            false,
                            null,
                            List.of(
                                input("sku", InputType.Text, true),
                                input("qty", InputType.Number, false))))),
            "j",
            in(
                "count",
                "12.5",
                "tags",
                List.of("a", 1),
                "who",
                "u-1",
                "items",
                List.of(Map.of("sku", "A", "qty", 2))));
    Object sentBody = JsonMapper.builder().build().readValue(r.getBodyAsString(), Object.class);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("count", 12.5);
    expected.put("label", "n=12.5");
    expected.put("tags", List.of("a", 1));
    expected.put("who", List.of("u-1"));
    expected.put("items", List.of(Map.of("sku", "A", "qty", 2)));
    expected.put("limit", 10);
    expected.put("absent", null);
    expected.put("nested", Map.of("list", List.of(12.5, "literal", 7, true)));
    assertEquals(expected, sentBody);
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
  }

  @Test
  void formBodiesAreUrlEncodedAndListsRepeat() throws Exception {
    LoggedRequest r =
        sent(
            conn(
                api("f", "POST", "{{connection.base}}/f")
                    .inputs("a", "u")
                    .input(input("list", InputType.Array, false))
                    .form(
                        Map.of("a", "{{input.a}}", "u", "{{input.u}}", "list", "{{input.list}}"))),
            "f",
            in("a", "x y&z=1", "u", "é", "list", List.of(1, 2)));
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : r.getBodyAsString().split("&")) {
      fields.merge(
          pair.substring(0, pair.indexOf('=')),
          pair.substring(pair.indexOf('=') + 1),
          (x, y) -> x + "," + y);
    }
    assertEquals(Map.of("a", "x%20y%26z%3D1", "u", "%C3%A9", "list", "1,2"), fields);
    assertTrue(r.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
  }

  @Test
  void rawBodiesInsertValuesAsTextWithTheirContentType() throws Exception {
    LoggedRequest r =
        sent(
            conn(
                api("r", "PUT", "{{connection.base}}/r")
                    .inputs("city")
                    .raw(
                        "application/xml",
                        "<q><city>{{input.city}}</city><limit>{{connection.limit}}</limit></q>")),
            "r",
            in("city", "Zürich"));
    assertEquals("PUT", r.getMethod().getName());
    assertEquals(
        "<q><city>Zürich</city><limit>10</limit></q>",
        new String(r.getBody(), StandardCharsets.UTF_8));
    assertEquals("application/xml", r.getHeader("Content-Type"));
  }

  @Test
  void aTemplateHeaderReplacesTheBodysContentTypeAndCannotInjectHeaders() throws Exception {
    LoggedRequest r =
        sent(
            conn(
                api("h", "POST", "{{connection.base}}/h")
                    .inputs("trace")
                    .json(Map.of("a", 1))
                    .header("content-type", "application/vnd.acme+json")
                    .header("X-Trace", "t-{{input.trace}}")),
            "h",
            in("trace", "1\r\nX-Evil: yes"));
    assertEquals(
        List.of("application/vnd.acme+json"), r.getHeaders().getHeader("Content-Type").values());
    assertEquals("t-1  X-Evil: yes", r.getHeader("X-Trace"));
    assertNull(r.getHeader("X-Evil"));
  }

  @Test
  void anInputWithAControlCharacterAHeaderCannotCarryIsTheCallersError() throws Exception {
    // NUL (also what the overlong bytes C0 80 decode to, were they accepted), other controls, DEL
    PreparedConnection c =
        e.prepare(
            conn(
                api("h", "GET", "{{connection.base}}/h/{{input.path}}")
                    .inputs("trace", "path")
                    .header("X-Trace", "t-{{input.trace}}")));
    for (String bad : List.of("a\u0000b", "\u0001", "x\u001b[31m", "\u007f")) {
      Outcome.Failure f =
          assertInstanceOf(Outcome.Failure.class, e.invoke(c, "h", in("trace", bad, "path", "p")));
      assertEquals(ErrorCode.INVALID_INPUT, f.code(), f.message());
      assertEquals(400, f.status());
      assertEquals("1 invalid input", f.message());
      assertEquals(1, f.details().size());
      assertEquals("trace", f.details().getFirst().path());
      assertTrue(
          f.details().getFirst().message().startsWith("has a control character (U+00"),
          f.details().toString());
      assertTrue(
          f.details()
              .getFirst()
              .message()
              .endsWith("which cannot be sent in the header \"X-Trace\""),
          f.details().toString());
    }
    assertEquals(0, e.requests(), "nothing was sent");
    // in a JSON body the same character is escaped, and a tab is fine in a header
    LoggedRequest r =
        sent(
            conn(
                api("h", "POST", "{{connection.base}}/h")
                    .inputs("trace", "note")
                    .json(Map.of("note", "{{input.note}}"))
                    .header("X-Trace", "t-{{input.trace}}")),
            "h",
            in("trace", "a\tb", "note", "a\u0000b"));
    assertEquals("{\"note\":\"a\\u0000b\"}", r.getBodyAsString());
    assertEquals("t-a\tb", r.getHeader("X-Trace"));
  }

  @Test
  void theRecordShowsTheRequestAsSent() throws Exception {
    Outcome o =
        e.invoke(
            e.prepare(
                conn(
                    api("g", "DELETE", "{{connection.base}}/g/{{input.id}}")
                        .inputs("id")
                        .header("X-Id", "{{input.id}}"))),
            "g",
            in("id", "a b"));
    Exchange.SentRequest s = assertInstanceOf(Outcome.Success.class, o).exchange().request();
    assertEquals("DELETE", s.method());
    assertEquals(e.base + "/g/a%20b", s.url());
    assertEquals(List.of("a b"), s.headers().get("X-Id"));
    assertNull(s.body());
    assertEquals(200, o.exchange().response().status());
    assertEquals("{\"ok\":true}", o.exchange().response().body());
  }
}
