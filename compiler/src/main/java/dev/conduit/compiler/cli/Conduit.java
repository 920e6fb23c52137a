package dev.conduit.compiler.cli;

import dev.conduit.compiler.source.SourceException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code conduit}: the command line (its commands: {@link CommandTree}). Exit status: 0 no errors,
 * 1 errors found, 2 bad usage (unknown option, missing directory, no such ref), 3 an internal
 * error.
 */
@Command(
    name = "conduit",
    mixinStandardHelpOptions = true,
    version = "conduit 0.1.0",
    description = "Validate, compile and review an organization's API integrations kept in Git.")
public final class Conduit {

  public static final int OK = 0;
  public static final int ERRORS = 1;
  public static final int USAGE = 2;
  public static final int INTERNAL = 3;

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs a command with the given streams (tests pass their own). */
  public static int run(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
    CommandLine cli = CommandTree.forArguments(new Factory(in, out, err), args);
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof UsageProblem || ex instanceof SourceException) {
            err.println("conduit: " + ex.getMessage());
            return USAGE;
          }
          err.println("conduit: internal error: " + ex);
          err.println("please report this with the command you ran");
          return INTERNAL;
        });
    return cli.execute(args);
  }

  /** Gives every command the streams of this run. */
  private record Factory(java.io.InputStream in, PrintStream out, PrintStream err)
      implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      K k = CommandLine.defaultFactory().create(type);
      if (k instanceof Streams s) {
        s.streams(in, out, err);
      }
      return k;
    }
  }

  /** Commands that use the run's streams. */
  interface Streams {
    void streams(java.io.InputStream in, PrintStream out, PrintStream err);
  }

  /** Base for commands: holds the streams. */
  abstract static class Base implements Streams {
    java.io.InputStream in;
    PrintStream out;
    PrintStream err;

    @Override
    public void streams(java.io.InputStream in, PrintStream out, PrintStream err) {
      this.in = in;
      this.out = out;
      this.err = err;
    }
  }
}
