package dev.conduit.runtime.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the CPU priority of the calling thread, so that compiling a commit yields the cores to the
 * request threads (docs/gitops.md, "Serving while a commit compiles"). Java's own thread priorities
 * do nothing on Linux without a JVM flag that would change every thread, so this sets the thread's
 * nice value: on Linux nice is per thread, and threads a niced thread starts (the compiler's code
 * checks, its parallel pass) inherit it. At nice {@value #NICE} the kernel gives the thread about a
 * tenth of a core's share against a request thread at 0, and the whole of any idle core.
 *
 * <p>There is no system call for it in Java 21 without native code, so it runs {@code renice}
 * (util- linux) on the thread's id, read from {@code /proc/thread-self}. Elsewhere (not Linux, no
 * {@code renice}) the thread keeps its priority, which is only slower for the calls beside a
 * compile.
 */
final class BackgroundPriority {

  static final int NICE = 10;

  private BackgroundPriority() {}

  /**
   * Lowers the calling thread's priority; returns why not when it could not ({@code null} when it
   * did).
   */
  static String lowerCurrentThread() {
    Path self = Path.of("/proc/thread-self");
    try {
      if (!Files.isSymbolicLink(self)) {
        return "no /proc/thread-self (not Linux)";
      }
      String tid = Files.readSymbolicLink(self).getFileName().toString(); // "<pid>/task/<tid>"
      Process renice =
          new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!renice.waitFor(10, TimeUnit.SECONDS)) {
        renice.destroyForcibly();
        return "renice did not answer";
      }
      return renice.exitValue() == 0 ? null : "renice failed (exit " + renice.exitValue() + ")";
    } catch (IOException e) {
      return "cannot run renice: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The calling thread's nice value, or empty where it cannot be read (tests). */
  static java.util.OptionalInt currentNice() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      // fields after the command name (which may hold spaces) in parentheses; nice is field 19
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return java.util.OptionalInt.of(Integer.parseInt(f[16]));
    } catch (IOException | RuntimeException e) {
      return java.util.OptionalInt.empty();
    }
  }
}
