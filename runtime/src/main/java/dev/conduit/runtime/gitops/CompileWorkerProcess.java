package dev.conduit.runtime.gitops;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.worker.CommitCompile;
import dev.conduit.compiler.worker.CompileWorker;
import dev.conduit.compiler.worker.DiagnosticsFile;
import dev.conduit.runtime.gitops.CommitCompiler.Compiled;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One commit compiled by a compile worker ({@link CompileWorker}): a JVM of the server's own JDK,
 * started per commit at nice {@value BackgroundPriority#NICE} with a bounded heap, given one
 * source's copy of its repository and a private folder (0700) to answer in. Its JIT and GC threads
 * are niced with it, which the server's own threads could not be (docs/gitops.md, "Serving while a
 * commit compiles"). It starts with an empty environment, so nothing of the server's settings (the
 * sealing private key among them) reaches it; what it hands back holds sealed values only, and a
 * bundle with a plain value for a hidden parameter is refused.
 *
 * <p>A worker that crashes, is killed or outlasts {@code conduit.git.compile-timeout-seconds} gives
 * a {@link Compiled} with its {@code workerFailure}: the last good bundle keeps serving.
 */
final class CompileWorkerProcess {

  /** No worker can be started here at all: the commit compiles in the server instead. */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  /** What a failure report quotes of the worker's output: its last lines, where the reason is. */
  private static final int LOG_TAIL_CHARS = 1500;

  static final String TEMP_PREFIX = ".compile-";

  private final Optional<Path> library;

  CompileWorkerProcess(Optional<Path> library) {
    this.library = library;
  }

