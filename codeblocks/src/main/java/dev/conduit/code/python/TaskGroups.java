package dev.conduit.code.python;

import dev.conduit.code.host.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pids cgroup per worker, under one folder per pool: the wall that bounds how many processes
 * and threads a worker holds ({@link #MAX_TASKS}), counts exactly what a worker has left running
 * after a call, and lets the pool kill all of it, even a process that detached itself from the
 * worker's tree. The kernel counts every thread as a task, so a thread bomb and a fork bomb meet
 * the same cap, and one worker's cap is its own: a bomb does not take anything from other
 * organizations' workers.
 *
 * <p>Needs the pids controller and the right to create cgroups where the server itself is (cgroup
 * v1, or v2 with pids enabled for the server's own cgroup's children), which in practice means
 * root. {@link #create} says why not when it cannot.
 */
final class TaskGroups {

  /**
   * Tasks (processes and threads) one worker may hold: bubblewrap's two processes and the JVM's ~15
   * threads (WorkerLaunch pins their number) leave some room, for the JVM, never for a block.
   */
  static final int MAX_TASKS = 48;

  private static final AtomicLong POOLS = new AtomicLong();

  private final Path poolDir;
  private final Path shell;
  private final AtomicLong workers = new AtomicLong();

  private TaskGroups(Path poolDir, Path shell) {
    this.poolDir = poolDir;
    this.shell = shell;
  }

  /** One worker's cgroup. */
  static final class Group {
    private final Path dir;
    private final Path shell;

    private Group(Path dir, Path shell) {
      this.dir = dir;
      this.shell = shell;
    }

    /** How many tasks (processes and threads) are in it now; -1 when that cannot be read. */
    int tasks() {
      try {
        return Integer.parseInt(Files.readString(dir.resolve("pids.current")).strip());
      } catch (IOException | NumberFormatException e) {
        return -1;
      }
    }

    /** Sends every process in it the kill signal, once, without waiting. */
    void signalAll() {
      processes().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /**
     * Kills every process in it, again as long as any is left (a fork bomb forks while it is
     * emptied; a killed process takes a moment to leave), then removes it. Gives up after ~5 s.
     */
    void killAll() {
      for (int round = 0; round < 500; round++) {
        if (processes().isEmpty()) {
          break;
        }
        signalAll();
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      remove();
    }

    /** Removes the cgroup if it is empty (an exited worker's; a busy one stays until killed). */
    void remove() {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // tasks still exiting: the pool's close() tries again
      }
    }

    private List<Long> processes() {
      List<Long> pids = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
          if (!line.isBlank()) {
            pids.add(Long.parseLong(line.strip()));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // gone already
      }
      return pids;
    }

    /**
     * The worker's command, started in this cgroup: a shell moves itself in, then becomes the
     * command, so that nothing the worker starts is ever outside it. The shell's own PWD (the
     * server's folder) is not handed on: the worker's environment stays empty.
     */
    List<String> wrap(List<String> command) {
      List<String> cmd = new ArrayList<>();
      cmd.addAll(
          List.of(
              shell.toString(),
              "-c",
              "echo $$ > \"$0/cgroup.procs\" && unset PWD && exec \"$@\"",
              dir.toString()));
      cmd.addAll(command);
      return cmd;
    }
  }

  /**
   * Creates a pool's folder of cgroups.
   *
   * @throws IOException saying why there can be none here
   */
  static TaskGroups create() throws IOException {
    Path shell =
        Executables.find("sh")
            .orElseThrow(() -> new IOException("no shell (sh) to start workers in a cgroup"));
    Path own = ownPidsCgroup();
    if (own == null) {
      throw new IOException("no pids cgroup controller is mounted");
    }
    Path pool =
        own.resolve(
            "conduit-python-" + ProcessHandle.current().pid() + "-" + POOLS.incrementAndGet());
    try {
      Files.createDirectory(pool);
    } catch (IOException e) {
      throw new IOException("the server may not create a pids cgroup (it runs unprivileged)");
    }
    if (!Files.exists(pool.resolve("pids.max"))) {
      Files.delete(pool);
      throw new IOException("the pids controller is not enabled for the server's cgroup");
    }
    return new TaskGroups(pool, shell);
  }

  /**
   * The server's own cgroup in the pids hierarchy: cgroup v1's pids mount, else the cgroup v2
   * mount, joined with the path /proc/self/cgroup names for it.
   */
  private static Path ownPidsCgroup() {
    try {
      String v1Mount = null;
      String v2Mount = null;
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] halves = line.split(" - ", 2);
        if (halves.length < 2) {
          continue;
        }
        String[] fs = halves[1].split(" ");
        String mountPoint = halves[0].split(" ")[4];
        if (fs[0].equals("cgroup") && List.of(fs[fs.length - 1].split(",")).contains("pids")) {
          v1Mount = mountPoint;
        } else if (fs[0].equals("cgroup2") && v2Mount == null) {
          v2Mount = mountPoint;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        String[] parts = line.split(":", 3);
        if (v1Mount != null && List.of(parts[1].split(",")).contains("pids")) {
          return Path.of(v1Mount, parts[2]);
        }
        if (v1Mount == null && v2Mount != null && parts[0].equals("0")) {
          return Path.of(v2Mount, parts[2]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: not Linux
    }
    return null;
  }

  /** A new cgroup for one worker, capped at {@link #MAX_TASKS}. */
  Group newGroup() throws IOException {
    Path dir = Files.createDirectory(poolDir.resolve("worker-" + workers.incrementAndGet()));
    Files.writeString(dir.resolve("pids.max"), Integer.toString(MAX_TASKS));
    return new Group(dir, shell);
  }

  /** Removes the pool's folder (its workers' cgroups are gone by then, or go now if empty). */
  void close() {
    try (var dirs = Files.list(poolDir)) {
      dirs.filter(Files::isDirectory).forEach(d -> new Group(d, shell).killAll());
    } catch (IOException e) {
      // gone already
    }
    new Group(poolDir, shell).remove();
  }
}
