package dev.conduit.code.python;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Jython worker process: started, fed one JSON line per call, read one JSON line back, and
 * killed when a call passes its deadline (a spinning Jython thread cannot be interrupted).
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

  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Set<String> knownSources = new HashSet<>();
  private volatile boolean alive = true;

  private PythonWorker(Process process) {
    this.process = process;
    this.in = process.getOutputStream();
    Thread.ofPlatform().daemon().name("conduit-python-worker-" + process.pid()).start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
      lines.add(EOF);
    });
  }

  /** Starts a worker and waits for it to say it is ready. */
  static PythonWorker start(List<String> command, Path workingDir, long startTimeoutMillis) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear(); // nothing of the server's environment (secrets, paths) reaches a worker
    PythonWorker w = new PythonWorker(pb.start());
    try {
      String first = w.lines.poll(startTimeoutMillis, TimeUnit.MILLISECONDS);
      if (first == null || !first.contains("\"ready\"")) {
        w.kill();
        throw new IOException("the Python worker did not start"
            + (first == null ? " within " + startTimeoutMillis + " ms" : " (it exited)"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      w.kill();
      throw new IOException("interrupted while starting a Python worker");
    }
    return w;
  }

  boolean knows(String key) {
    return knownSources.contains(key);
  }

  void learned(String key) {
    knownSources.add(key);
  }

  boolean alive() {
    return alive && process.isAlive();
  }

  /** Sends one request line and waits for the answer line until the deadline. */
  String call(String requestLine, long timeoutMillis) throws Gone {
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

  void kill() {
    alive = false;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  long pid() {
    return process.pid();
  }
}