  Compiled compile(GitMirror mirror, String commit, GitSettings.Compile settings)
      throws Unavailable {
    List<String> command = command(mirror, commit, settings);
    // the worker runs in its private folder: every path it is given is absolute (a work folder
    // configured as a relative path made the worker miss its own argument file)
    Path gitDir = mirror.repository().getDirectory().toPath().toAbsolutePath();
    Path dir;
    try {
      dir =
          Files.createTempDirectory(
              gitDir.getParent(),
              TEMP_PREFIX + mirror.source().label() + "-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new Unavailable("cannot make its private folder: " + e.getMessage());
    }
    try {
      return run(command(command, dir), dir, commit, settings);
    } catch (IOException e) {
      throw new Unavailable("cannot write into its private folder: " + e.getMessage());
    } finally {
      delete(dir);
    }
  }

  private Compiled run(List<String> command, Path dir, String commit, GitSettings.Compile settings)
      throws Unavailable {
    Path log = dir.resolve("worker.log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().clear(); // no setting of the server's, no secret, crosses
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new Unavailable("cannot start " + command.getFirst() + ": " + e.getMessage());
    }
    // held open while the worker runs: when this JVM dies the worker sees its input end and stops
    OutputStream input = p.getOutputStream();
    try {
      if (!p.waitFor(settings.timeoutSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return failed(
            commit,
            "the compile worker did not finish within "
                + settings.timeoutSeconds()
                + " s (conduit.git.compile-timeout-seconds) and was stopped");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return failed(commit, "the compile worker was stopped: the server is stopping");
    } finally {
      try {
        input.close();
      } catch (IOException e) {
        // the worker is gone already
      }
    }
    int exit = p.exitValue();
    if (exit != 0) {
      String tail = tail(log);
      String why =
          exit > 128
              ? "the compile worker was killed (signal " + (exit - 128) + ")"
              : "the compile worker failed (exit " + exit + ")";
      if (tail.contains("OutOfMemoryError")) {
        why +=
            ": out of memory; raise conduit.git.compile-worker-heap-mb (now "
                + settings.workerHeapMb()
                + ")";
      }
      return failed(commit, why + (tail.isEmpty() ? "" : ": " + tail));
    }
    return answer(dir, commit);
  }

  /** The worker's answer: its diagnostics, and its bundle when the commit compiled clean. */
  private static Compiled answer(Path dir, String commit) {
    try {
      List<Diagnostic> diagnostics = DiagnosticsFile.read(dir.resolve(CompileWorker.DIAGNOSTICS));
      Path bundleFile = dir.resolve(CompileWorker.BUNDLE);
      Optional<byte[]> bytes =
          Files.exists(bundleFile) ? Optional.of(Files.readAllBytes(bundleFile)) : Optional.empty();
      Compiled c = CommitCompiler.read(commit, bytes, diagnostics);
      Optional<String> plain = c.bundle().flatMap(CompileWorkerProcess::plainHiddenValue);
      if (plain.isPresent()) {
        return failed(
            commit,
            "the compile worker's bundle holds a plain value for the hidden parameter "
                + plain.get()
                + "; refused (hidden values cross only sealed)");
      }
      return c;
    } catch (IOException e) {
      return failed(commit, "the compile worker's answer cannot be read: " + e.getMessage());
    }
  }

  /** The first hidden parameter ("connection/parameter") whose value is not sealed, if any. */
  static Optional<String> plainHiddenValue(Bundle bundle) {
    for (Connection c : bundle.connections()) {
      for (Connection.Parameter p : c.parameters()) {
        if (p.hidden()
            && (p.value() != null || (p.sealed() != null && !p.sealed().startsWith("sealed:")))) {
          return Optional.of(c.id() + "/" + p.name());
        }
      }
    }
    return Optional.empty();
  }

  private static Compiled failed(String commit, String why) {
    return new Compiled(
        commit,
        Optional.empty(),
        List.of(CommitCompile.unreadable(why + "; the last good bundle keeps serving")),
        why);
  }

  /** The worker's command without its answer folder. */
  private List<String> command(GitMirror mirror, String commit, GitSettings.Compile settings)
      throws Unavailable {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new Unavailable("this JVM's java command is not known"));
    List<String> c = new ArrayList<>();
    int nice = BackgroundPriority.NICE - BackgroundPriority.currentNice().orElse(0);
    Optional<Path> niceCommand = onPath("nice");
    if (niceCommand.isPresent() && nice > 0) {
      // a thread already niced (GitOps' own) passes its nice value on: nice adds to it
      c.addAll(List.of(niceCommand.get().toString(), "-n", Integer.toString(nice)));
    }
    c.add(java);
    c.add("-Xmx" + settings.workerHeapMb() + "m");
    // one GC thread, no concurrent ones: the worker is short-lived and must stay small
    c.add("-XX:+UseSerialGC");
    c.add("-XX:-UsePerfData");
    c.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
    c.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      c.add("--sun-misc-unsafe-memory-access=allow");
    }
    classPath(); // unavailable before anything is started
    c.add(CompileWorker.class.getName());
    GitSettings.Source source = mirror.source();
    Path gitDir = mirror.repository().getDirectory().toPath().toAbsolutePath();
    c.addAll(List.of("--git-dir", gitDir.toString()));
    c.addAll(List.of("--commit", commit));
    c.addAll(List.of("--origin", source.url() + "@" + commit));
    if (!source.path().isEmpty()) {
      c.addAll(List.of("--path", source.path()));
    }
    source.organization().ifPresent(o -> c.addAll(List.of("--organization", o)));
    library.ifPresent(l -> c.addAll(List.of("--library", l.toAbsolutePath().toString())));
    // this source's own cache: unchanged code files start no engine in the next worker
    c.addAll(List.of("--code-checks", gitDir.resolve("code-checks").toString()));
    return c;
  }

  /**
   * The whole command for a worker answering in {@code dir}; its class path goes in an argument
   * file there (a test's class path is longer than the kernel shows of a command line).
   */
  private static List<String> command(List<String> command, Path dir)
      throws IOException, Unavailable {
    List<String> c = new ArrayList<>(command);
    int main = c.indexOf(CompileWorker.class.getName());
    Path options = dir.resolve("java-options");
    Files.writeString(options, "-cp\n\"" + quoted(classPath()) + "\"\n");
    c.add(main, "@" + options);
    c.add(main, "-Djava.io.tmpdir=" + dir);
    c.add(main, "-Duser.home=" + dir);
    c.addAll(List.of("--out", dir.toString()));
    return c;
  }

  /** For a double-quoted argument file value: backslashes and quotes escaped. */
  private static String quoted(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * The compiler's class path: this JVM's own when the compiler is on it (tests, tools); in a
   * server, the folder of the compiler's jar, which holds every library the application uses
   * (Liberty's shared library, server.xml).
   */
  static String classPath() throws Unavailable {
    Path code;
    try {
      code =
          Path.of(CompileWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new Unavailable("the compiler's jar cannot be found: " + e);
    }
    String own = System.getProperty("java.class.path", "");
    List<Path> entries =
        Arrays.stream(own.split(File.pathSeparator))
            .filter(e -> !e.isEmpty())
            .map(e -> Path.of(e).toAbsolutePath().normalize())
            .toList();
    if (entries.contains(code.toAbsolutePath().normalize())) {
      return entries.stream()
          .map(Path::toString)
          .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }
    if (Files.isRegularFile(code)) {
      try (Stream<Path> jars = Files.list(code.getParent())) {
        return jars.filter(j -> j.getFileName().toString().endsWith(".jar"))
            .sorted()
            .map(Path::toString)
            .collect(java.util.stream.Collectors.joining(File.pathSeparator));
      } catch (IOException e) {
        throw new Unavailable("cannot list the libraries beside " + code + ": " + e.getMessage());
      }
    }
    throw new Unavailable("the compiler is loaded from " + code + ", not from a jar");
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    return Stream.of((path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator))
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      return text.length() <= LOG_TAIL_CHARS
          ? text
          : "..." + text.substring(text.length() - LOG_TAIL_CHARS);
    } catch (IOException e) {
      return "";
    }
  }

  /** Removes answer folders a server that stopped in the middle of a compile left behind. */
  static void sweep(Path workDir) {
    try (Stream<Path> entries = Files.list(workDir)) {
      entries
          .filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
          .forEach(CompileWorkerProcess::delete);
    } catch (IOException e) {
      // nothing there yet
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  Files.deleteIfExists(f);
                } catch (IOException e) {
                  // left behind: swept at the next start
                }
              });
    } catch (IOException e) {
      // left behind: swept at the next start
    }
  }
}
