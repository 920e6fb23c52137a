package dev.conduit.code.python;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a worker process is started: the sandbox's command around a small JVM running Jython on the
 * worker script from its {@link WorkerHome}, with the memory and CPU limits a worker lives under,
 * each in a pids cgroup of its own where the machine allows ({@link TaskGroups}).
 */
final class WorkerLaunch {

  private static final long CPU_SECONDS = 4 * 3600;

  private final Sandbox sandbox;
  private final WorkerHome home;
  private final Path java;
  private final long memoryBytes;
  private final String script;
  private final TaskGroups groups; // null: no cgroups here
  private volatile List<String> javaOptions;

  /**
   * @param java the java executable that runs the workers, links resolved (/usr/bin/java is a link
   *     into /etc, which the sandbox does not show)
   * @param script the worker's request loop, in the home's folder ({@link WorkerHome#WORKER})
   */
  WorkerLaunch(Sandbox sandbox, WorkerHome home, Path java, long memoryBytes, String script)
      throws IOException {
    this.sandbox = sandbox;
    this.home = home;
    this.java = java;
    this.memoryBytes = memoryBytes;
    this.script = script;
    this.groups = sandbox.taskGroups() ? TaskGroups.create() : null;
  }

  /** Starts a worker and waits until it says it is ready. */
  PythonWorker start(long timeoutMillis) throws IOException {
    TaskGroups.Group group = groups == null ? null : groups.newGroup();
    List<String> command =
        sandbox.command(
            home.appDir,
            home.workDir,
            java,
            javaOptions(),
            memoryBytes,
            CPU_SECONDS,
            script,
            group);
    return PythonWorker.start(command, home.workDir, environment(), timeoutMillis, group);
  }

  /** Removes the pool's cgroups (after its workers are killed). */
  void close() {
    if (groups != null) {
      groups.close();
    }
  }

  /**
   * Runs a Python script in a fresh process under exactly the workers' confinement but WITHOUT the
   * worker's second wall (no allow-list, all builtins), and returns what it printed.
   */
  String probe(String script) throws IOException, InterruptedException {
    home.addScript("probe.py", script);
    TaskGroups.Group group = groups == null ? null : groups.newGroup();
    List<String> command =
        sandbox.command(
            home.appDir, home.workDir, java, javaOptions(), memoryBytes, 60, "probe.py", group);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(home.workDir.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    if (group != null) {
      group.killAll();
    }
    return out;
  }

  private Map<String, String> environment() {
    // bubblewrap sets the worker's environment itself (--clearenv, --setenv)
    return sandbox.bubblewrap() ? Map.of() : Map.of("MALLOC_ARENA_MAX", "2");
  }

  private List<String> javaOptions() {
    if (javaOptions == null) {
      // a JVM reserves ~450 MB of address space beyond its heap (code cache, metaspace, class
      // space, stacks, the jar mapped): 512 MB leaves a 64 MB heap, 1 GB a 576 MB one
      long heapMb = Math.max(48, memoryBytes / (1024 * 1024) - 448);
      List<String> o =
          new ArrayList<>(
              List.of(
                  "-Xmx" + heapMb + "m",
                  "-Xss1m",
                  "-XX:ReservedCodeCacheSize=32m",
                  "-XX:MaxMetaspaceSize=96m",
                  "-XX:CompressedClassSpaceSize=32m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  // one compiler thread, from the start, on any machine: a worker's thread
                  // count stays what it was when ready, so a thread more after a call is the
                  // block's (PythonWorker), and the cap (TaskGroups) fits every machine
                  "-XX:CICompilerCount=1",
                  "-XX:-UseDynamicNumberOfCompilerThreads",
                  // the JVM's own warnings (a thread it could not start) to stderr, for the log:
                  // on stdout they would break into the answer being written
                  "-Xlog:disable",
                  "-Xlog:all=warning:stderr",
                  "-XX:-UsePerfData",
                  "-Xshare:auto",
                  "-Djava.io.tmpdir=/tmp",
                  "-Dpython.cachedir.skip=true",
                  "-Dpython.console.encoding=UTF-8",
                  "-Dfile.encoding=UTF-8"));
      int feature = javaFeature();
      if (feature >= 22) {
        o.add("--enable-native-access=ALL-UNNAMED");
      }
      if (feature >= 23) {
        o.add("--sun-misc-unsafe-memory-access=allow");
      }
      javaOptions = List.copyOf(o);
    }
    return javaOptions;
  }

  /** The feature version of the workers' JVM (only to choose flags that silence its warnings). */
  private int javaFeature() {
    try {
      if (java.equals(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath())) {
        return Runtime.version().feature();
      }
      ProcessBuilder pb = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true);
      pb.environment().clear();
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("version \"(1\\.)?(\\d+)").matcher(out);
      return m.find() ? Integer.parseInt(m.group(2)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
