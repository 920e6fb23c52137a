package dev.conduit.runtime.web;

import dev.conduit.runtime.invoke.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies in, log records out. Bodies are read strictly and with limits: JSON only (by
 * Content-Type), UTF-8 only (no overlong forms, no lone surrogates), no key twice in one object,
 * and bounded size, nesting and string length, so a hostile or ambiguous payload is refused with a
 * message for the caller instead of being guessed at or costing memory.
 */
public final class Json {

  public static final int MAX_DEPTH = 64;
  public static final int MAX_STRING = 1_000_000;
  public static final int MAX_NUMBER = 100;

  public static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxStringLength(MAX_STRING)
                          .maxNumberLength(MAX_NUMBER)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** A body that is not what the endpoint takes, with the status and code to answer. */
  public static final class BadBody extends Exception {
    public final int status;
    public final String code;

    BadBody(ErrorCode code, String message) {
      this(code.status(), code, message);
    }

    BadBody(int status, ErrorCode code, String message) {
      super(message);
      this.status = status;
      this.code = code.name();
    }
  }

  private Json() {}

  /**
   * Reads a JSON object body of at most {@code max} bytes; an empty body is {}. The Content-Type
   * must be application/json (or a +json type) with no charset but UTF-8; a request without one is
   * read as JSON (clients that send no type mean no other), so {@code curl -d}, which says
   * application/x-www-form-urlencoded, is refused with 415.
   */
  public static Map<String, Object> object(String contentType, InputStream in, int max)
      throws BadBody {
    checkType(contentType);
    byte[] bytes;
    try {
      bytes = in.readNBytes(max + 1);
    } catch (IOException e) {
      throw new BadBody(ErrorCode.INVALID_INPUT, "cannot read the request body");
    }
    return parse(bytes, max);
  }

  /**
   * The same for a body already read (at most {@code max + 1} bytes, so "too large" shows), whose
   * Content-Type the caller checked with {@link #checkType} before reading it.
   */
  public static Map<String, Object> object(byte[] bytes, int max) throws BadBody {
    return parse(bytes, max);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(byte[] bytes, int max) throws BadBody {
    if (bytes.length > max) {
      throw new BadBody(
          ErrorCode.BODY_TOO_LARGE, "the request body is larger than " + max + " bytes");
    }
    String text = utf8(bytes);
    if (text.isBlank()) {
      return Map.of();
    }
    try {
      Object v = MAPPER.readValue(text, Object.class);
      if (!(v instanceof Map)) {
        throw new BadBody(
            ErrorCode.INVALID_INPUT,
            "the body must be a JSON object of inputs by alias, e.g. {\"city\": \"Shanghai\"}");
      }
      return (Map<String, Object>) v;
    } catch (JacksonException e) {
      throw new BadBody(
          ErrorCode.INVALID_INPUT, "the body is not valid JSON: " + JsonErrors.explain(e));
    }
  }

  /**
   * application/json or application/*+json; a charset, if given, must be UTF-8; no Content-Type is
   * read as JSON.
   */
  public static void checkType(String contentType) throws BadBody {
    if (contentType == null || contentType.isBlank()) {
      return;
    }
    String[] parts = contentType.split(";");
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")
        && !(type.startsWith("application/") && type.endsWith("+json"))) {
      throw new BadBody(
          415,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body must be JSON sent as Content-Type: "
              + "application/json, not "
              + JsonErrors.printable(parts[0].strip())
              + " (with curl: -H 'Content-Type: application/json')");
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
        String charset = p.substring(eq + 1).strip().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          throw new BadBody(
              415,
              ErrorCode.UNSUPPORTED_MEDIA_TYPE,
              "the body must be UTF-8, not charset=" + JsonErrors.printable(charset));
        }
      }
    }
  }

  /**
   * The body as text; bytes that are not UTF-8 (overlong forms such as C0 80 included) are refused.
   */
  private static String utf8(byte[] bytes) throws BadBody {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      return decoder.decode(in).toString();
    } catch (CharacterCodingException e) {
      throw new BadBody(
          ErrorCode.INVALID_INPUT, "the body is not valid UTF-8 (at byte " + in.position() + ")");
    }
  }

  public static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  public static Object read(String text) {
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
