package dev.conduit.code;

import dev.conduit.code.js.JavaScriptEngine;
import dev.conduit.code.python.PythonWorkers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.core.JacksonException;

/**
 * Runs code blocks: {@code main(input)} with plain data in and plain data out. JavaScript runs
 * in this process on GraalJS; Python in a pool of confined Jython worker processes. One runner
 * serves the whole runtime; engines and parsed sources are shared and reused.
 */
public final class CodeRunner implements AutoCloseable {

  /**
   * Settings.
   *
   * @param maxTimeout a block's own timeout is capped here
   * @param jsMaxAllocation bytes a JavaScript call may allocate
   * @param pythonWorkers worker processes (0: Python blocks are refused)
   * @param pythonMemory each worker's address-space limit
   * @param jythonJar the jython-standalone jar; null to find it on the class path
   * @param javaHome the JDK that runs Python workers
   * @param bubblewrap use bubblewrap when the machine allows it
   */
  public record Config(Duration defaultTimeout, Duration maxTimeout, long jsMaxAllocation, int pythonWorkers,
      long pythonMemory, Path jythonJar, Path javaHome, boolean bubblewrap) {

    public static Config defaults() {
      return new Config(Duration.ofSeconds(2), Duration.ofSeconds(30), 256L * 1024 * 1024, 2,
          512L * 1024 * 1024, null, Path.of(System.getProperty("java.home")), true);
    }

    public Config withPythonWorkers(int n) {
      return new Config(defaultTimeout, maxTimeout, jsMaxAllocation, n, pythonMemory, jythonJar, javaHome, bubblewrap);
    }

    public Config withBubblewrap(boolean on) {
      return new Config(defaultTimeout, maxTimeout, jsMaxAllocation, pythonWorkers, pythonMemory, jythonJar, javaHome, on);
    }

    public Config withJsMaxAllocation(long bytes) {
      return new Config(defaultTimeout, maxTimeout, bytes, pythonWorkers, pythonMemory, jythonJar, javaHome, bubblewrap);
    }
  }

  private final Config config;
  private final JavaScriptEngine js = new JavaScriptEngine();
  private final PythonWorkers python;
  private final String pythonUnavailable;

  public CodeRunner(Config config) {
    this.config = config;
    PythonWorkers p = null;
    String why = null;
    if (config.pythonWorkers() > 0) {
      Path jar = config.jythonJar() != null ? config.jythonJar() : PythonWorkers.jythonJarOnClassPath();
      if (jar == null) {
        why = "the jython-standalone jar cannot be found (set its path in the runtime's configuration)";
      } else {
        try {
          p = new PythonWorkers(jar, config.javaHome(), config.pythonWorkers(), config.pythonMemory(), config.bubblewrap());
        } catch (IOException e) {
          why = "Python workers cannot be prepared: " + e.getMessage();
        }
      }
    } else {
      why = "Python code blocks are turned off in this runtime";
    }
    this.python = p;
    this.pythonUnavailable = why;
  }

  /** Runs a block with the default time limit. */
  public Object run(CodeSource source, Object input) throws CodeFailure {
    return run(source, input, config.defaultTimeout());
  }

  /**
   * Runs {@code main(input)} and returns its result as plain data.
   *
   * @param timeout capped at the configured maximum
   */
  public Object run(CodeSource source, Object input, Duration timeout) throws CodeFailure {
    long millis = Math.min(timeout.toMillis(), config.maxTimeout().toMillis());
    String inputJson = PlainJson.write(input);
    String resultJson = switch (source.language()) {
      case JAVASCRIPT -> js.run(source, inputJson, millis, config.jsMaxAllocation());
      case PYTHON -> {
        if (python == null) {
          throw new CodeFailure(CodeFailure.Kind.ERROR, source.file(), 0, pythonUnavailable);
        }
        yield python.run(source, inputJson, millis);
      }
    };
    try {
      return PlainJson.read(resultJson);
    } catch (JacksonException e) {
      throw new CodeFailure(CodeFailure.Kind.BAD_RESULT, source.file(), 0, "main returned something that is not plain data");
    }
  }

  /** What confines Python workers on this machine (for logs and docs). */
  public String pythonConfinement() {
    return python == null ? "Python blocks unavailable: " + pythonUnavailable : python.sandbox().description();
  }

  /** For tests and benchmarks: the JavaScript engine's parsed-source count. */
  public int parsedJavaScriptSources() {
    return js.parsedSources();
  }

  /** For tests: how many Python workers were started (respawns included). */
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
