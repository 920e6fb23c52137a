package dev.conduit.code.js;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Helpers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * JavaScript blocks on GraalJS, in this process. One shared {@link Engine} keeps every parsed
 * {@link Source} (a block is parsed once, whatever the number of calls); each call gets a fresh
 * {@link Context}, so no call sees another's data ({@link FreshContexts} builds them ahead of the
 * calls). The context denies, each explicitly, host classes (no lookup: no {@code Java}, {@code
 * java} or {@code Packages} globals at all), files, network, threads, native code, processes,
 * environment and other languages. Only the {@link HostAccess.Export} methods of {@link Helpers}
 * are reachable, through the global {@code conduit} the prelude wraps around them. Data crosses as
 * JSON text. A {@link Watchdog} stops a call at its deadline or allocation cap, and the engine
 * refuses a string longer than {@link #MAX_STRING_LENGTH}. The sandbox policy is TRUSTED because
 * CONSTRAINED refuses {@code js.string-length-limit}: every denial CONSTRAINED would insist on is
 * made here by name, and JavaScriptBlocksTest probes each one.
 */
public final class JavaScriptEngine implements AutoCloseable {

  /** Only methods annotated {@link HostAccess.Export} (the helper library) are reachable. */
  static final HostAccess HOST_ACCESS = HostAccess.newBuilder(HostAccess.CONSTRAINED).build();

  static final String PRELUDE_NAME = "conduit-prelude.js";
  private static final Source PRELUDE = prelude();

  /** The helper set as JSON ({"md5": 1, ...}): the prelude defines {@code conduit} from it. */
  private static final String HELPER_SET =
      Helpers.FUNCTIONS.entrySet().stream()
          .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
          .collect(java.util.stream.Collectors.joining(",", "{", "}"));

  private static final int MAX_CACHED_SOURCES = 4096;

  /**
   * The longest string a block may make, in UTF-16 units (at most 32 MB). GraalJS keeps a string
   * built by {@code +} as a rope that costs nothing until it is read; the read then makes one flat
   * copy at once, before the {@link Watchdog} can see it: 28 doublings of {@code 'x'} were 256 MB
   * in one allocation, which failed other organizations' calls with "Java heap space"
   * (JavaScriptHugeAllocationsTest.ROPES). The engine refuses such a string where it is made. Five
   * times the largest upstream answer the runtime reads by default (5 MB): a block's strings are
   * that answer's fields and what it builds from them.
   */
  static final int MAX_STRING_LENGTH = 1 << 24;

  /** Contexts kept ready for the next calls: enough for a burst on a small machine. */
  private static final int READY_CONTEXTS = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Globals that other JavaScript hosts have and blocks do not, and what they would reach. */
  private static final Map<String, String> ABSENT =
      Map.ofEntries(
          Map.entry("require", "modules"),
          Map.entry("module", "modules"),
          Map.entry("exports", "modules"),
          Map.entry("process", "the process and its environment"),
          Map.entry("load", "files"),
          Map.entry("loadWithNewGlobal", "files"),
          Map.entry("read", "files"),
          Map.entry("readFully", "files"),
          Map.entry("readbuffer", "files"),
          Map.entry("Java", "Java"),
          Map.entry("Packages", "Java"),
          Map.entry("java", "Java"),
          Map.entry("javax", "Java"),
          Map.entry("Polyglot", "other languages"),
          Map.entry("Graal", "the engine"),
          Map.entry("quit", "the process"),
          Map.entry("exit", "the process"),
          Map.entry("XMLHttpRequest", "the network"),
          Map.entry("fetch", "the network"),
          Map.entry("WebSocket", "the network"),
          Map.entry("Deno", "the process"),
          Map.entry("Bun", "the process"),
          Map.entry("setTimeout", "timers (blocks are synchronous)"),
          Map.entry("setInterval", "timers (blocks are synchronous)"),
          Map.entry("Worker", "threads"));

  /** How the prelude's RangeError for one too-big operation begins (see conduit_prelude.js). */
  private static final String TOO_BIG = "one operation would allocate";

  private static final Pattern NOT_DEFINED =
      Pattern.compile("^ReferenceError: (\\w+) is not defined");
  private static final Set<String> DENIED_HINTS =
      Set.of(
          "not allowed",
          "Access to host",
          "is not accessible",
          "Operation is not allowed",
          "host class",
          "IO operation");

  private final Engine engine;
  private final Map<String, Source> sources = new ConcurrentHashMap<>();
  private final AtomicInteger sourcesBuilt = new AtomicInteger();
  private final Watchdog watchdog = new Watchdog();
  private final FreshContexts contexts = new FreshContexts(READY_CONTEXTS, this::readyContext);
  private volatile ExecutorService platformThreads;

  public JavaScriptEngine() {
    this(null);
  }

  /**
   * @param engineLog where the engine logs which sources it parses (tests count the parses); null
   *     for none
   */
  JavaScriptEngine(OutputStream engineLog) {
    Engine.Builder b =
        Engine.newBuilder("js")
            .sandbox(SandboxPolicy.TRUSTED)
            .option("engine.WarnInterpreterOnly", "false")
            .out(OutputStream.nullOutputStream())
            .err(OutputStream.nullOutputStream());
    if (engineLog != null) {
      b.allowExperimentalOptions(true)
          .option("engine.TraceSourceCache", "true")
          .logHandler(engineLog);
    }
    this.engine = b.build();
  }

  private static Source prelude() {
    try (InputStream in =
        JavaScriptEngine.class.getResourceAsStream("/dev/conduit/code/js/conduit_prelude.js")) {
      return Source.newBuilder(
              "js", new String(in.readAllBytes(), StandardCharsets.UTF_8), PRELUDE_NAME)
          .cached(true)
          .buildLiteral();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many block sources were built (each is parsed once by the engine, on first use). */
  public int sourcesBuilt() {
    return sourcesBuilt.get();
  }

  /**
   * Runs {@code main(input)}: input and result are JSON text.
   *
   * @param maxAllocation bytes the call may allocate before it is stopped
   */
  public String run(CodeSource code, String inputJson, long timeoutMillis, long maxAllocation)
      throws CodeFailure {
    if (Thread.currentThread().isVirtual()) {
      // the allocation watchdog reads a platform thread's counter: virtual threads have none
      return onPlatformThread(code, inputJson, timeoutMillis, maxAllocation);
    }
    Source source = source(code);
    FreshContexts.Ready ready = contexts.take();
    Context context = ready.context();
    Watchdog.Watch watch = watchdog.watch(context, timeoutMillis, maxAllocation);
    try {
      ready.budget().execute(new CallBudget(watch));
      context.eval(source);
      return ready.call().execute(inputJson).asString();
    } catch (PolyglotException e) {
      throw failure(code, e, watch.stopped, timeoutMillis);
    } catch (IllegalStateException e) {
      // the context was closed by the watchdog between two steps
      throw stopped(
          code, watch.stopped == null ? Watchdog.Reason.TIMEOUT : watch.stopped, timeoutMillis);
    } finally {
      watchdog.release(watch);
      try {
        context.close(true);
      } catch (RuntimeException e) {
        // a context cancelled by the watchdog throws when closed again
      }
    }
  }

  private String onPlatformThread(
      CodeSource code, String inputJson, long timeoutMillis, long maxAllocation)
      throws CodeFailure {
    ExecutorService pool = platformThreads;
    if (pool == null) {
      synchronized (this) {
        if (platformThreads == null) {
          platformThreads =
              Executors.newCachedThreadPool(
                  Thread.ofPlatform().daemon().name("conduit-js-", 0).factory());
        }
        pool = platformThreads;
      }
    }
    Future<String> f = pool.submit(() -> run(code, inputJson, timeoutMillis, maxAllocation));
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CodeFailure cf) {
        throw cf;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new CodeFailure(CodeFailure.Kind.ERROR, code.file(), 0, "interrupted");
    }
  }

  private Source source(CodeSource code) {
    Source s = sources.get(code.key());
    if (s != null) {
      return s;
    }
    if (sources.size() >= MAX_CACHED_SOURCES) {
      sources.keySet().stream()
          .findAny()
          .ifPresent(sources::remove); // bundles come and go; stay bounded
    }
    return sources.computeIfAbsent(
        code.key(),
        k -> {
          sourcesBuilt.incrementAndGet();
          return Source.newBuilder("js", code.text(), code.file()).cached(true).buildLiteral();
        });
  }

  /**
   * A fresh context with the prelude evaluated: {@code conduit} defined, the entry point returned.
   */
  private FreshContexts.Ready readyContext() {
    Context context = newContext();
    try {
      Value entries = context.eval(PRELUDE).execute(Helpers.INSTANCE, HELPER_SET);
      return new FreshContexts.Ready(
          context, entries.getArrayElement(0), entries.getArrayElement(1));
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  /**
   * Denies a context every power of the host a block must not have: files, threads, native code,
   * processes, the environment and other languages. The parser the compiler checks blocks with gets
   * the same denials.
   */
  public static Context.Builder withoutHostPowers(Context.Builder builder) {
    return builder
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowNativeAccess(false)
        .allowCreateProcess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE);
  }

  /** A context that reaches nothing of the host (see the class comment). */
  private Context newContext() {
    return withoutHostPowers(
            Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.TRUSTED)
                .allowHostAccess(HOST_ACCESS))
        .allowValueSharing(false)
        .option("js.graal-builtin", "false")
        .option("js.load", "false")
        .allowExperimentalOptions(true)
        .option("js.string-length-limit", Integer.toString(MAX_STRING_LENGTH))
        .build();
  }

  private static CodeFailure failure(
      CodeSource code, PolyglotException e, Watchdog.Reason stopped, long timeoutMillis) {
    if (stopped != null || e.isCancelled() || e.isInterrupted()) {
      return stopped(code, stopped == null ? Watchdog.Reason.TIMEOUT : stopped, timeoutMillis);
    }
    if (message(e).contains(TOO_BIG)) {
      return new CodeFailure(
          CodeFailure.Kind.MEMORY,
          code.file(),
          lineIn(code.file(), e),
          "stopped: " + message(e).substring(message(e).indexOf(TOO_BIG)));
    }
    if (e.isResourceExhausted()) {
      return new CodeFailure(
          CodeFailure.Kind.MEMORY,
          code.file(),
          0,
          "the block ran out of resources (" + clean(e.getMessage()) + ")");
    }
    int line = lineIn(code.file(), e);
    String message = clean(e.getMessage());
    if (e.isSyntaxError()) {
      return new CodeFailure(
          CodeFailure.Kind.SYNTAX,
          code.file(),
          line,
          "JavaScript syntax error: " + syntaxMessage(message));
    }
    if (message.contains("__conduit_no_main__")) {
      return new CodeFailure(
          CodeFailure.Kind.BAD_RESULT, code.file(), 0, "the block defines no main(input) function");
    }
    int bad = message.indexOf("__conduit_bad__");
    if (bad >= 0) {
      return new CodeFailure(
          CodeFailure.Kind.BAD_RESULT,
          code.file(),
          0,
          message.substring(bad + "__conduit_bad__".length()));
    }
    if (e.isHostException()) {
      Throwable host = e.asHostException();
      String m =
          host instanceof IllegalArgumentException && host.getMessage() != null
              ? host.getMessage()
              : "a conduit helper failed";
      return new CodeFailure(CodeFailure.Kind.ERROR, code.file(), line, "Error: " + m);
    }
    Matcher absent = NOT_DEFINED.matcher(message);
    if (absent.find() && ABSENT.containsKey(absent.group(1))) {
      return new CodeFailure(
          CodeFailure.Kind.DENIED,
          code.file(),
          line,
          absent.group(1)
              + " is not available in code blocks (no access to "
              + ABSENT.get(absent.group(1))
              + ")");
    }
    for (String hint : DENIED_HINTS) {
      if (message.contains(hint)) {
        return new CodeFailure(CodeFailure.Kind.DENIED, code.file(), line, message);
      }
    }
    return new CodeFailure(CodeFailure.Kind.ERROR, code.file(), line, message);
  }

  private static String message(PolyglotException e) {
    return e.getMessage() == null ? "" : e.getMessage();
  }

  private static CodeFailure stopped(CodeSource code, Watchdog.Reason reason, long timeoutMillis) {
    return reason == Watchdog.Reason.MEMORY
        ? new CodeFailure(
            CodeFailure.Kind.MEMORY,
            code.file(),
            0,
            "stopped: the block allocated more memory than a call may")
        : new CodeFailure(
            CodeFailure.Kind.TIMEOUT,
            code.file(),
            0,
            "stopped: the block ran past its time limit of " + timeoutMillis + " ms");
  }

  /** The line in the block's own file: where the error was raised, or its nearest caller there. */
  static int lineIn(String file, PolyglotException e) {
    int line = lineIn(file, e.getSourceLocation());
    if (line > 0) {
      return line;
    }
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      line = lineIn(file, frame.getSourceLocation());
      if (line > 0) {
        return line;
      }
    }
    return 0;
  }

  private static int lineIn(String file, SourceSection section) {
    return section != null
            && section.getSource() != null
            && file.equals(section.getSource().getName())
        ? section.getStartLine()
        : 0;
  }

  /** GraalJS puts "SyntaxError: file:line:col " before a syntax error's text. */
  public static String syntaxMessage(String message) {
    String first = message.lines().findFirst().orElse(message);
    return first
        .replaceFirst("^SyntaxError:\\s*", "")
        .replaceFirst("^\\S+:\\d+:\\d+\\s*", "")
        .strip();
  }

  /** GraalJS messages sometimes carry Java class names; users see the JavaScript part. */
  public static String clean(String message) {
    if (message == null) {
      return "error";
    }
    return message
        .replaceAll(
            "\\s*\\(?(java|javax|jdk|sun|com\\.oracle|org\\.graalvm)\\.[\\w.$]+(Exception|Error)\\)?:?",
            "")
        .strip();
  }

  @Override
  public void close() {
    contexts.close();
    watchdog.close();
    if (platformThreads != null) {
      platformThreads.shutdownNow();
    }
    try {
      engine.close(true);
    } catch (RuntimeException e) {
      // closing anyway
    }
  }
}
