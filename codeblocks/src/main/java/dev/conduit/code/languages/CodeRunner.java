package dev.conduit.code.languages;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.PlainData;
import dev.conduit.code.Tenant;
import dev.conduit.code.js.JavaScriptEngine;
import dev.conduit.code.python.PythonWorkers;
import dev.conduit.code.python.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;

/**
 * Runs code blocks: {@code main(input)} with plain data in and plain data out (see {@link
 * PlainData} for the types). JavaScript runs in this process on GraalJS; Python in a pool of
 * confined Jython worker processes. One runner serves the whole runtime and is safe to call from
 * many threads; engines, parsed sources and workers are shared and reused. A block is parsed
 * (JavaScript) or compiled (Python, once per worker) on its first call and cached by file and
 * content hash.
 */
public final class CodeRunner implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CodeRunner.class.getName());

  /**
   * Settings; {@link #defaults()} and the {@code with...} methods build them.
   *
   * @param defaultTimeout a call's time limit when the caller gives none (2 s)
   * @param maxTimeout a caller's time limit is capped here (30 s)
   * @param jsMaxAllocation bytes a JavaScript call may allocate before it is stopped (256 MB):
   *     total allocation, garbage included, so size it to the workload and below the heap
   * @param pythonWorkers how many Jython worker processes at most (4), each serving one tenant
   *     (organization + connection) for its whole life: the number of tenants held warm; 0 turns
   *     Python blocks off
   * @param pythonMemory each worker's address-space limit (512 MB, the least that works; the
   *     worker's JVM heap is what it leaves after ~450 MB of JVM overhead: 64 MB at 512 MB)
   * @param jythonJar the jython-standalone jar; null: the jar this class path loaded Jython from
   * @param java the java executable that runs Python workers, or a Java home (its bin/java); null:
   *     the JVM running this code
   * @param bubblewrap confine Python workers with bubblewrap (true)
   * @param bubblewrapPath where bubblewrap is; null: looked for in the usual folders
   * @param pythonUnconfinedUnsafe run Python blocks even where bubblewrap is not up (false): then
   *     they can read the files the worker's user can and reach the network. Without it, Python
   *     blocks fail closed there ({@link CodeFailure.Kind#UNAVAILABLE})
   */
  public record Config(
      Duration defaultTimeout,
      Duration maxTimeout,
      long jsMaxAllocation,
      int pythonWorkers,
      long pythonMemory,
      Path jythonJar,
      Path java,
      boolean bubblewrap,
      Path bubblewrapPath,
      boolean pythonUnconfinedUnsafe) {

    public Config {
      Objects.requireNonNull(defaultTimeout, "defaultTimeout");
      Objects.requireNonNull(maxTimeout, "maxTimeout");
      if (defaultTimeout.isNegative()
          || defaultTimeout.isZero()
          || maxTimeout.compareTo(defaultTimeout) < 0) {
        throw new IllegalArgumentException("need 0 < defaultTimeout <= maxTimeout");
      }
      if (jsMaxAllocation < 1024 * 1024) {
        throw new IllegalArgumentException(
            "jsMaxAllocation below 1 MB leaves a block nothing to work with");
      }
      if (pythonWorkers < 0) {
        throw new IllegalArgumentException("pythonWorkers must not be negative");
      }
      if (pythonMemory < 512L * 1024 * 1024) {
        throw new IllegalArgumentException(
            "pythonMemory below 512 MB: a Jython worker cannot start in less");
      }
    }

    public static Config defaults() {
      return new Config(
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          256L * 1024 * 1024,
          4,
          512L * 1024 * 1024,
          null,
          null,
          true,
          null,
          false);
    }

    public Config withDefaultTimeout(Duration d) {
      return new Config(
          d,
          maxTimeout,
          jsMaxAllocation,
          pythonWorkers,
          pythonMemory,
          jythonJar,
          java,
          bubblewrap,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withMaxTimeout(Duration d) {
      return new Config(
          defaultTimeout,
          d,
          jsMaxAllocation,
          pythonWorkers,
          pythonMemory,
          jythonJar,
          java,
          bubblewrap,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withJsMaxAllocation(long bytes) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          bytes,
          pythonWorkers,
          pythonMemory,
          jythonJar,
          java,
          bubblewrap,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withPythonWorkers(int n) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          jsMaxAllocation,
          n,
          pythonMemory,
          jythonJar,
          java,
          bubblewrap,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withPythonMemory(long bytes) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          jsMaxAllocation,
          pythonWorkers,
          bytes,
          jythonJar,
          java,
          bubblewrap,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withJythonJar(Path jar) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          jsMaxAllocation,
          pythonWorkers,
          pythonMemory,
          jar,
          java,
          bubblewrap,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withJava(Path executableOrHome) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          jsMaxAllocation,
          pythonWorkers,
          pythonMemory,
          jythonJar,
          executableOrHome,
          bubblewrap,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withBubblewrap(boolean on) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          jsMaxAllocation,
          pythonWorkers,
          pythonMemory,
          jythonJar,
          java,
          on,
          bubblewrapPath,
          pythonUnconfinedUnsafe);
    }

    public Config withBubblewrapPath(Path bwrap) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          jsMaxAllocation,
          pythonWorkers,
          pythonMemory,
          jythonJar,
          java,
          bubblewrap,
          bwrap,
          pythonUnconfinedUnsafe);
    }

    /**
     * Unsafe: Python blocks run even where bubblewrap is not up (see {@link
     * #pythonUnconfinedUnsafe}).
     */
    public Config withPythonUnconfinedUnsafe(boolean on) {
      return new Config(
          defaultTimeout,
          maxTimeout,
          jsMaxAllocation,
          pythonWorkers,
          pythonMemory,
          jythonJar,
          java,
          bubblewrap,
          bubblewrapPath,
          on);
    }

    /** The java executable that runs Python workers. */
    public Path javaExecutable() {
      if (java == null) {
        return Path.of(System.getProperty("java.home"), "bin", "java");
      }
      return Files.isDirectory(java) ? java.resolve("bin").resolve("java") : java;
    }
  }

  private final Config config;
  private final JavaScriptEngine js = new JavaScriptEngine();
  private final PythonWorkers python;
  private final String pythonUnavailable;
  private final String pythonConfinement;

  public CodeRunner(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    PythonWorkers p = null;
    String why = null;
    String confinement = config.pythonWorkers() > 0 ? "unavailable" : "off";
    if (config.pythonWorkers() > 0) {
      Path jar =
          config.jythonJar() != null ? config.jythonJar() : PythonWorkers.jythonJarOnClassPath();
      Sandbox sandbox = Sandbox.detect(config.bubblewrap(), config.bubblewrapPath());
      if (jar == null || !Files.isRegularFile(jar)) {
        why = "the jython-standalone jar cannot be found (configure its path)";
      } else if (!sandbox.bubblewrap() && !config.pythonUnconfinedUnsafe()) {
        // fail closed: untrusted code does not run with the server's files and network open
        why =
            "Python code blocks are unavailable on this server: the operating-system confinement they need is"
                + " missing ("
                + sandbox.bubblewrapAbsence()
                + ")";
        confinement = "refused: " + sandbox.bubblewrapAbsence();
      } else {
        try {
          p =
              new PythonWorkers(
                  jar,
                  config.javaExecutable(),
                  config.pythonWorkers(),
                  config.pythonMemory(),
                  sandbox);
          confinement =
              sandbox.bubblewrap()
                  ? "bubblewrap"
                  : "UNCONFINED (unsafe opt-in: " + sandbox.bubblewrapAbsence() + ")";
        } catch (IOException | RuntimeException e) {
          why = "Python workers cannot be prepared: " + e.getMessage();
        }
      }
      if (why != null) {
        LOG.warning("Python code blocks are unavailable: " + why);
      }
    } else {
      why = "Python code blocks are turned off in this runtime";
    }
    this.python = p;
    this.pythonUnavailable = why;
    this.pythonConfinement = confinement;
  }

  public Config config() {
    return config;
  }

  /** Runs a block as the {@linkplain Tenant#SOLE sole tenant} with the default time limit. */
  public Object run(CodeSource source, Object input) throws CodeFailure {
    return run(source, input, config.defaultTimeout());
  }

  /** Runs a block as the {@linkplain Tenant#SOLE sole tenant} (tools and tests that serve one). */
  public Object run(CodeSource source, Object input, Duration timeout) throws CodeFailure {
    return run(Tenant.SOLE, source, input, timeout);
  }

  /**
   * Runs the block's {@code main(input)} for a tenant and returns what it returned, as plain data.
   * Nothing a block leaves behind reaches a call of another tenant.
   *
   * @param tenant the organization and connection the call runs for
   * @param input plain data (see {@link PlainData}); anything else is an {@link
   *     IllegalArgumentException}
   * @param timeout the call's time limit, capped at the configured maximum; null for the default
   * @throws CodeFailure when the block does not return plain data in time: its kind, file, line and
   *     a message for the block's author
   */
  public Object run(Tenant tenant, CodeSource source, Object input, Duration timeout)
      throws CodeFailure {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(source, "source");
    Duration t =
        timeout == null || timeout.isNegative() || timeout.isZero()
            ? config.defaultTimeout()
            : timeout;
    long millis = Math.max(1, Math.min(t.toMillis(), config.maxTimeout().toMillis()));
    String inputJson = PlainData.toJson(input);
    return switch (source.language()) {
      case JAVASCRIPT -> {
        String json = js.run(source, inputJson, millis, config.jsMaxAllocation());
        try {
          yield PlainData.fromJson(json);
        } catch (JacksonException | IllegalArgumentException e) {
          throw new CodeFailure(
              CodeFailure.Kind.BAD_RESULT,
              source.file(),
              0,
              "main returned data Conduit cannot read"
                  + (e.getMessage() != null && e.getMessage().contains("nesting depth")
                      ? " (nested more than " + PlainData.MAX_DEPTH + " levels deep)"
                      : ""));
        }
      }
      case PYTHON -> {
        if (python == null) {
          throw new CodeFailure(CodeFailure.Kind.UNAVAILABLE, source.file(), 0, pythonUnavailable);
        }
        yield python.run(tenant, source, inputJson, millis);
      }
    };
  }

  /** What confines Python workers on this machine (for logs, the runtime's state and docs). */
  public String pythonConfinement() {
    return python == null
        ? "Python blocks unavailable: " + pythonUnavailable
        : python.sandbox().description();
  }

  /**
   * The confinement Python blocks run under, in a few words for a health check: "bubblewrap",
   * "UNCONFINED (unsafe opt-in: why)", "refused: what is missing", "off" or "unavailable".
   */
  public String pythonConfinementInEffect() {
    return pythonConfinement;
  }

  /** How many JavaScript block sources were built and parsed (once per file and content). */
  public int parsedJavaScriptSources() {
    return js.sourcesBuilt();
  }

  /** How many Python workers were started (replacements included). */
  public int pythonWorkersStarted() {
    return python == null ? 0 : python.workersStarted();
  }

  @Override
  public void close() {
    js.close();
    if (python != null) {
      python.close();
    }
  }
}
