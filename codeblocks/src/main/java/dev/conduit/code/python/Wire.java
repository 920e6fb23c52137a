package dev.conduit.code.python;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.PlainData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the pool and a worker say to each other: one JSON line per request (id, the block's key and
 * file, its source the first time a worker sees it, the input) and one per answer (ok and the
 * result, or a failure's kind, line and message). conduit_worker.py is the other side.
 */
final class Wire {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final Pattern JAVA_NAMES =
      Pattern.compile(
          "\\s*\\(?(java|javax|jdk|sun|org\\.python)\\.[\\w.$]+(Exception|Error)\\)?:?");

  private Wire() {}

  /** A worker's answer. */
  record Answer(
      long id,
      boolean ok,
      Object result,
      String kind,
      int line,
      String message,
      boolean compiled) {}

  static String request(
      long id, CodeSource code, String key, String inputJson, boolean withSource) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("key", key);
    r.put("file", code.file());
    if (withSource) {
      r.put("source", code.text());
    }
    // the input is already JSON text: splice it in rather than parse and write it again
    String head = JSON.writeValueAsString(r);
    return head.substring(0, head.length() - 1) + ",\"input\":" + inputJson + "}";
  }

  /**
   * Asks a worker to run a block, with its source if the worker has not seen it; a worker that
   * dropped the block from its cache answers NEED_SOURCE and is asked again, with the source,
   * within what is left of the time limit. Records on the worker which blocks it now holds
   * compiled.
   */
  static Answer ask(
      PythonWorker w, CodeSource code, String inputJson, long timeoutMillis, LongSupplier ids)
      throws PythonWorker.Gone {
    String key = code.key();
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    long id = ids.getAsLong();
    Answer a = answer(w.call(request(id, code, key, inputJson, !w.knows(key)), timeoutMillis), id);
    if ("NEED_SOURCE".equals(a.kind())) { // the worker dropped it from its cache
      w.forget(key);
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      id = ids.getAsLong();
      a = answer(w.call(request(id, code, key, inputJson, true), left), id);
    }
    if (a.compiled()) {
      w.learned(key); // compiled and cached there (a block that fails to load is sent again)
    }
    return a;
  }

  static Answer answer(String line, long expectedId) {
    long id = -1;
    boolean ok = false;
    boolean compiled = false;
    Object result = null;
    String kind = null;
    String message = null;
    int at = 0;
    try (JsonParser p = JSON_FACTORY.createParser(ObjectReadContext.empty(), line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not an object");
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "id" -> id = p.getLongValue();
          case "ok" -> ok = p.getBooleanValue();
          case "compiled" -> compiled = p.getBooleanValue();
          case "result" -> result = PlainData.read(p);
          case "kind" -> kind = p.getString();
          case "message" -> message = p.getString();
          case "line" -> at = p.getIntValue();
          default -> p.skipChildren();
        }
      }
    }
    if (id != expectedId) {
      throw new IllegalArgumentException("answer " + id + " to request " + expectedId);
    }
    return new Answer(id, ok, result, kind, at, message, compiled);
  }

  static CodeFailure failure(CodeSource code, Answer a) {
    CodeFailure.Kind kind;
    try {
      kind = CodeFailure.Kind.valueOf(a.kind());
    } catch (IllegalArgumentException | NullPointerException e) {
      kind = CodeFailure.Kind.ERROR;
    }
    String message = a.message() == null ? "error" : a.message();
    if (kind == CodeFailure.Kind.SYNTAX) {
      message = PythonLevel.syntaxMessage(message, code.text(), a.line());
    }
    return new CodeFailure(kind, code.file(), a.line(), clean(message));
  }

  /** Messages come from the block's world: keep Java class names and worker paths out of them. */
  static String clean(String message) {
    return JAVA_NAMES.matcher(message).replaceAll("").replace("/app/", "").strip();
  }
}
