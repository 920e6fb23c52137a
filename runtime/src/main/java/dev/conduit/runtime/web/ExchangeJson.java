package dev.conduit.runtime.web;

import dev.conduit.runtime.invoke.Exchange;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * The request log's request and response columns: each side's fields as {@link
 * Exchange.Part#writeTo} lists them, written to a JSON generator instead of the maps of {@link
 * Exchange#asMap()} (the same text: ExchangeJsonTest holds them equal), because every call writes
 * them and the maps in between were a tenth of the invoke path's allocation.
 */
final class ExchangeJson {

  private ExchangeJson() {}

  static String request(Exchange.SentRequest r) {
    return r == null ? null : write(r);
  }

  static String response(Exchange.ReceivedResponse r) {
    return r == null ? null : write(r);
  }

  private static String write(Exchange.Part part) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      part.writeTo(new Generated(g));
      g.writeEndObject();
    }
    return out.toString();
  }

  /** Fields written to the generator as they come. */
  private record Generated(JsonGenerator g) implements Exchange.Fields {

    @Override
    public void text(String name, String value) {
      g.writeStringProperty(name, value);
    }

    @Override
    public void number(String name, int value) {
      g.writeName(name);
      g.writeNumber(value);
    }

    @Override
    public void flag(String name, boolean value) {
      g.writeName(name);
      g.writeBoolean(value);
    }

    @Override
    public void headers(String name, Map<String, List<String>> headers) {
      g.writeName(name);
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
}
