package dev.conduit.compiler.parse;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.source.FileKind;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses repository files (already decoded as UTF-8 by {@code source}): strict JSON, no duplicate
 * keys, nothing after the value.
 */
public final class JsonFiles {

  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private JsonFiles() {}

  /** Parses JSON text; reports C002/C003 with the position of the problem. */
  public static Optional<ParsedFile> parse(
      String path, FileKind kind, String text, Consumer<Diagnostic> report) {
    try {
      JsonNode root = STRICT.readTree(text);
      if (root == null || root.isMissingNode()) {
        report.accept(
            new Diagnostic(
                Code.C002,
                Code.C002.defaultSeverity(),
                path,
                1,
                1,
                "",
                "the file is empty: expected a JSON object",
                null));
        return Optional.empty();
      }
      return Optional.of(new ParsedFile(path, kind, text, root));
    } catch (JacksonException e) {
      TokenStreamLocation loc = e.getLocation();
      int line = loc == null ? 0 : Math.max(loc.getLineNr(), 0);
      int column = loc == null ? 0 : Math.max(loc.getColumnNr(), 0);
      String message = clean(e.getOriginalMessage());
      Code code =
          message.startsWith("Duplicate Object property") || message.startsWith("Duplicate field")
              ? Code.C003
              : Code.C002;
      if (code == Code.C003) {
        message = "duplicate key " + message.substring(message.indexOf('"'));
      }
      report.accept(
          new Diagnostic(
              code,
              code.defaultSeverity(),
              path,
              line,
              column,
              null,
              code == Code.C003 ? message : "invalid JSON: " + message,
              null));
      return Optional.empty();
    }
  }

  private static final Pattern TOO_DEEP =
      Pattern.compile("Document nesting depth \\(\\d+\\) exceeds the maximum allowed \\((\\d+)");

  /** Jackson's messages end with advice for Java programmers; keep the part users need. */
  private static String clean(String message) {
    String m = message == null ? "unreadable" : message;
    int cut = m.indexOf("\n");
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    int hint = m.indexOf(" (for Object");
    if (hint >= 0) {
      m = m.substring(0, hint);
    }
    // a nesting bomb: Jackson's limit, named without its Java method
    Matcher deep = TOO_DEEP.matcher(m);
    if (deep.lookingAt()) {
      return "it nests deeper than " + deep.group(1) + " levels";
    }
    return m.strip();
  }
}
