package dev.conduit.code;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Plain data to JSON text and back: how data crosses into and out of a block. */
final class PlainJson {
  static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private PlainJson() {}

  static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  static Object read(String json) throws JacksonException {
    return MAPPER.readValue(json, Object.class);
  }
}
