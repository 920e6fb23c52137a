package dev.conduit.runtime.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.conduit.runtime.invoke.Exchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request log's columns, written straight from the records, are the very JSON that the
 * exchange's map (what Test API answers) gives: same keys, order, escaping and nulls. Both follow
 * each side's {@code writeTo}; this holds the two sinks (a JSON generator, a map) to the same text.
 */
class ExchangeJsonTest {

  static void sameAsTheMap(Exchange e) {
    Map<String, Object> m = e.asMap();
    assertEquals(
        m.containsKey("request") ? Json.write(m.get("request")) : null,
        ExchangeJson.request(e.request()));
    assertEquals(
        m.containsKey("response") ? Json.write(m.get("response")) : null,
        ExchangeJson.response(e.response()));
  }

  @Test
  void aCallWithBothSides() {
    Map<String, List<String>> sent = new LinkedHashMap<>();
    sent.put("Authorization", List.of("******"));
    sent.put("Content-Type", List.of("application/json"));
    sent.put("X-Many", List.of("a", "b \"quoted\" \u00e9 \u2028 \n"));
    Map<String, List<String>> got = new LinkedHashMap<>();
    got.put("content-type", List.of("application/json; charset=utf-8"));
    got.put("empty", List.of());
    sameAsTheMap(
        new Exchange(
            new Exchange.SentRequest(
                "POST",
                "https://api.example.com/orders?key=******",
                sent,
                "{\"customer\":\"Acme\",\"note\":\"tab\\there <b>\"}"),
            new Exchange.ReceivedResponse(201, got, "{\"id\":\"ord-1\"}\u0000\ud83d\ude00", true),
            37,
            true));
  }

  @Test
  void nothingSentOrNoBody() {
    sameAsTheMap(Exchange.NONE);
    assertNull(ExchangeJson.request(null));
    sameAsTheMap(
        new Exchange(
            new Exchange.SentRequest("GET", "http://h/x", Map.of(), null), null, 5, false));
    sameAsTheMap(
        new Exchange(
            new Exchange.SentRequest("GET", "http://h/x", Map.of("A", List.of("1")), null),
            new Exchange.ReceivedResponse(500, Map.of(), "", false),
            5,
            false));
    Map<String, List<String>> withNull = new LinkedHashMap<>();
    withNull.put("X-Null", null);
    sameAsTheMap(
        new Exchange(
            new Exchange.SentRequest("DELETE", "http://h/x", null, null),
            new Exchange.ReceivedResponse(204, withNull, null, false),
            1,
            false));
  }
}
