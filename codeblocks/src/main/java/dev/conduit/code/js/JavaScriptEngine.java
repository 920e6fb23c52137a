package dev.conduit.code.js;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Helpers;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * JavaScript blocks on GraalJS, in this process. One shared {@link Engine} keeps every parsed
 * {@link Source} (each block is parsed once); each call gets a fresh {@link Context}, so no call
 * sees another's data. A context can reach nothing of the host: no Java classes, files,
 * network, threads, processes, environment or other languages; only the exported methods of
 * {@link Helpers} as the global {@code conduit}. Data crosses as JSON text.
 */
public final class JavaScriptEngine implements AutoCloseable {

  /** Only methods annotated {@link HostAccess.Export} (the helper library) are reachable. */
  private static final HostAccess HOST_ACCESS = HostAccess.newBuilder()
      .allowAccessAnnotatedBy(HostAccess.Export.class).build();

  private static final Source WRAPPER = Source.newBuilder("js",
      "(function (input) { if (typeof main !== 'function') { throw new TypeError('__conduit_no_main__'); }"
          + " var r = main(JSON.parse(input)); return r === undefined ? 'null' : JSON.stringify(r); })",
      "conduit-wrapper.js").cached(true).buildLiteral();

  private final Engine engine = Engine.newBuilder("js")
      .option("engine.WarnInterpreterOnly", "false")
      .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
      .build();
  private final Map<String, Source> sources = new ConcurrentHashMap<>();
  private final Watchdog watchdog = new Watchdog();

  /** How many distinct sources were parsed (tests check nothing is parsed per call). */
  public int parsedSources() {
    return sources.size();
  }

  /**
   * Runs {@code main(input)}: input and result are JSON text.
   *
   * @param maxAllocation bytes the call may allocate before it is stopped
   */
  public String run(CodeSource code, String inputJson, long timeoutMillis, long maxAllocation) throws CodeFailure {
    Source source = sources.computeIfAbsent(code.key(), k ->
        Source.newBuilder("js", code.text(), code.file()).cached(true).buildLiteral());
    Context context = newContext(engine);
    Watchdog.Watch watch = watchdog.watch(context, timeoutMillis, maxAllocation);
    try {
      context.getBindings("js").putMember("conduit", Helpers.INSTANCE);
      context.eval(source);
      Value result = context.eval(WRAPPER).execute(inputJson);
      return result.asString();
    } catch (PolyglotException e) {
      throw failure(code, e, watch.stopped);
    } catch (IllegalStateException e) {
      // the context was closed by the watchdog between two steps
      throw stopped(code, watch.stopped == null ? Watchdog.Reason.TIMEOUT : watch.stopped, timeoutMillis);
    } finally {
      watchdog.release(watch);
      try {
        context.close(true);
      } catch (RuntimeException e) {
        // a context cancelled by the watchdog throws when closed again
      }
    }
  }

  /** A context that reaches nothing of the host (see the class comment). */
  static Context newContext(Engine engine) {
    Context.Builder b = Context.newBuilder("js")
        .allowHostAccess(HOST_ACCESS)
        .allowHostClassLookup(className -> false)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowNativeAccess(false)
        .allowCreateProcess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.console", "false");
    if (engine != null) {
      b.engine(engine);
    } else {
      b.option("engine.WarnInterpreterOnly", "false").out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream());
    }
    return b.build();
  }

  private CodeFailure failure(CodeSource code, PolyglotException e, Watchdog.Reason stopped) {
    if (stopped != null || e.isCancelled()) {
      return stopped(code, stopped == null ? Watchdog.Reason.TIMEOUT : stopped, 0);
    }
    if (e.isResourceExhausted()) {
      return new CodeFailure(CodeFailure.Kind.MEMORY, code.file(), 0, "the block ran out of resources: " + e.getMessage());
    }
    int line = lineIn(code.file(), e.getSourceLocation());
    if (e.isSyntaxError()) {
      return new CodeFailure(CodeFailure.Kind.SYNTAX, code.file(), line, "syntax error: " + clean(e.getMessage()));
    }
    String message = clean(e.getMessage());
    if (message.contains("__conduit_no_main__")) {
      return new CodeFailure(CodeFailure.Kind.BAD_RESULT, code.file(), 0, "the block defines no main(input) function");
    }
    if (line == 0 && (message.contains("BigInt") || message.contains("circular") || message.contains("cyclic"))) {
      return new CodeFailure(CodeFailure.Kind.BAD_RESULT, code.file(), 0,
          "main must return plain data (objects, arrays, strings, numbers, booleans, null): " + message);
    }
    if (message.contains("not allowed") || message.contains("Access to host")) {
      return new CodeFailure(CodeFailure.Kind.DENIED, code.file(), line, message);
    }
    return new CodeFailure(CodeFailure.Kind.ERROR, code.file(), line, message);
  }

  private static CodeFailure stopped(CodeSource code, Watchdog.Reason reason, long timeoutMillis) {
    return reason == Watchdog.Reason.MEMORY
        ? new CodeFailure(CodeFailure.Kind.MEMORY, code.file(), 0, "stopped: the block allocated more memory than allowed")
        : new CodeFailure(CodeFailure.Kind.TIMEOUT, code.file(), 0,
            "stopped: the block ran past its time limit" + (timeoutMillis > 0 ? " of " + timeoutMillis + " ms" : ""));
  }

  static int lineIn(String file, SourceSection section) {
    return section != null && section.getSource() != null && file.equals(section.getSource().getName())
        ? section.getStartLine() : 0;
  }

  /** GraalJS messages sometimes carry Java class names; users see the JavaScript part. */
  static String clean(String message) {
    if (message == null) {
      return "error";
    }
    return message.replaceAll("\\s*\\(?(java|org\\.graalvm)\\.[\\w.$]+(Exception|Error)\\)?:?", "").strip();
  }


  @Override
  public void close() {
    watchdog.close();
    engine.close();
  }
}
