package dev.conduit.compiler.worker;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.codecache.CachedCodeSyntax;
import dev.conduit.compiler.codecache.CheckerVersion;
import dev.conduit.compiler.codecache.CodeCheckStore;
import dev.conduit.compiler.library.PublicLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The compile worker: a JVM of its own that the runtime starts, niced, for each commit GitOps
 * compiles (docs/gitops.md, "Serving while a commit compiles"), so that the compile's JIT and GC
 * threads yield to the calls being served as its compiling threads do. It compiles one commit of
 * one organization's copy of its repository and writes {@value #BUNDLE} (when the commit compiled
 * clean) and {@value #DIAGNOSTICS} into the folder it is given, readable by its owner only. Exit 0
 * when both were written (a commit with errors too), 2 for bad arguments; anything else is a crash
 * (its stack trace on stderr). It exits when its standard input closes: a server that dies takes
 * its worker with it.
 *
 * <pre>
 * java -cp CLASSPATH dev.conduit.compiler.worker.CompileWorker --git-dir DIR --commit ID
 *      --origin TEXT --out DIR [--path FOLDER] [--organization ID] [--library DIR]
 *      [--code-checks DIR]
 * </pre>
 */
public final class CompileWorker {

  public static final String BUNDLE = "bundle.json";
  public static final String DIAGNOSTICS = "diagnostics.json";

  /** The exit status for arguments the worker cannot use. */
  public static final int USAGE = 2;

  private static final List<String> OPTIONS =
      List.of(
          "--git-dir",
          "--commit",
          "--origin",
          "--out",
          "--path",
          "--organization",
          "--library",
          "--code-checks");

  private CompileWorker() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!OPTIONS.contains(args[i]) || i + 1 == args.length) {
        System.err.println("compile worker: unknown option or missing value: " + args[i]);
        System.exit(USAGE);
      }
      a.put(args[i], args[i + 1]);
    }
    for (String required : List.of("--git-dir", "--commit", "--origin", "--out")) {
      if (!a.containsKey(required)) {
        System.err.println("compile worker: " + required + " is required");
        System.exit(USAGE);
      }
    }
    exitWithParent();
    CodeSyntax syntax = CodeSyntaxes.engines();
    if (a.containsKey("--code-checks")) {
      // unchanged code files of this organization start no engine (the cache is per source)
      syntax =
          new CachedCodeSyntax(
              syntax,
              new CodeCheckStore(Path.of(a.get("--code-checks"))),
              CheckerVersion.current());
    }
    Compiler compiler =
        new Compiler(
            syntax, Optional.ofNullable(a.get("--library")).map(Path::of).map(PublicLibrary::at));
    Path out = Path.of(a.get("--out"));
    try (Repository repository =
        new FileRepositoryBuilder()
            .setGitDir(Path.of(a.get("--git-dir")).toFile())
            .setMustExist(true)
            .build()) {
      CommitCompile.Outcome outcome =
          CommitCompile.compile(
              compiler,
              repository,
              a.get("--origin"),
              a.get("--commit"),
              a.getOrDefault("--path", ""),
              Optional.ofNullable(a.get("--organization")));
      if (outcome.bundle().isPresent()) {
        writePrivate(out.resolve(BUNDLE), outcome.bundle().get());
      }
      // last: the server reads a bundle only beside a complete diagnostics file
      writePrivate(out.resolve(DIAGNOSTICS), DiagnosticsFile.write(outcome.diagnostics()));
    }
    System.exit(0); // the code engines' threads would keep the JVM up
  }

  private static void writePrivate(Path file, byte[] bytes) throws IOException {
    Files.write(
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
        bytes,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** The server holds the worker's standard input open while it waits; end of input: it is gone. */
  private static void exitWithParent() {
    Thread.ofPlatform()
        .daemon()
        .name("parent-watch")
        .start(
            () -> {
              try (InputStream in = System.in) {
                while (in.read() >= 0) {
                  // nothing is sent: only the end matters
                }
              } catch (IOException e) {
                // the same: the pipe is gone
              }
              System.err.println("compile worker: the server went away; stopping");
              System.exit(3);
            });
  }
}
