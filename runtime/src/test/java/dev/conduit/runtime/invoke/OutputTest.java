package dev.conduit.runtime.invoke;

import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static dev.conduit.runtime.invoke.Build.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Api.OutputType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outputs of every type read by JSONPath from an upstream answer, as a caller receives them. */
class OutputTest {

  /** Extracts the API's outputs from a JSON answer, as the engine does after a 2xx. */
  static OutputExtractor.Extracted extract(Build.ApiBuilder a, String json) throws Exception {
    PreparedConnection c =
        PreparedConnection.prepare(
            "org", connection("o").api(a).build(), null, PrivateNetworkRule.NONE);
    return OutputExtractor.extract(
        c.api(a.build().id()).outputs(), UpstreamJson.value(json.getBytes(StandardCharsets.UTF_8)));
  }

  static final String ANSWER =
      """
      {"data": {"name": "Acme", "count": 42, "countText": " 7.5 ", "active": "TRUE", "flag": 0,
        "at": "2026-11-23T08:00:00+08:00", "day": "2026-11-23", "epochMs": 1700000000000, "epochS": 1700000000,
        "meta": {"k": 1}, "tags": ["a", 2], "solo": "one", "big": 1e999999999,
        "rows": [
          {"id": 1, "score": "9", "parts": [{"p": "a", "n": "1"}, {"p": "b", "n": 2}]},
          {"id": "2", "score": "n/a", "parts": {"p": "c"}},
          "not an object"]}}""";

  @Test
  void everyTypeWithTheConversionsThatLoseNothing() throws Exception {
    OutputExtractor.Extracted x =
        extract(
            api("a", "GET", "http://127.0.0.1/")
                .output(output("name", "$.data.name", OutputType.Text))
                .output(output("countAsText", "$.data.count", OutputType.Text))
                .output(output("metaAsText", "$.data.meta", OutputType.Text))
                .output(output("count", "$.data.count", OutputType.Number))
                .output(output("countText", "$.data.countText", OutputType.Number))
                .output(output("active", "$.data.active", OutputType.Boolean))
                .output(output("flag", "$.data.flag", OutputType.Boolean))
                .output(output("at", "$.data.at", OutputType.DateTime))
                .output(output("day", "$.data.day", OutputType.DateTime))
                .output(output("epochMs", "$.data.epochMs", OutputType.DateTime))
                .output(output("epochS", "$.data.epochS", OutputType.DateTime))
                .output(output("meta", "$.data.meta", OutputType.Object))
                .output(output("tags", "$.data.tags", OutputType.Array))
                .output(output("solo", "$.data.solo", OutputType.Array))
                .output(output("names", "$.data.rows[*].id", OutputType.Array))
                .output(output("bigText", "$.data.big", OutputType.Text))
                .output(output("missing", "$.data.nothing.here", OutputType.Text)),
            ANSWER);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("name", "Acme");
    expected.put("countAsText", "42");
    expected.put("metaAsText", "{\"k\":1}");
    expected.put("count", new BigDecimal("42"));
    expected.put("countText", new BigDecimal("7.5"));
    expected.put("active", true);
    expected.put("flag", false);
    expected.put("at", "2026-11-23T08:00:00+08:00");
    expected.put("day", "2026-11-23");
    expected.put("epochMs", "2023-11-14T22:13:20Z");
    expected.put("epochS", "2023-11-14T22:13:20Z");
    expected.put("meta", Map.of("k", 1));
    expected.put("tags", List.of("a", 2));
    expected.put("solo", List.of("one"));
    expected.put("names", List.of(1, "2"));
    expected.put("bigText", "1E+999999999");
    expected.put("missing", null);
    assertEquals(expected, x.data());
    assertEquals(List.of(), x.warnings());
  }

  @Test
  void nestedObjectArraysReadEachFieldRelativeToItsElement() throws Exception {
    OutputExtractor.Extracted x =
        extract(
            api("a", "GET", "http://127.0.0.1/")
                .output(
                    output(
                        "rows",
                        "$.data.rows",
                        OutputType.ObjectArray,
                        output("id", "$.id", OutputType.Text),
                        output("score", "$.score", OutputType.Number),
                        output(
                            "parts",
                            "$.parts",
                            OutputType.ObjectArray,
                            output("p", "$.p", OutputType.Text),
                            output("n", "$.n", OutputType.Number))))
                .output(
                    output(
                        "first",
                        "$.data.rows[0]",
                        OutputType.ObjectArray,
                        output("id", "$.id", OutputType.Number))),
            ANSWER);
    Map<String, Object> row1 = new LinkedHashMap<>();
    row1.put("id", "1");
    row1.put("score", new BigDecimal("9"));
    row1.put("parts", List.of(part("a", new BigDecimal("1")), part("b", new BigDecimal("2"))));
    Map<String, Object> row2 = new LinkedHashMap<>();
    row2.put("id", "2");
    row2.put("score", null);
    row2.put("parts", List.of(part("c", null)));
    assertEquals(List.of(row1, row2), x.data().get("rows"));
    assertEquals(
        List.of(Map.of("id", new BigDecimal("1"))),
        x.data().get("first"),
        "one object is a list of one");
    assertEquals(
        List.of(
            new Outcome.Detail(
                "rows[1].score",
                "the value is the text \"n/a\", which is not a Number: the output is null"),
            new Outcome.Detail(
                "rows[2]",
                "the element is the text \"not an object\", not an object: it is left out")),
        x.warnings());
  }

  static Map<String, Object> part(String p, Object n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p", p);
    m.put("n", n);
    return m;
  }

  @Test
  void aValueThatCannotTakeItsTypeIsNullWithAWarning() throws Exception {
    OutputExtractor.Extracted x =
        extract(
            api("a", "GET", "http://127.0.0.1/")
                .output(output("n", "$.data.name", OutputType.Number))
                .output(output("b", "$.data.count", OutputType.Boolean))
                .output(output("d", "$.data.name", OutputType.DateTime))
                .output(output("o", "$.data.tags", OutputType.Object))
                .output(
                    output(
                        "rows",
                        "$.data.name",
                        OutputType.ObjectArray,
                        output("id", "$.id", OutputType.Text))),
            ANSWER);
    assertEquals(5, x.data().size());
    assertTrue(x.data().values().stream().allMatch(v -> v == null), x.data().toString());
    assertEquals(
        List.of("n", "b", "d", "o", "rows"),
        x.warnings().stream().map(Outcome.Detail::path).toList());
    assertEquals(
        "the value is the number 42, which is not a Boolean: the output is null",
        x.warnings().get(1).message());
  }

  @Test
  void aBodyThatIsNotJsonMatchesNoPath() throws Exception {
    PreparedConnection c =
        PreparedConnection.prepare(
            "org",
            connection("o")
                .api(
                    api("a", "GET", "http://127.0.0.1/")
                        .output(output("x", "$.x", OutputType.Text)))
                .build(),
            null,
            PrivateNetworkRule.NONE);
    OutputExtractor.Extracted x =
        OutputExtractor.extract(c.api("a").outputs(), "plain text answer");
    assertNull(x.data().get("x"));
    assertTrue(x.data().containsKey("x"));
  }
}
