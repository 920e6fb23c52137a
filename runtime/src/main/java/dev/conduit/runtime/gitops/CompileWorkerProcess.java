package dev.conduit.runtime.gitops;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.worker.CommitCompile;
import dev.conduit.compiler.worker.CompileWorker;
import dev.conduit.compiler.worker.DiagnosticsFile;
import dev.conduit.runtime.gitops.CommitCompiler.Compiled;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * a {@link Compiled} with its {@code failure}: the last good bundle keeps serving.
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

  private final WorkerLaunch launch;

  CompileWorkerProcess(WorkerLaunch launch) {
    this.launch = launch;
  }

  Compiled compile(GitMirror mirror, String commit, GitSettings.Compile settings, Bundle previous)
      throws Unavailable {
    Path dir = privateFolder(mirror, "");
    try {
      List<String> command =
          launch.command(
              mirror,
              dir,
              settings,
              List.of(
                  "--commit",
                  commit,
                  "--origin",
                  mirror.source().url() + "@" + commit,
                  "--out",
                  dir.toString()));
      return run(command, dir, commit, settings, previous);
    } catch (IOException e) {
      throw new Unavailable("cannot write into its private folder: " + e.getMessage());
    } finally {
      delete(dir);
    }
  }

  /**
   * A new folder of {@code mirror}'s source only, readable by this server's user only, beside the
   * source's copy: no two sources' workers ever share one.
   */
  static Path privateFolder(GitMirror mirror, String kind) throws Unavailable {
    Path gitDir = mirror.repository().getDirectory().toPath().toAbsolutePath();
    try {
      return Files.createTempDirectory(
          gitDir.getParent(),
          TEMP_PREFIX + mirror.source().label() + "-" + kind,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new Unavailable("cannot make its private folder: " + e.getMessage());
    }
  }

  private Compiled run(
      List<String> command, Path dir, String commit, GitSettings.Compile settings, Bundle previous)
      throws Unavailable {
    Path log = dir.resolve("worker.log");
    ProcessBuilder pb =
        WorkerLaunch.builder(command, dir).redirectErrorStream(true).redirectOutput(log.toFile());
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
      return failed(commit, ended(exit, log, settings));
    }
    return answer(dir, commit, previous);
  }

  /** Why a worker ended with {@code exit}, with the last lines of its log. */
  static String ended(int exit, Path log, GitSettings.Compile settings) {
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
    return why + (tail.isEmpty() ? "" : ": " + tail);
  }

  /**
   * The worker's answer: its diagnostics, and its bundle when the commit compiled clean, read from
   * the file as it streams in (never held whole as bytes), sharing what it has in common with
   * {@code previous} (null: nothing).
   */
  static Compiled answer(Path dir, String commit, Bundle previous) {
    try {
      List<Diagnostic> diagnostics = DiagnosticsFile.read(dir.resolve(CompileWorker.DIAGNOSTICS));
      Path bundleFile = dir.resolve(CompileWorker.BUNDLE);
      Optional<CommitCompiler.BundleBytes> bytes =
          Files.exists(bundleFile)
              ? Optional.of(() -> Files.newInputStream(bundleFile))
              : Optional.empty();
      Compiled c = CommitCompiler.read(commit, bytes, diagnostics, previous);
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

  static Compiled failed(String commit, String why) {
    return new Compiled(
        commit,
        Optional.empty(),
        List.of(CommitCompile.unreadable(why + "; the last good bundle keeps serving")),
        why);
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

  static void delete(Path dir) {
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
