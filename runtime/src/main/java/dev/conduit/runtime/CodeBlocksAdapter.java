package dev.conduit.runtime;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeRunner;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.CodeBlocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/** Connects the invoke engine to the code-block engines (GraalJS, Jython workers). */
final class CodeBlocksAdapter implements CodeBlocks, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CodeBlocksAdapter.class.getName());

  private final CodeRunner runner;

  CodeBlocksAdapter(RuntimeConfig config) {
    CodeRunner.Config defaults = CodeRunner.Config.defaults();
    this.runner = new CodeRunner(new CodeRunner.Config(defaults.defaultTimeout(),
        Duration.ofMillis(config.codeMaxTimeoutMillis()), config.jsMaxAllocationBytes(), config.pythonWorkers(),
        defaults.pythonMemory(), null, Path.of(System.getProperty("java.home")), config.bubblewrap()));
    LOG.info("code blocks: JavaScript on GraalJS in-process; Python: " + runner.pythonConfinement());
  }

  @Override
  public Object run(dev.conduit.bundle.Api.CodeBlock block, Object input) throws Failure {
    return run(block, input, Duration.ofMillis(block.timeoutMs()));
  }

  @Override
  public Object run(dev.conduit.bundle.Api.CodeBlock block, Object input, Duration limit) throws Failure {
    Language language = "python".equals(block.language()) ? Language.PYTHON : Language.JAVASCRIPT;
    try {
      return runner.run(new CodeSource(block.file(), language, block.source()), input, limit);
    } catch (CodeFailure e) {
      throw new Failure(e.getMessage() + " (" + e.kind().name().toLowerCase().replace('_', ' ') + ")", 0, e.kind().name());
    }
  }

  String confinement() {
    return runner.pythonConfinement();
  }

  @Override
  public void close() {
    runner.close();
  }
}
