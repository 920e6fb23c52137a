package dev.conduit.code.python;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Python blocks run here: a pool of Jython worker processes that this class starts, feeds,
 * supervises and replaces. A worker that passes a call's deadline is killed and a new one
 * started; one whose heap filled up exits and is replaced. Each worker keeps the compiled code
 * of the blocks it has seen (a block's source crosses to a worker once).
 */
public final class PythonWorkers implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PythonWorkers.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long START_TIMEOUT = 60_000;

  private final Sandbox sandbox;
  private final Path appDir;
  private final Path workDir;
  private final Path javaHome;
  private final List<String> javaOptions;
  private final long memoryBytes;
  private final BlockingQueue<PythonWorker> idle = new LinkedBlockingQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final int size;
  private volatile boolean closed;

  /**
   * @param jythonJar the jython-standalone jar (copied next to the worker script)
   * @param size how many workers
   * @param memoryBytes each worker's address-space limit (prlimit), where available
   */
  public PythonWorkers(Path jythonJar, Path javaHome, int size, long memoryBytes, boolean allowBubblewrap)
      throws IOException {
    this.sandbox = Sandbox.detect(allowBubblewrap);
    this.javaHome = javaHome;
    this.size = size;
    this.memoryBytes = memoryBytes;
    this.appDir = Files.createTempDirectory("conduit-python-");
    this.workDir = Files.createDirectories(appDir.resolve("work"));
    Files.copy(jythonJar, appDir.resolve("jython.jar"), StandardCopyOption.REPLACE_EXISTING);
    try (InputStream script = PythonWorkers.class.getResourceAsStream("/dev/conduit/code/python/conduit_worker.py")) {
      Files.copy(script, appDir.resolve("conduit_worker.py"), StandardCopyOption.REPLACE_EXISTING);
    }
    // the worker may run as nobody: it must be able to read its own files, nothing more
    Files.setPosixFilePermissions(appDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String f : new String[] {"jython.jar", "conduit_worker.py"}) {
      Files.setPosixFilePermissions(appDir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
    this.javaOptions = javaOptions(javaHome);
    LOG.info("Python code blocks: " + size + " Jython workers; confinement: " + sandbox.description());
    for (int i = 0; i < size; i++) {
      spawnInBackground();
    }
  }

  /** Where the jython jar is: the jar this class path loaded Jython from. */
  public static Path jythonJarOnClassPath() {
    try {
      var location = Class.forName("org.python.util.jython").getProtectionDomain().getCodeSource().getLocation();
      Path p = Path.of(location.toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException | NullPointerException
        | SecurityException e) {
      return null;
    }
  }

  private static List<String> javaOptions(Path javaHome) {
    List<String> o = new ArrayList<>(List.of("-Xmx64m", "-Xss512k", "-XX:ReservedCodeCacheSize=32m",
        "-XX:MaxMetaspaceSize=96m", "-XX:CompressedClassSpaceSize=32m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Dpython.cachedir.skip=true",
        "-Dpython.console.encoding=UTF-8", "-Dfile.encoding=UTF-8", "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      o.add("--sun-misc-unsafe-memory-access=allow");
    }
    return o;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  private void spawnInBackground() {
    if (closed) {
      return;
    }
    Thread.ofVirtual().name("conduit-python-spawn-" + ids.incrementAndGet()).start(() -> {
      for (int attempt = 0; attempt < 3 && !closed; attempt++) {
        try {
          List<String> command = sandbox.command(appDir, javaHome, javaOptions, memoryBytes, 3600);
          PythonWorker w = PythonWorker.start(command, workDir, START_TIMEOUT);
          started.incrementAndGet();
          if (closed) {
            w.kill();
          } else {
            idle.add(w);
          }
          return;
        } catch (IOException e) {
          LOG.warning("cannot start a Python worker: " + e.getMessage());
        }
      }
    });
  }

  /** How many workers were started so far (respawns included). */
  public int workersStarted() {
    return started.get();
  }

  /**
   * Runs a block's main(input); input and result are JSON text.
   */
  public String run(CodeSource code, String inputJson, long timeoutMillis) throws CodeFailure {
    PythonWorker w;
    try {
      w = idle.poll(START_TIMEOUT, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeFailure(CodeFailure.Kind.ERROR, code.file(), 0, "interrupted while waiting for a Python worker");
    }
    if (w == null) {
      throw new CodeFailure(CodeFailure.Kind.ERROR, code.file(), 0, "no Python worker is available (they failed to start; see the server log)");
    }
    boolean healthy = false;
    try {
      JsonNode answer = ask(w, code, inputJson, timeoutMillis);
      if (answer.path("ok").asBoolean(false)) {
        healthy = true;
        return answer.get("json").asString();
      }
      String kind = answer.path("kind").asString("ERROR");
      healthy = !kind.equals("MEMORY");
      throw new CodeFailure(CodeFailure.Kind.valueOf(kind), code.file(), answer.path("line").asInt(0),
          answer.path("message").asString("error"));
    } catch (PythonWorker.Gone g) {
      throw g.timedOut
          ? new CodeFailure(CodeFailure.Kind.TIMEOUT, code.file(), 0, "stopped: the block ran past its time limit of " + timeoutMillis + " ms")
          : new CodeFailure(CodeFailure.Kind.MEMORY, code.file(), 0, "the block's worker stopped (out of memory or CPU)");
    } finally {
      if (healthy && w.alive()) {
        idle.add(w);
      } else {
        w.kill();
        spawnInBackground();
      }
    }
  }

  private JsonNode ask(PythonWorker w, CodeSource code, String inputJson, long timeoutMillis) throws PythonWorker.Gone {
    String key = code.key();
    boolean send = !w.knows(key);
    JsonNode answer = JSON.readTree(w.call(request(code, key, inputJson, send), timeoutMillis));
    if ("NEED_SOURCE".equals(answer.path("kind").asString(""))) {
      answer = JSON.readTree(w.call(request(code, key, inputJson, true), timeoutMillis));
    }
    w.learned(key);
    return answer;
  }

  private static String request(CodeSource code, String key, String inputJson, boolean withSource) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", 1);
    r.put("key", key);
    r.put("file", code.file());
    if (withSource) {
      r.put("source", code.text());
    }
    // the input is already JSON text: splice it in rather than parse and write it again
    String head = JSON.writeValueAsString(r);
    return head.substring(0, head.length() - 1) + ",\"input\":" + inputJson + "}";
  }

  @Override
  public void close() {
    closed = true;
    PythonWorker w;
    while ((w = idle.poll()) != null) {
      w.kill();
    }
  }

  /**
   * Runs a Python snippet in a fresh process under exactly the workers' confinement but WITHOUT
   * the worker's second wall, and returns what it printed: the tests use it to show what the
   * operating system alone allows.
   */
  String probe(String snippet) throws IOException, InterruptedException {
    Path script = appDir.resolve("probe.py");
    Files.writeString(script, snippet);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> command = new ArrayList<>(sandbox.command(appDir, javaHome, javaOptions, memoryBytes, 60));
    command.set(command.size() - 1, command.getLast().replace("conduit_worker.py", "probe.py"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** How many workers this pool keeps. */
  public int size() {
    return size;
  }
}
