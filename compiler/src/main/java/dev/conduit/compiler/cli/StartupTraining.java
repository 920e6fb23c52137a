package dev.conduit.compiler.cli;

import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.languages.CodeChecker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind {@code bin/conduit}'s ahead-of-time cache (JDK 25, {@code
 * -XX:AOTCacheOutput}): the classes this run loads and links are what later runs find ready in the
 * cache, so it runs the commands people run most, in one JVM, with their output discarded: validate
 * (text and JSON) and compile of a repository that has JavaScript and Python code blocks (the
 * example, whose path the launcher passes), and the library's search and show. A class it does not
 * load still works later; it is only loaded from its jar, slower.
 *
 * <p>Not a user command: the launcher runs it, once per build of the jars.
 */
public final class StartupTraining {

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true);
    InputStream empty = InputStream.nullInputStream();
    List<String[]> commands = new ArrayList<>();
    commands.add(new String[] {"--help"});
    commands.add(new String[] {"library", "search", "wecom"});
    commands.add(new String[] {"library", "search", "wecom", "--format", "json"});
    commands.add(new String[] {"library", "list"});
    commands.add(new String[] {"library", "show", "tianyancha"});
    Path bundle = Files.createTempFile("conduit-training", ".bundle.json");
    try {
      if (args.length > 0 && args[0].equals("repository")) {
        // both engines start and parse a block even when the repository below is missing or
        // has no code (a cache without them costs a validate with code blocks more CPU than no
        // cache at all: measured, docs/benchmarks.md)
        CodeChecker engines = new CodeChecker();
        engines.check(new CodeSource("block.js", Language.JAVASCRIPT, "function main(i) {}\n"));
        engines.check(new CodeSource("block.py", Language.PYTHON, "def main(i):\n    pass\n"));
        if (args.length > 1 && Files.isDirectory(Path.of(args[1]))) {
          commands.add(new String[] {"validate", args[1]});
          commands.add(new String[] {"validate", args[1], "--format", "json"});
          commands.add(new String[] {"compile", args[1], "-o", bundle.toString()});
        }
      }
      for (String[] command : commands) {
        Conduit.run(command, empty, none, none);
      }
    } finally {
      Files.deleteIfExists(bundle);
    }
  }
}
