package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what upstreams (APIs and token endpoints) answer as JSON, bounded: at most {@value
 * #MAX_DEPTH} levels of nesting, so a hostile answer costs no stack. When a body cannot be read, it
 * says why in words for the connection's owner and the caller.
 */
final class UpstreamJson {

  static final int MAX_DEPTH = 500;

  static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /**
   * A body read: its value (plain data, null for an empty body or JSON null), or why it is not JSON
   * (null when it is).
   */
  record Read(Object value, String problem) {
    boolean ok() {
      return problem == null;
    }
  }

  /**
   * How JSONPaths read an upstream document (outputs, token responses, token-expired bodies): a
   * missing leaf is null and a path that does not fit is no exception.
   */
  static final Configuration PATHS =
      Configuration.defaultConfiguration()
          .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL);

  private UpstreamJson() {}

  /** A body's plain data; null when it is empty, JSON null or not JSON. */
  static Object value(byte[] body) {
    return read(body).value();
  }

  static Read read(byte[] body) {
    if (body == null || body.length == 0 || isBlank(body)) {
      return new Read(null, "the body is empty");
    }
    try {
      return new Read(MAPPER.readValue(body, Object.class), null);
    } catch (StreamConstraintsException e) {
      String m = String.valueOf(e.getOriginalMessage());
      return new Read(
          null,
          m.contains("nesting depth")
              ? "the JSON nests deeper than " + MAX_DEPTH + " levels, more than Conduit reads"
              : "the JSON is larger than Conduit reads");
    } catch (JacksonException e) {
      var l = e.getLocation();
      return new Read(
          null,
          "the body is not JSON"
              + (l == null || l.getLineNr() < 1
                  ? ""
                  : " (it stops being JSON at line "
                      + l.getLineNr()
                      + ", column "
                      + l.getColumnNr()
                      + ")"));
    } catch (RuntimeException e) {
      return new Read(null, "the body is not JSON");
    }
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
