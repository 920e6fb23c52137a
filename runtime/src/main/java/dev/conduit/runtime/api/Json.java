package dev.conduit.runtime.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies in, log records out. Bodies are read with limits (size, nesting, string
 * length) so a hostile payload is refused with a clear message instead of costing memory.
 */
final class Json {

  static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
              .maxStringLength(1_000_000).maxNumberLength(100).build())
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** A body that is not what the endpoint takes. */
  static final class BadBody extends Exception {
    final boolean tooLarge;

    BadBody(String message, boolean tooLarge) {
      super(message);
      this.tooLarge = tooLarge;
    }
  }

  private Json() {}

  /** Reads a JSON object body of at most {@code max} bytes; an empty body is {}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(InputStream in, int max) throws BadBody {
    byte[] bytes;
    try {
      bytes = in.readNBytes(max + 1);
    } catch (IOException e) {
      throw new BadBody("cannot read the request body", false);
    }
    if (bytes.length > max) {
      throw new BadBody("the request body is larger than " + max + " bytes", true);
    }
    if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return Map.of();
    }
    try {
      Object v = MAPPER.readValue(bytes, Object.class);
      if (!(v instanceof Map)) {
        throw new BadBody("the body must be a JSON object of inputs by alias, e.g. {\"city\": \"Shanghai\"}", false);
      }
      return (Map<String, Object>) v;
    } catch (JacksonException e) {
      throw new BadBody("the body is not valid JSON: " + e.getOriginalMessage(), false);
    }
  }

  static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  static Object read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JacksonException e) {
      return text;
    }
  }
}
