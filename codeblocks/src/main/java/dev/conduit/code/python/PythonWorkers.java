package dev.conduit.code.python;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Tenant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;

/**
 * Python blocks run here: a pool of Jython worker processes that this class starts, feeds,
 * supervises and replaces. Each worker serves one tenant (organization + connection) for its whole
 * life; {@link IdleWorkers} hands them out, says how many spares (workers that have run nothing) to
 * keep ready, and which worker to evict when a tenant needs one and the pool is full. A worker that
 * passes a call's deadline is killed, and so is one a call leaves processes or threads running in
 * (the call fails: {@link PythonWorker#leftBehind}); one whose heap filled up exits; one that died
 * while idle is discarded without failing anyone's call; a spare takes the place of each; workers
 * are recycled after an hour or 100,000 calls. Each worker keeps the compiled code of the blocks it
 * has seen: a block's source crosses to a worker once, and the worker compiles it once. {@link
 * SpareStarter} starts workers, {@link WorkerLaunch} says how, {@link Wire} what a call says.
 */
public final class PythonWorkers implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PythonWorkers.class.getName());
  private static final long WAIT_FOR_WORKER = 60_000;
  private static final long MAX_AGE_MILLIS = 3600_000;
  private static final int MAX_CALLS = 100_000;

  private final Sandbox sandbox;
  private final WorkerHome home;
  private final WorkerLaunch launch;
  private final int size;
  private final IdleWorkers idle;
  private final SpareStarter spares;
  private final AtomicInteger compilations = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param jythonJar the jython-standalone jar (linked or copied next to the worker's scripts)
   * @param java the java executable that runs the workers
   * @param size how many workers at most, spares included: the number of tenants held warm
   * @param memoryBytes each worker's address-space limit (the JVM heap is what the JVM leaves of
   *     it)
   * @param allowBubblewrap use bubblewrap when the machine allows it
   */
  public PythonWorkers(
      Path jythonJar, Path java, int size, long memoryBytes, boolean allowBubblewrap)
      throws IOException {
    this(jythonJar, java, size, memoryBytes, Sandbox.detect(allowBubblewrap, null));
  }

  /**
   * @param sandbox the confinement to start workers in ({@link Sandbox#detect}); the caller decides
   *     whether what it lacks is acceptable
   */
  public PythonWorkers(Path jythonJar, Path java, int size, long memoryBytes, Sandbox sandbox)
      throws IOException {
    this(jythonJar, java, size, memoryBytes, sandbox, null);
  }

  /**
   * @param workerScript the text of another request loop than the worker's, or null: the tests'
   *     stand-in for a block that got past the worker's second wall
   */
  PythonWorkers(
      Path jythonJar, Path java, int size, long memoryBytes, Sandbox sandbox, String workerScript)
      throws IOException {
    if (size < 1) {
      throw new IllegalArgumentException("a pool needs at least one worker");
    }
    this.sandbox = sandbox;
    Path realJava = java.toRealPath(); // /usr/bin/java is a link into /etc, hidden in the sandbox
    this.size = size;
    this.idle = new IdleWorkers(size);
    this.home = new WorkerHome(jythonJar);
    String script = WorkerHome.WORKER;
    if (workerScript != null) {
      script = "other_worker.py";
      home.addScript(script, workerScript);
    }
    this.launch = new WorkerLaunch(sandbox, home, realJava, memoryBytes, script);
    this.spares = new SpareStarter(launch, idle, size);
    LOG.info(
        "Python code blocks: up to "
            + size
            + " Jython workers, each serving one organization and connection;"
            + " confinement: "
            + sandbox.description());
    String missing = sandbox.missing();
    if (missing != null) {
      LOG.warning(
          "Python code blocks are NOT fully confined by the operating system: "
              + missing
              + ". Only the worker's import allow-list and stripped builtins stand between a block and"
              + " what that leaves open; that is not a security boundary."
              + (sandbox.bubblewrap()
                  ? " Run the server where it may create pids cgroups (as root, cgroup v1 or a"
                      + " delegated v2 subtree with the pids controller)."
                  : " Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow user"
                      + " namespaces."));
    }
    spares.replenish();
  }

  /** Where the jython jar is: the jar this class path loaded Jython from, or null. */
  public static Path jythonJarOnClassPath() {
    return WorkerHome.jythonJarOnClassPath();
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  /** How many workers were started so far (replacements included). */
  public int workersStarted() {
    return spares.started();
  }

  /** How many times a worker compiled a block (once per block and worker). */
  public int compilations() {
    return compilations.get();
  }

  /** How many workers this pool keeps at most: the number of tenants it holds warm. */
  public int size() {
    return size;
  }

  // --- running blocks ---

  /** Runs a block as the {@linkplain Tenant#SOLE sole tenant} (tests and tools that serve one). */
  public Object run(CodeSource code, String inputJson, long timeoutMillis) throws CodeFailure {
    return run(Tenant.SOLE, code, inputJson, timeoutMillis);
  }

  /**
   * Runs a block's main(input) in a worker of the tenant's; returns the result as plain data.
   *
   * <p>A worker can die while idle (killed from outside, or its JVM crashed) and still look alive
   * for a moment: bubblewrap, its outer process, outlives the JVM and holds the pipes open, so the
   * request is written and only then does the worker's output end. What tells that apart from a
   * worker that died running the block is the first byte of the answer, which the worker writes as
   * soon as it has read the request and before it parses or runs anything ({@link
   * PythonWorker#TAKEN}):
   *
   * <ul>
   *   <li>no byte came (or the request could not even be written): the worker never took the call
   *       and no line of the block ran. It is discarded and the call goes to another worker, and on
   *       to the next as long as each one it gets turns out dead the same way: when the operating
   *       system kills all idle workers at once, a call may meet every one of them. Workers found
   *       dead before the request was written count too. The (size + 1)th dead worker in a row
   *       fails the call: by then at least one of them was not yet running when the call began, so
   *       something is killing new workers (or the request itself kills them before they can take
   *       it) and trying more would not end;
   *   <li>the byte came and then the output ended: the worker died while the call was its own
   *       (parsing the input, compiling or running the block: out of memory, out of CPU time,
   *       killed). That fails the call, because running the block again could kill another worker
   *       the same way;
   *   <li>the deadline passed: the worker is killed and the call fails, taken or not.
   * </ul>
   */
  public Object run(Tenant tenant, CodeSource code, String inputJson, long timeoutMillis)
      throws CodeFailure {
    int dead = 0; // workers in a row this call got that had died before they took it
    while (true) {
      PythonWorker w = take(tenant, code);
      if (!w.alive()) {
        // it died while idle (not this block's doing): replace it and take another
        w.kill();
        idle.discarded(w);
        spares.replenish();
        dead = anotherDead(code, dead, "had died while idle", w);
        continue;
      }
      boolean keep = false;
      try {
        Wire.Answer a = Wire.ask(w, code, inputJson, timeoutMillis, ids::incrementAndGet);
        boolean outOfMemory = !a.ok() && "MEMORY".equals(a.kind()); // discarded below anyway
        int left = outOfMemory ? 0 : w.leftBehind();
        if (left > 0) { // keep stays false: the worker and all it holds are killed below
          LOG.warning(
              "a Python block of "
                  + code.file()
                  + " left "
                  + left
                  + " processes or threads running");
          throw new CodeFailure(
              CodeFailure.Kind.ERROR,
              code.file(),
              0,
              "stopped: the block left "
                  + left
                  + " processes or threads running when it returned (code blocks may not start"
                  + " any); they were killed with its worker");
        }
        if (a.compiled()) {
          compilations.incrementAndGet();
        }
        if (a.ok()) {
          keep = true;
          return a.result();
        }
        keep = !outOfMemory;
        throw Wire.failure(code, a);
      } catch (PythonWorker.Gone g) {
        if (g.why != PythonWorker.Gone.Why.NOT_TAKEN) {
          throw stopped(g, w, code, timeoutMillis);
        }
        dead = anotherDead(code, dead, "had died before it took a call of " + code.file(), w);
        continue; // finally discards the dead worker and starts a replacement
      } catch (JacksonException | IllegalArgumentException e) {
        LOG.warning("a Python worker answered something unreadable: " + e.getMessage());
        throw new CodeFailure(
            CodeFailure.Kind.ERROR,
            code.file(),
            0,
            "the Python worker failed (see the server log)");
      } finally {
        if (keep
            && !closed
            && w.alive()
            && w.ageMillis() < MAX_AGE_MILLIS
            && w.calls() < MAX_CALLS) {
          idle.giveBack(w);
        } else {
          w.kill();
          idle.discarded(w);
          spares.replenish();
        }
      }
    }
  }

  /** How a call ends whose worker stopped after it took the call (or was stopped for it). */
  private static CodeFailure stopped(
      PythonWorker.Gone g, PythonWorker w, CodeSource code, long timeoutMillis) {
    return switch (g.why) {
      case TIMED_OUT ->
          new CodeFailure(
              CodeFailure.Kind.TIMEOUT,
              code.file(),
              0,
              "stopped: the block ran past its time limit of " + timeoutMillis + " ms");
      case INTERRUPTED ->
          new CodeFailure(
              CodeFailure.Kind.ERROR,
              code.file(),
              0,
              "stopped: the call was interrupted (the server is shutting down or the request was abandoned)");
      default -> {
        LOG.warning("a Python worker stopped during a call of " + code.file() + w.stderrTail());
        yield new CodeFailure(
            CodeFailure.Kind.MEMORY,
            code.file(),
            0,
            "stopped: the block's worker process ended while running it (out of memory or CPU time)");
      }
    };
  }

  /**
   * Counts one more worker in a row that died before it took the call and logs it; returns the new
   * count while the call may go on to another worker, and fails the call past the pool's size.
   */
  private int anotherDead(CodeSource code, int deadBefore, String what, PythonWorker w)
      throws CodeFailure {
    int dead = deadBefore + 1;
    String next =
        dead > size
            ? " (" + dead + " in a row, more than the pool's " + size + ": the call fails)"
            : dead > 1
                ? " (" + dead + " in a row: the call goes to another worker)"
                : " (the call goes to another worker)";
    LOG.warning("a Python worker " + what + next + w.stderrTail());
    if (dead > size) {
      throw new CodeFailure(
          CodeFailure.Kind.ERROR,
          code.file(),
          0,
          "the Python workers stopped before they could run the block ("
              + dead
              + " in a row; see the server log)");
    }
    return dead;
  }

  /**
   * A worker of the tenant's: an idle one it already has, else a spare (pinned to it now). When
   * neither is free, {@link IdleWorkers} may name another tenant's idle worker to evict: it is
   * killed, a spare is started in its place, and the call waits for that spare.
   */
  private PythonWorker take(Tenant tenant, CodeSource code) throws CodeFailure {
    long deadline = System.nanoTime() + WAIT_FOR_WORKER * 1_000_000;
    try {
      while (!closed) {
        IdleWorkers.Pick p = idle.take(tenant, 100);
        if (p != null && p.worker() != null) {
          spares.replenish(); // it may have been a spare: keep some ready while there is room
          return p.worker();
        }
        if (p != null) {
          p.evicted().kill(); // never handed to another tenant
          spares.replenish();
          continue;
        }
        if (spares.failing()) {
          throw new CodeFailure(
              CodeFailure.Kind.ERROR,
              code.file(),
              0,
              "Python workers cannot start on this server (the server log says why)");
        }
        if (System.nanoTime() - deadline > 0) {
          throw new CodeFailure(
              CodeFailure.Kind.ERROR,
              code.file(),
              0,
              "no Python worker became free within "
                  + WAIT_FOR_WORKER / 1000
                  + " s (all are busy or starting)");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeFailure(
          CodeFailure.Kind.ERROR, code.file(), 0, "interrupted while waiting for a Python worker");
    }
    throw new CodeFailure(
        CodeFailure.Kind.ERROR, code.file(), 0, "the code-block runner is closed");
  }

  @Override
  public void close() {
    closed = true;
    spares.stop();
    idle.drain().forEach(PythonWorker::kill);
    spares.awaitStopped();
    idle.drain().forEach(PythonWorker::kill);
    launch.close();
    home.close();
  }

  /**
   * Runs a Python script in a fresh process under exactly the workers' confinement but WITHOUT the
   * worker's second wall (no allow-list, all builtins), and returns what it printed: the tests use
   * it to show what the operating system alone allows.
   */
  String probe(String script) throws IOException, InterruptedException {
    return launch.probe(script);
  }

  /** The process ids of the idle workers (the outer process of each), for tests. */
  List<Long> idleWorkerPids() {
    return idle.all().stream().map(PythonWorker::pid).toList();
  }

  /**
   * The idle workers themselves (pinned ones first, then spares), for tests that watch one through
   * a call.
   */
  List<PythonWorker> idleWorkers() {
    return idle.all();
  }
}
