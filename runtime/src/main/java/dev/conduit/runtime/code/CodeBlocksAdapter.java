package dev.conduit.runtime.code;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.Tenant;
import dev.conduit.code.languages.CodeRunner;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.CodeBlocks;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.metrics.RuntimeMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/** Connects the invoke engine to the code-block engines (GraalJS, Jython workers). */
public final class CodeBlocksAdapter implements CodeBlocks, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CodeBlocksAdapter.class.getName());

  private final CodeRunner runner;
  private final RuntimeMetrics metrics;

  public CodeBlocksAdapter(RuntimeConfig config, RuntimeMetrics metrics) {
    this.metrics = metrics;
    CodeRunner.Config defaults = CodeRunner.Config.defaults();
    this.runner =
        new CodeRunner(
            new CodeRunner.Config(
                defaults.defaultTimeout(),
                Duration.ofMillis(config.codeMaxTimeoutMillis()),
                config.jsMaxAllocationBytes(),
                config.pythonWorkers(),
                defaults.pythonMemory(),
                null,
                Path.of(System.getProperty("java.home")),
                config.bubblewrap(),
                null,
                config.pythonUnconfinedUnsafe()));
    LOG.info(
        "code blocks: JavaScript on GraalJS in-process; Python: " + runner.pythonConfinement());
    String inEffect = runner.pythonConfinementInEffect();
    if (inEffect.startsWith("refused")) {
      LOG.severe(
          "Python code blocks are REFUSED (CODE_BLOCK_UNAVAILABLE): "
              + inEffect.substring("refused: ".length())
              + ". Install bubblewrap and allow user namespaces; or, knowing that blocks could then read the server's"
              + " files and reach the network, set "
              + RuntimeConfig.PYTHON_UNCONFINED_UNSAFE
              + "=true");
    } else if (inEffect.startsWith("UNCONFINED")) {
      LOG.severe(
          "Python code blocks run UNCONFINED because "
              + RuntimeConfig.PYTHON_UNCONFINED_UNSAFE
              + "=true: a block can read the files the worker's user can read and reach the network");
    }
  }

  @Override
  public Object run(
      PreparedConnection connection, dev.conduit.bundle.Api.CodeBlock block, Object input)
      throws Failure {
    return run(connection, block, input, Duration.ofMillis(block.timeoutMs()));
  }

  @Override
  public Object run(
      PreparedConnection connection,
      dev.conduit.bundle.Api.CodeBlock block,
      Object input,
      Duration limit)
      throws Failure {
    Language language = "python".equals(block.language()) ? Language.PYTHON : Language.JAVASCRIPT;
    Tenant tenant = new Tenant(connection.organizationId(), connection.id());
    long start = System.nanoTime();
    try {
      return runner.run(
          tenant, new CodeSource(block.file(), language, block.source()), input, limit);
    } catch (CodeFailure e) {
      if (e.kind() == CodeFailure.Kind.UNAVAILABLE) {
        throw new Failure(e.getMessage(), 0, CodeBlocks.UNAVAILABLE);
      }
      throw new Failure(
          e.getMessage() + " (" + e.kind().name().toLowerCase().replace('_', ' ') + ")",
          0,
          e.kind().name());
    } finally {
      // failures too: a block stopped at its time limit is exactly what this time should show
      // the engine's language, not the bundle's text: the tag's values stay a closed set
      metrics.codeBlock(
          language == Language.PYTHON ? "python" : "javascript", System.nanoTime() - start);
    }
  }

  /**
   * The confinement Python blocks run under, for the readiness check ("bubblewrap", "refused: ...",
   * ...).
   */
  public String confinementInEffect() {
    return runner.pythonConfinementInEffect();
  }

  @Override
  public void close() {
    runner.close();
  }
}
