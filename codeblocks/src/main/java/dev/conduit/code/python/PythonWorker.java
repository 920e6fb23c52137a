package dev.conduit.code.python;

import dev.conduit.code.Tenant;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One Jython worker process: started, fed one JSON line per call, read one JSON line back, and
 * killed when a call passes its deadline (a spinning Jython thread cannot be interrupted). Used by
 * one call at a time (the pool hands it out), and by one tenant for its whole life ({@link
 * IdleWorkers}). What the worker writes to stderr is kept (the last lines) for the server's log,
 * never for users. It counts the processes and threads it holds ({@link #leftBehind}): a block has
 * no business starting any, so what a call leaves running is found and the worker killed with it.
 */
final class PythonWorker {

  /** The worker died or was killed during a call; {@code why} tells when. */
  static final class Gone extends Exception {
    enum Why {
      /** It passed the call's deadline and was killed. */
      TIMED_OUT,
      /**
       * It was dead before it took the request: writing the request failed, or its output ended
       * before the first byte of the answer. No line of the block ran in it.
       */
      NOT_TAKEN,
      /** It took the request (the first byte of the answer came) and ended before the rest. */
      ENDED_WHILE_RUNNING,
      /** The caller's thread was interrupted; the worker was killed. */
      INTERRUPTED
    }

    final Why why;

    Gone(Why why, String message) {
      super(message);
      this.why = why;
    }
  }

  /**
   * The first byte of every answer, written and flushed by the worker as soon as it has read a
   * request, before it parses or runs anything: it marks the moment the call became the worker's.
   */
  static final byte TAKEN = '>';

  private static final String EOF = "\u0000eof";
  private static final int STDERR_LINES = 20;
  private static final int STDERR_LINE_CHARS = 300;

  /**
   * The most a worker's output may hold in the server at once: one line, or the lines not read yet.
   * A block's answer is one line made in a 64 MB heap; past this the worker is killed. What a
   * worker writes is untrusted (its second wall is no boundary, docs/code-blocks.md): without a
   * bound, one that writes without end fills the server's heap under every organization's calls.
   */
  static final int MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

  private final Process process;
  private final TaskGroups.Group group; // null: no cgroup, its process tree is counted
  private int readyTasks = Integer.MAX_VALUE; // processes and threads once ready; calls lower it
  private final OutputStream in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final AtomicLong queuedChars = new AtomicLong(); // of lines, not read yet
  private final Deque<String> stderr = new ArrayDeque<>();
  private final Set<String> knownSources = new HashSet<>();
  private final long startedNanos = System.nanoTime();
  private volatile int calls; // volatile: tests watch it from another thread
  private volatile boolean alive = true;
  private volatile long taken; // requests the worker has taken (answers begun)
  private volatile Tenant tenant; // null while a spare: it has run nothing yet

  PythonWorker(Process process) { // package-private: IdleWorkersTest wraps a plain process
    this(process, null);
  }

  private PythonWorker(Process process, TaskGroups.Group group) {
    this.process = process;
    this.group = group;
    this.in = process.getOutputStream();
    Thread.ofPlatform()
        .daemon()
        .name("conduit-python-out-" + process.pid())
        .start(this::readAnswers);
    Thread.ofPlatform()
        .daemon()
        .name("conduit-python-err-" + process.pid())
        .start(
            () -> {
              try (Reader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                readNotes(err);
              } catch (IOException e) {
                // the process is gone
              }
            });
  }

  /** Keeps the start of each stderr line (for the log), never a whole line in memory. */
  private void readNotes(Reader err) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = err.read()) >= 0) {
      if (c == '\n') {
        note(line.toString());
        line.setLength(0);
      } else if (line.length() <= STDERR_LINE_CHARS) { // one more: note() then says it was cut
        line.append((char) c);
      }
    }
    if (!line.isEmpty()) {
      note(line.toString());
    }
  }

  /**
   * Splits the worker's output into lines (UTF-8) and counts the answers begun: a line whose first
   * byte is {@link #TAKEN} is counted when that byte arrives, not when the line ends. A worker
   * whose output passes {@link #MAX_OUTPUT_BYTES} (a line, or lines not read yet) is killed.
   */
  private void readAnswers() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    byte[] buffer = new byte[8192];
    try (InputStream out = process.getInputStream()) {
      int n;
      while ((n = out.read(buffer)) > 0) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line.write(buffer, from, i - from);
            queue(line.toString(StandardCharsets.UTF_8));
            if (line.size() > 65536) {
              line = new ByteArrayOutputStream(256); // do not hold on to one large answer's buffer
            } else {
              line.reset();
            }
            from = i + 1;
          } else if (i == from && line.size() == 0 && buffer[i] == TAKEN) {
            taken++; // only this thread writes it
          }
        }
        line.write(buffer, from, n - from);
        if (line.size() + queuedChars.get() > MAX_OUTPUT_BYTES) {
          note(
              "the worker wrote more than "
                  + MAX_OUTPUT_BYTES / (1024 * 1024)
                  + " MB that the server had not read: killed");
          kill();
          line.reset();
          break;
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    if (line.size() > 0) {
      queue(line.toString(StandardCharsets.UTF_8));
    }
    alive = false;
    lines.add(EOF);
  }

  private void queue(String line) {
    queuedChars.addAndGet(line.length());
    lines.add(line);
  }

  /** The next line of output within the wait, or null. */
  private String next(long wait, TimeUnit unit) throws InterruptedException {
    String line = lines.poll(wait, unit);
    if (line != null && !line.equals(EOF)) {
      queuedChars.addAndGet(-line.length());
    }
    return line;
  }

  /**
   * Starts a worker and waits for it to say it is ready. Call this from a thread that lives as long
   * as the worker: the kernel's parent-death signal (bubblewrap's --die-with-parent, setpriv's
   * --pdeathsig) fires when the thread that started the process ends.
   *
   * @param group the pids cgroup the command starts in, or null
   */
  static PythonWorker start(
      List<String> command,
      Path workingDir,
      Map<String, String> environment,
      long startTimeoutMillis,
      TaskGroups.Group group)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
    pb.environment()
        .clear(); // nothing of the server's environment (secrets, paths) reaches a worker
    pb.environment().putAll(environment);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      if (group != null) {
        group.remove();
      }
      throw e;
    }
    PythonWorker w = new PythonWorker(process, group);
    try {
      String first = w.next(startTimeoutMillis, TimeUnit.MILLISECONDS);
      if (first == null || !first.contains("\"ready\"")) {
        // a JVM that cannot start says why on stdout ("# There is insufficient memory ...")
        StringBuilder said = new StringBuilder();
        for (String l = first;
            l != null && !l.equals(EOF) && said.length() < 600;
            l = w.next(200, TimeUnit.MILLISECONDS)) {
          if (!l.isBlank() && !l.equals("#")) {
            said.append(said.isEmpty() ? "" : " | ")
                .append(l.startsWith("# ") ? l.substring(2) : l);
          }
        }
        w.kill();
        Thread.sleep(50); // let stderr's reader catch up
        throw new IOException(
            "the Python worker did not start"
                + (first == null ? " within " + startTimeoutMillis + " ms" : " (it exited)")
                + (said.isEmpty() ? "" : ": " + said)
                + w.stderrTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      w.kill();
      throw new IOException("interrupted while starting a Python worker");
    }
    w.readyTasks = w.tasks();
    return w;
  }

  /**
   * How many processes and threads the worker holds beyond those it had when ready (or after its
   * last call, if fewer): what the last call left running. Called between calls, by the one thread
   * that has the worker.
   */
  int leftBehind() {
    int now = tasks();
    if (now < 0) {
      return 0;
    }
    readyTasks = Math.min(readyTasks, now);
    return now - readyTasks;
  }

  /**
   * The processes and threads of this worker: its cgroup's count (a process that detached itself
   * included), else those of its process tree (bubblewrap's PID namespace keeps a detached one in
   * it); -1 when unknown.
   */
  private int tasks() {
    if (group != null) {
      return group.tasks();
    }
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .mapToInt(PythonWorker::threads)
        .sum();
  }

  private static int threads(ProcessHandle h) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(h.pid()), "task"))) {
      return (int) tasks.count();
    } catch (IOException | UncheckedIOException e) {
      return 0; // it has ended
    }
  }

  /** The last lines the worker wrote to stderr, for the server's log. */
  String stderrTail() {
    synchronized (stderr) {
      return stderr.isEmpty() ? "" : "; its last output: " + String.join(" | ", stderr);
    }
  }

  /** The tenant this worker serves, or null while it is a spare that has run nothing. */
  Tenant tenant() {
    return tenant;
  }

  /** Pins a spare to the tenant it will serve until it ends; a worker is never pinned twice. */
  void pinTo(Tenant t) {
    if (tenant != null) {
      throw new IllegalStateException("a worker serves one tenant for its whole life");
    }
    tenant = t;
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

  /** How many requests this worker has taken so far (for tests). */
  long taken() {
    return taken;
  }

  /**
   * Sends one request line and waits for the answer line until the deadline; returns the answer
   * without its {@link #TAKEN} byte. When the worker turns out to be dead, {@link Gone#why} says
   * whether it had taken this request: a worker whose JVM died while idle can still look alive for
   * a moment (bubblewrap, its outer process, outlives the JVM and holds the pipes open), so the
   * request is written and only then does its output end, without a byte of the answer.
   */
  String call(String requestLine, long timeoutMillis) throws Gone {
    calls++;
    long takenBefore = taken;
    try {
      in.write((requestLine + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      kill();
      throw new Gone(Gone.Why.NOT_TAKEN, "the Python worker had stopped");
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    try {
      while (true) {
        String line = next(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          kill();
          throw new Gone(Gone.Why.TIMED_OUT, "timed out");
        }
        if (line.equals(EOF)) {
          alive = false;
          // the reader counts a taken request before it reports the end: this is final
          throw taken == takenBefore
              ? new Gone(Gone.Why.NOT_TAKEN, "the Python worker had stopped")
              : new Gone(Gone.Why.ENDED_WHILE_RUNNING, "the Python worker stopped");
        }
        if (!line.isEmpty() && line.charAt(0) == TAKEN) {
          if (line.length() == 1) { // taken, then the output ended: the end follows
            continue;
          }
          return line.substring(1);
        }
        // not an answer: something the JVM itself printed (a fatal error says why on stdout)
        note(line);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new Gone(Gone.Why.INTERRUPTED, "interrupted");
    }
  }

  /**
   * Keeps a line of the worker's own output for the server's log: its start, with control
   * characters shown as '?' (a worker must not be able to forge log lines or terminal escapes).
   */
  private void note(String raw) {
    StringBuilder line = new StringBuilder(Math.min(raw.length(), STDERR_LINE_CHARS + 3));
    raw.codePoints()
        .limit(STDERR_LINE_CHARS)
        .forEach(c -> line.appendCodePoint(Character.isISOControl(c) && c != '\t' ? '?' : c));
    if (raw.codePointCount(0, raw.length()) > STDERR_LINE_CHARS) {
      line.append("...");
    }
    keep(line.toString());
  }

  private void keep(String line) {
    synchronized (stderr) {
      if (stderr.size() == STDERR_LINES) {
        stderr.removeFirst();
      }
      stderr.addLast(line);
    }
  }

  /**
   * Kills the worker at once: the outer process (bubblewrap takes its PID namespace with it), all
   * below it, and everything in its cgroup; the cgroup is removed once the worker has ended.
   */
  void kill() {
    alive = false;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    if (group != null) {
      group.signalAll(); // now; a call's deadline does not wait for the processes to end
      process.onExit().thenRunAsync(group::killAll); // what forked meanwhile, then the cgroup
    }
  }

  long pid() {
    return process.pid();
  }
}
