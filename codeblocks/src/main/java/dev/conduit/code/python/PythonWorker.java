package dev.conduit.code.python;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Jython worker process: started, fed one JSON line per call, read one JSON line back, and
 * killed when a call passes its deadline (a spinning Jython thread cannot be interrupted).
 * Used by one call at a time (the pool hands it out). What the worker writes to stderr is kept
 * (the last lines) for the server's log, never for users.
 */
final class PythonWorker {

  /** The worker died or was killed; {@code timedOut} tells which. */
  static final class Gone extends Exception {
    final boolean timedOut;

    Gone(boolean timedOut, String message) {
      super(message);
      this.timedOut = timedOut;
    }
  }

  private static final String EOF = "\u0000eof";
  private static final int STDERR_LINES = 20;

  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Deque<String> stderr = new ArrayDeque<>();
  private final Set<String> knownSources = new HashSet<>();
  private final long startedNanos = System.nanoTime();
  private int calls;
  private volatile boolean alive = true;

  private PythonWorker(Process process) {
    this.process = process;
    this.in = process.getOutputStream();
    Thread.ofPlatform().daemon().name("conduit-python-out-" + process.pid()).start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
      alive = false;
      lines.add(EOF);
    });
    Thread.ofPlatform().daemon().name("conduit-python-err-" + process.pid()).start(() -> {
      try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          synchronized (stderr) {
            if (stderr.size() == STDERR_LINES) {
              stderr.removeFirst();
            }
            stderr.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    });
  }

  /**
   * Starts a worker and waits for it to say it is ready. Call this from a thread that lives as
   * long as the worker: the kernel's parent-death signal (bubblewrap's --die-with-parent,
   * setpriv's --pdeathsig) fires when the thread that started the process ends.
   */
  static PythonWorker start(List<String> command, Path workingDir, Map<String, String> environment,
      long startTimeoutMillis) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
    pb.environment().clear(); // nothing of the server's environment (secrets, paths) reaches a worker
    pb.environment().putAll(environment);
    PythonWorker w = new PythonWorker(pb.start());
    try {
      String first = w.lines.poll(startTimeoutMillis, TimeUnit.MILLISECONDS);
      if (first == null || !first.contains("\"ready\"")) {
        // a JVM that cannot start says why on stdout ("# There is insufficient memory ...")
        StringBuilder said = new StringBuilder();
        for (String l = first; l != null && !l.equals(EOF) && said.length() < 600; l = w.lines.poll(200, TimeUnit.MILLISECONDS)) {
          if (!l.isBlank() && !l.equals("#")) {
            said.append(said.isEmpty() ? "" : " | ").append(l.startsWith("# ") ? l.substring(2) : l);
          }
        }
        w.kill();
        Thread.sleep(50); // let stderr's reader catch up
        throw new IOException("the Python worker did not start"
            + (first == null ? " within " + startTimeoutMillis + " ms" : " (it exited)")
            + (said.isEmpty() ? "" : ": " + said) + w.stderrTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      w.kill();
      throw new IOException("interrupted while starting a Python worker");
    }
    return w;
  }

  /** The last lines the worker wrote to stderr, for the server's log. */
  String stderrTail() {
    synchronized (stderr) {
      return stderr.isEmpty() ? "" : "; its last output: " + String.join(" | ", stderr);
    }
  }

  boolean knows(String key) {
    return knownSources.contains(key);
  }

  void learned(String key) {
    knownSources.add(key);
  }

  void forget(String key) {
    knownSources.remove(key);
  }

  boolean alive() {
    return alive && process.isAlive();
  }

  int calls() {
    return calls;
  }

  long ageMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Sends one request line and waits for the answer line until the deadline. */
  String call(String requestLine, long timeoutMillis) throws Gone {
    calls++;
    try {
      in.write((requestLine + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      kill();
      throw new Gone(false, "the Python worker stopped");
    }
    try {
      String line = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (line == null) {
        kill();
        throw new Gone(true, "timed out");
      }
      if (line.equals(EOF)) {
        alive = false;
        throw new Gone(false, "the Python worker stopped");
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new Gone(false, "interrupted");
    }
  }

  /** Kills the worker at once: the outer process (bubblewrap takes the JVM with it) and all below. */
  void kill() {
    alive = false;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  long pid() {
    return process.pid();
  }

}
