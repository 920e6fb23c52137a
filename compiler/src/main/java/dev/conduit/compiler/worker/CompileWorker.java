package dev.conduit.compiler.worker;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.codecache.CachedCodeSyntax;
import dev.conduit.compiler.codecache.CheckerVersion;
import dev.conduit.compiler.codecache.CodeCheckStore;
import dev.conduit.compiler.library.PublicLibrary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

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
 * <p>With {@value #SERVE} it is kept warm instead (conduit.git.compile-in=worker): bound to one
 * organization's copy at start, it compiles the commits asked for on standard input one after the
 * other, each into the folder the request names, and answers each on standard output (see {@link
 * #serve}), so the second commit finds its classes loaded, its code compiled by the JIT and its
 * engines started.
 *
 * <pre>
 * java -cp CLASSPATH dev.conduit.compiler.worker.CompileWorker --git-dir DIR --commit ID
 *      --origin TEXT --out DIR [--path FOLDER] [--organization ID] [--library DIR]
 *      [--code-checks DIR]
 * java -cp CLASSPATH dev.conduit.compiler.worker.CompileWorker --serve --git-dir DIR
 *      [--path FOLDER] [--organization ID] [--library DIR] [--code-checks DIR]
 * </pre>
 */
public final class CompileWorker {

  public static final String BUNDLE = "bundle.json";
  public static final String DIAGNOSTICS = "diagnostics.json";

  /** The option that keeps the worker warm: commits are asked for on standard input. */
  public static final String SERVE = "--serve";

  /** How a kept-warm worker's answer line starts when the commit's files are written. */
  public static final String DONE = "done";

  /** How a kept-warm worker's answer line starts when they could not be. */
  public static final String FAILED = "failed";

  private static final JsonMapper JSON = JsonMapper.builder().build();

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
    List<String> rest = new ArrayList<>(List.of(args));
    boolean serve = rest.remove(SERVE);
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < rest.size(); i += 2) {
      if (!OPTIONS.contains(rest.get(i)) || i + 1 == rest.size()) {
        System.err.println("compile worker: unknown option or missing value: " + rest.get(i));
        System.exit(USAGE);
      }
      a.put(rest.get(i), rest.get(i + 1));
    }
    for (String required :
        serve ? List.of("--git-dir") : List.of("--git-dir", "--commit", "--origin", "--out")) {
      if (!a.containsKey(required)) {
        System.err.println("compile worker: " + required + " is required");
        System.exit(USAGE);
      }
    }
    // the answers go to the original standard output; anything a library prints goes to stderr
    PrintStream answers = System.out;
    System.setOut(System.err);
    if (!serve) {
      exitWithParent();
    }
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
    try (Repository repository =
        new FileRepositoryBuilder()
            .setGitDir(Path.of(a.get("--git-dir")).toFile())
            .setMustExist(true)
            .build()) {
      if (serve) {
        serve(compiler, repository, a, answers);
      } else {
        compile(compiler, repository, a, a.get("--commit"), a.get("--origin"), a.get("--out"));
      }
    }
    System.exit(0); // the code engines' threads would keep the JVM up
  }

  /**
   * Kept warm: one request a line on standard input ({@code {"commit","origin","out"}}), compiled
   * one after the other into the folder each names; each answered with one line, {@value #DONE} and
   * the heap in use after a collection (bytes), then where its time went ({@code compile-ms=N
   * write-ms=N collections=N collections-ms=N gc-ms=N}: compiling, writing the files, the
   * collections while compiling, the full collection after), or {@value #FAILED} and why. End of
   * input (the server closed it, or died): the worker ends.
   */
  private static void serve(
      Compiler compiler, Repository repository, Map<String, String> a, PrintStream answers)
      throws IOException {
    BufferedReader requests =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = requests.readLine()) != null; ) {
      String answer;
      try {
        Map<String, String> r = JSON.readValue(line, new TypeReference<Map<String, String>>() {});
        long[] gc0 = collections();
        long t0 = System.nanoTime();
        long written =
            compile(compiler, repository, a, r.get("commit"), r.get("origin"), r.get("out"));
        long t1 = System.nanoTime();
        long[] gc1 = collections();
        // (packs the server fetched since are found: JGit rescans its pack folder on a miss)
        // the heap between two commits is the compiler and its engines only: give the rest back
        // (the serial collector shrinks the heap) and tell the server what stays
        System.gc();
        long t2 = System.nanoTime();
        Runtime heap = Runtime.getRuntime();
        answer =
            DONE
                + " "
                + (heap.totalMemory() - heap.freeMemory())
                + " compile-ms="
                + (t1 - t0 - written) / 1_000_000
                + " write-ms="
                + written / 1_000_000
                + " collections="
                + (gc1[0] - gc0[0])
                + " collections-ms="
                + (gc1[1] - gc0[1])
                + " gc-ms="
                + (t2 - t1) / 1_000_000;
      } catch (IOException | RuntimeException e) {
        answer = FAILED + " " + String.valueOf(e).replace('\n', ' ');
      }
      answers.println(answer);
      answers.flush();
    }
  }

  /** How many collections this JVM made so far, and their milliseconds. */
  private static long[] collections() {
    long count = 0;
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      ms += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, ms};
  }

  /** Compiles one commit into {@code outFolder}; the nanoseconds its files took to write. */
  private static long compile(
      Compiler compiler,
      Repository repository,
      Map<String, String> a,
      String commit,
      String origin,
      String outFolder)
      throws IOException {
    Path out = Path.of(outFolder);
    CommitCompile.Outcome outcome =
        CommitCompile.compile(
            compiler,
            repository,
            origin,
            commit,
            a.getOrDefault("--path", ""),
            Optional.ofNullable(a.get("--organization")));
    long t0 = System.nanoTime();
    if (outcome.bundle().isPresent()) {
      writePrivate(out.resolve(BUNDLE), outcome.bundle().get());
    }
    // last: the server reads a bundle only beside a complete diagnostics file
    writePrivate(out.resolve(DIAGNOSTICS), DiagnosticsFile.write(outcome.diagnostics()));
    return System.nanoTime() - t0;
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
