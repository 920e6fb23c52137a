package dev.conduit.runtime.gitops;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.worker.CompileWorker;
import dev.conduit.runtime.gitops.CommitCompiler.Compiled;
import dev.conduit.runtime.gitops.CompileWorkerProcess.Unavailable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compile workers kept warm (conduit.git.compile-in=worker): long-lived worker JVMs ({@link
 * CompileWorker} {@code --serve}, started as {@link WorkerLaunch} says), each bound to one source,
 * so that from its second commit on a compile finds the compiler's classes loaded, its code
 * compiled by the JIT and its engines started: the price of a cold worker per commit ({@link
 * CompileWorkerProcess}) was most of push to served.
 *
 * <p>A pool of at most {@code conduit.git.worker.pool} workers per instance, one per source: a
 * worker sees one organization's copy only (under bubblewrap nothing else is visible to it), so an
 * instance following several organizations keeps one warm for each of the most recently compiled
 * ones, and stops the least recently used when another source needs one.
 *
 * <p>Commits go to a worker one at a time over its standard input, each answered on its standard
 * output ({@link CompileWorker#DONE} or {@link CompileWorker#FAILED}); the pipe is the server's
 * own, so no secret guards it. Each commit is written into a new folder (0700) inside the worker's
 * private folder and read back as {@link CompileWorkerProcess#answer} reads a cold worker's (a
 * bundle with a plain hidden value is refused). A worker is started again:
 *
 * <ul>
 *   <li>when it died (killed, out of its heap: {@code -XX:+ExitOnOutOfMemoryError}), or did not
 *       answer within {@code conduit.git.compile-timeout-seconds} (it is killed);
 *   <li>after {@code conduit.git.worker.max-commits} commits, once {@code
 *       conduit.git.worker.max-age-minutes} old, or when the heap it keeps between commits passes
 *       {@code conduit.git.worker.max-heap-kept-percent} of its maximum ({@link GitSettings.Warm}):
 *       so that what a long-lived compiler might accumulate does not grow without bound. The new
 *       worker is asked at once to compile the same commit again, unanswered, so that it is warm
 *       for the next push;
 *   <li>when its source's copy or {@code conduit.git.compile-worker-heap-mb} changes.
 * </ul>
 *
 * A failure gives a {@link Compiled} with its {@code failure}: the last good bundle keeps serving
 * with the reason.
 */
final class WarmCompileWorker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WarmCompileWorker.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What the reader of a worker's output hands on when that output ends. */
  private static final String ENDED = "\u0000ended";

  private final WorkerLaunch launch;

  /**
   * The workers running, by source label, the least recently used first (insertion order: a compile
   * puts its worker back last; looking one up changes nothing).
   */
  private final LinkedHashMap<String, Running> running = new LinkedHashMap<>();

  /** One started worker: bound to one source's copy and one heap size. */
  private static final class Running {
    final String label;
    final Path gitDir;
    final int heapMb;
    final Process process;
    final OutputStream requests;
    final BlockingQueue<String> answers;
    final Path dir;
    final long startedMs = System.currentTimeMillis();
    int compiles;

    /** A warm-up request was sent and its answer not read yet. */
    boolean warmingUp;

    Running(
        String label,
        Path gitDir,
        int heapMb,
        Process process,
        BlockingQueue<String> answers,
        Path dir) {
      this.label = label;
      this.gitDir = gitDir;
      this.heapMb = heapMb;
      this.process = process;
      this.requests = process.getOutputStream();
      this.answers = answers;
      this.dir = dir;
    }
  }

  WarmCompileWorker(WorkerLaunch launch) {
    this.launch = launch;
  }

  /** The process id of the source's running worker (tests: which worker compiled). */
  synchronized OptionalLong pid(String label) {
    Running r = running.get(label);
    return r == null || !r.process.isAlive()
        ? OptionalLong.empty()
        : OptionalLong.of(r.process.pid());
  }

  /** The private folder of the source's running worker (tests: no two sources share one). */
  synchronized Optional<Path> folder(String label) {
    return Optional.ofNullable(running.get(label)).map(r -> r.dir);
  }

  synchronized Compiled compile(
      GitMirror mirror, String commit, GitSettings.Compile settings, Bundle previous)
      throws Unavailable {
    String label = mirror.source().label();
    Path gitDir = mirror.repository().getDirectory().toPath().toAbsolutePath();
    Running r = running.get(label);
    if (r != null
        && (!r.process.isAlive()
            || !r.gitDir.equals(gitDir)
            || r.heapMb != settings.workerHeapMb())) {
      stop(label);
      r = null;
    }
    running.remove(label); // put back last: the most recently used
    // room for this source's worker: the least recently used others go (a pool made smaller too)
    while (running.size() >= settings.warm().pool()) {
      stop(running.keySet().iterator().next());
    }
    if (r == null) {
      r = start(mirror, gitDir, settings);
    }
    running.put(label, r);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.timeoutSeconds());
    if (r.warmingUp) {
      // the warm-up compile the new worker was given: its answer comes first
      String warmUp = answer(r, deadline);
      if (!answered(warmUp)) {
        return lost(r, warmUp, commit, settings);
      }
      r.warmingUp = false;
    }
    Path out;
    try {
      out = request(r, mirror, commit);
    } catch (IOException e) {
      return lost(r, ENDED, commit, settings);
    }
    try {
      String answer = answer(r, deadline);
      if (!answered(answer)) {
        return lost(r, answer, commit, settings);
      }
      r.compiles++;
      if (answer.startsWith(CompileWorker.FAILED)) {
        return CompileWorkerProcess.failed(
            commit, "the compile worker could not compile it: " + answer);
      }
      long read = System.nanoTime();
      Compiled c = CompileWorkerProcess.answer(out, commit, previous);
      LOG.fine(
          () ->
              "compile worker of "
                  + label
                  + ", commit "
                  + commit
                  + ": "
                  + answer
                  + ", read back in "
                  + (System.nanoTime() - read) / 1_000_000
                  + " ms");
      if (due(r, answer, settings.warm())) {
        stop(label);
        Running next = start(mirror, gitDir, settings);
        running.put(label, next);
        warmUp(next, mirror, commit);
      }
      return c;
    } finally {
      CompileWorkerProcess.delete(out);
    }
  }

  /** Whether the worker has done its share and is replaced (after its answer was read). */
  private static boolean due(Running r, String answer, GitSettings.Warm limits) {
    long kept = 0;
    try {
      kept = Long.parseLong(answer.substring(CompileWorker.DONE.length()).strip().split(" ")[0]);
    } catch (NumberFormatException e) {
      // an answer without the figure: judged by count and age alone
    }
    long max = r.heapMb * 1024L * 1024L;
    return r.compiles >= limits.maxCommits()
        || System.currentTimeMillis() - r.startedMs >= limits.maxAge().toMillis()
        || kept * 100 >= max * limits.maxHeapKeptPercent();
  }

  private void warmUp(Running r, GitMirror mirror, String commit) {
    try {
      request(r, mirror, commit);
      r.warmingUp = true;
    } catch (IOException e) {
      // a worker that cannot take a request now is found dead at the next commit
    }
  }

  /** Sends one commit; the folder it is to answer in. */
  private static Path request(Running r, GitMirror mirror, String commit) throws IOException {
    Path out =
        Files.createTempDirectory(
            r.dir,
            "commit-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    String line =
        JSON.writeValueAsString(
            Map.of(
                "commit",
                commit,
                "origin",
                mirror.source().url() + "@" + commit,
                "out",
                out.toString()));
    r.requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    r.requests.flush();
    return out;
  }

  /**
   * The worker's next answer line; {@link #ENDED} when its output ended (it died), null when the
   * deadline passed first.
   */
  private static String answer(Running r, long deadline) {
    try {
      return r.answers.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static boolean answered(String line) {
    return line != null && !line.equals(ENDED);
  }

  /**
   * The worker gave no answer ({@code line}: {@link #ENDED}, or null when the time ran out): why,
   * and it is stopped.
   */
  private Compiled lost(Running r, String line, String commit, GitSettings.Compile settings) {
    String why;
    if (Thread.currentThread().isInterrupted()) {
      why = "the compile worker was stopped: the server is stopping";
    } else if (line == null) {
      why =
          "the compile worker did not finish within "
              + settings.timeoutSeconds()
              + " s (conduit.git.compile-timeout-seconds) and was stopped";
    } else {
      // its output ended: it died (bubblewrap, when present, passes the JVM's end on)
      why = CompileWorkerProcess.ended(waitFor(r.process), r.dir.resolve("worker.log"), settings);
    }
    stop(r.label);
    return CompileWorkerProcess.failed(commit, why);
  }

  private static int waitFor(Process p) {
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return p.isAlive() ? -1 : p.exitValue();
  }

  private Running start(GitMirror mirror, Path gitDir, GitSettings.Compile settings)
      throws Unavailable {
    Path dir = CompileWorkerProcess.privateFolder(mirror, "worker-");
    Process p;
    try {
      List<String> command = launch.command(mirror, dir, settings, List.of(CompileWorker.SERVE));
      p =
          WorkerLaunch.builder(command, dir)
              .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("worker.log").toFile()))
              .start();
    } catch (IOException e) {
      CompileWorkerProcess.delete(dir);
      throw new Unavailable("cannot start the compile worker: " + e.getMessage());
    } catch (Unavailable e) {
      CompileWorkerProcess.delete(dir);
      throw e;
    }
    BlockingQueue<String> answers = new ArrayBlockingQueue<>(16);
    Thread.ofPlatform()
        .daemon()
        .name("conduit-compile-worker-" + p.pid())
        .start(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  answers.put(line);
                }
              } catch (IOException e) {
                // the worker is gone: the same as the end of its output
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              answers.offer(ENDED);
            });
    return new Running(mirror.source().label(), gitDir, settings.workerHeapMb(), p, answers, dir);
  }

  /** Stops the source's worker, if it has one, with everything under its private folder. */
  private void stop(String label) {
    Running r = running.remove(label);
    if (r == null) {
      return;
    }
    // the wrappers' children too (bubblewrap's): a worker that hangs is killed, not waited for
    r.process.descendants().forEach(ProcessHandle::destroyForcibly);
    r.process.destroyForcibly();
    waitFor(r.process);
    try {
      r.requests.close();
    } catch (IOException e) {
      // the pipe is broken already: the worker is gone
    }
    CompileWorkerProcess.delete(r.dir);
  }

  /** Stops the source's worker when the source is no longer followed. */
  synchronized void forget(String label) {
    stop(label);
  }

  @Override
  public synchronized void close() {
    for (String label : List.copyOf(running.keySet())) {
      stop(label);
    }
  }
}
