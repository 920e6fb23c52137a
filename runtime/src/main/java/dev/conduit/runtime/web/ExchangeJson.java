package dev.conduit.runtime.web;

import dev.conduit.runtime.invoke.Exchange;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * The request log's request and response columns: the same JSON as {@link Json#write} of {@link
 * Exchange#asMap()}'s "request" and "response" (ExchangeJsonTest holds them equal), written
 * straight from the records, because every call writes them and the maps in between were a tenth of
 * the invoke path's allocation.
 */
final class ExchangeJson {

  private ExchangeJson() {}

  static String request(Exchange.SentRequest r) {
    if (r == null) {
      return null;
    }
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("method", r.method());
      g.writeStringProperty("url", r.url());
      headers(g, r.headers());
      g.writeStringProperty("body", r.body());
      g.writeEndObject();
    }
    return out.toString();
  }

  static String response(Exchange.ReceivedResponse r) {
    if (r == null) {
      return null;
    }
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeName("status");
      g.writeNumber(r.status());
      headers(g, r.headers());
      g.writeStringProperty("body", r.body());
      g.writeName("bodyTruncated");
      g.writeBoolean(r.bodyTruncated());
      g.writeEndObject();
    }
    return out.toString();
  }

  private static void headers(JsonGenerator g, Map<String, List<String>> headers) {
    g.writeName("headers");
    if (headers == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      g.writeName(h.getKey());
      if (h.getValue() == null) {
        g.writeNull();
        continue;
      }
      g.writeStartArray();
      for (String v : h.getValue()) {
        g.writeString(v);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }
}
