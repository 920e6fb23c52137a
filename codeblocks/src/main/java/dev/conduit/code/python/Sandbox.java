package dev.conduit.code.python;

import dev.conduit.code.host.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How Python workers are confined by the operating system, detected once. The walls, outermost
 * first (the recipe verified in the team's STACK.md):
 *
 * <ol>
 *   <li>an empty environment (the caller clears it before starting the command);
 *   <li>{@code setpriv}: no new privileges, and when the server runs as root, the unprivileged user
 *       65534 (nobody) with no supplementary groups; without bubblewrap also a kill signal when the
 *       server dies;
 *   <li>a pids cgroup of its own ({@link TaskGroups}): at most {@value TaskGroups#MAX_TASKS}
 *       processes and threads, counted by the kernel, and what a block leaves running after a call
 *       is found and killed with the worker, even a process that left the worker's tree. Where the
 *       server may not create cgroups (it runs unprivileged, or no pids controller), {@code prlimit
 *       --nproc} stands in when workers run as user 65534; that limit counts all processes and
 *       threads of user 65534 on the machine, so it protects the machine but not one organization's
 *       workers from another's;
 *   <li>{@code prlimit}: address space, CPU seconds, open files, file size, no core dumps;
 *   <li>{@code bubblewrap}: new mount, network, PID, IPC, UTS, cgroup and user namespaces,
 *       read-only {@code /usr} and the worker's own folder and nothing else of the host's files, no
 *       capabilities, a new session, an empty working directory, killed with its parent; killing it
 *       ends every process in its PID namespace.
 * </ol>
 *
 * What the machine lacks is left out and named by {@link #missing()}; {@link #description()} tells
 * which walls are up.
 */
public final class Sandbox {

  static final String NOBODY = "65534";

  /**
   * Processes and threads of user 65534, all workers together, when no cgroup bounds each worker:
   * the machine's protection, not an organization's (see the class comment).
   */
  static final int NOBODY_TASKS = 4096;

  /**
   * What a sandbox shows of the system, read-only: /usr, and /bin, /lib and /lib64 as links into it
   * (the same view for the check that bubblewrap works and for the workers).
   */
  private static final List<String> SYSTEM_VIEW =
      List.of(
          "--ro-bind",
          "/usr",
          "/usr",
          "--symlink",
          "usr/lib",
          "/lib",
          "--symlink",
          "usr/lib64",
          "/lib64",
          "--symlink",
          "usr/bin",
          "/bin");

  private final Path bwrap;
  private final Path setpriv;
  private final Path prlimit;
  private final boolean root;
  private final String bwrapAbsence;
  private final String taskGroupsAbsence; // null: each worker gets a pids cgroup

  private Sandbox(
      Path bwrap,
      Path setpriv,
      Path prlimit,
      boolean root,
      String bwrapAbsence,
      String taskGroupsAbsence) {
    this.bwrap = bwrap;
    this.setpriv = setpriv;
    this.prlimit = prlimit;
    this.root = root;
    this.bwrapAbsence = bwrapAbsence;
    this.taskGroupsAbsence = taskGroupsAbsence;
  }

  /** Detects what this machine offers; {@code allowBubblewrap=false} forces the plain mode. */
  public static Sandbox detect(boolean allowBubblewrap) {
    return detect(allowBubblewrap, null);
  }

  /**
   * Detects what this machine offers.
   *
   * @param allowBubblewrap false forces the plain mode
   * @param bwrapPath where bubblewrap is; null: looked for on the PATH, then in the system folders
   */
  public static Sandbox detect(boolean allowBubblewrap, Path bwrapPath) {
    boolean root = runsAsRoot();
    Path setpriv = find("setpriv");
    Path prlimit = find("prlimit");
    Path bwrap =
        !allowBubblewrap
            ? null
            : bwrapPath == null ? find("bwrap") : Files.isExecutable(bwrapPath) ? bwrapPath : null;
    String absence = null;
    if (!allowBubblewrap) {
      absence = "bubblewrap is turned off in the configuration";
    } else if (bwrap == null) {
      absence =
          "bubblewrap (bwrap) is not installed" + (bwrapPath == null ? "" : " where configured");
    } else if (!works(bwrap, root ? setpriv : null)) {
      absence =
          "bubblewrap cannot create namespaces here (user namespaces are off, or a container forbids them)";
      bwrap = null;
    }
    return new Sandbox(bwrap, setpriv, prlimit, root, absence, taskGroupsAbsence());
  }

  /** Why workers cannot have a pids cgroup each here, or null when they can. */
  private static String taskGroupsAbsence() {
    try {
      TaskGroups.create().close();
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** This sandbox without the pids cgroups: what a machine that cannot make them gets (tests). */
  Sandbox withoutTaskGroups() {
    return new Sandbox(bwrap, setpriv, prlimit, root, bwrapAbsence, "turned off");
  }

  /** Whether each worker gets a pids cgroup of its own ({@link TaskGroups}). */
  public boolean taskGroups() {
    return taskGroupsAbsence == null;
  }

  /** Whether prlimit bounds the processes and threads of user 65534 (no cgroup does it). */
  private boolean nobodyTasksLimit() {
    return taskGroupsAbsence != null && prlimit != null && unprivilegedUser();
  }

  private static boolean runsAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static Path find(String tool) {
    return Executables.find(tool).orElse(null);
  }

  /** bwrap can make its namespaces here, started the way workers are (as nobody when root). */
  private static boolean works(Path bwrap, Path setpriv) {
    List<String> cmd = new ArrayList<>();
    if (setpriv != null) {
      cmd.addAll(
          List.of(
              setpriv.toString(),
              "--reuid=" + NOBODY,
              "--regid=" + NOBODY,
              "--clear-groups",
              "--no-new-privs"));
    }
    cmd.addAll(
        List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--cap-drop", "ALL"));
    cmd.addAll(SYSTEM_VIEW);
    cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "/usr/bin/true"));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().clear();
      Process p = pb.start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the operating-system wall (bubblewrap) is up. */
  public boolean bubblewrap() {
    return bwrap != null;
  }

  /** Whether workers run as user 65534 (the server runs as root and setpriv exists). */
  public boolean unprivilegedUser() {
    return root && setpriv != null;
  }

  boolean runsAsRootHere() {
    return root;
  }

  /** Why bubblewrap is not up ("bubblewrap (bwrap) is not installed", ...), or null when it is. */
  public String bubblewrapAbsence() {
    return bwrap == null ? bwrapAbsence : null;
  }

  /** Which walls are up, for logs, the runtime's state and the docs. */
  public String description() {
    List<String> walls = new ArrayList<>();
    walls.add("empty environment");
    if (setpriv != null) {
      walls.add(
          root
              ? "setpriv (user 65534, no groups, no new privileges)"
              : "setpriv (no new privileges)");
    }
    if (taskGroups()) {
      walls.add(
          "a pids cgroup per worker (at most "
              + TaskGroups.MAX_TASKS
              + " processes and threads; what a block leaves running is killed with its worker)");
    }
    if (prlimit != null) {
      walls.add(
          "prlimit (address space, CPU time, open files, file size, no core dumps"
              + (nobodyTasksLimit()
                  ? "; at most "
                      + NOBODY_TASKS
                      + " processes and threads of user 65534, all workers together"
                  : "")
              + ")");
    }
    if (bwrap != null) {
      walls.add(
          "bubblewrap (own mount, network, PID, IPC, UTS and user namespaces; only /usr and the"
              + " worker's own files visible, read-only; no capabilities; new session; empty working directory;"
              + " killing a worker ends every process in its PID namespace)");
    } else {
      walls.add("empty working directory");
    }
    walls.add("import allow-list and stripped builtins inside the worker");
    return String.join("; ", walls);
  }

  /** What is not applied on this machine, or null when every wall is up. */
  public String missing() {
    List<String> absent = new ArrayList<>();
    if (bwrap == null) {
      absent.add(
          bwrapAbsence
              + ": workers can see every file the "
              + (root && setpriv != null ? "user nobody" : "server's user")
              + " can read, and the network");
    }
    if (root && setpriv == null) {
      absent.add("setpriv is not installed: workers run as root");
    }
    if (prlimit == null) {
      absent.add("prlimit is not installed: no address-space or CPU limit");
    }
    if (!taskGroups()) {
      absent.add(
          "no pids cgroup per worker ("
              + taskGroupsAbsence
              + "): "
              + (nobodyTasksLimit()
                  ? "the processes and threads of all workers together are bounded, one worker's"
                      + " are not, so one organization's fork bomb can stop other organizations'"
                      + " workers from starting threads until its call times out"
                  : "nothing bounds the processes and threads a worker starts")
              + (bwrap == null
                  ? "; and a process a block detaches from its worker can outlive the worker"
                  : ""));
    }
    return absent.isEmpty() ? null : String.join("; ", absent);
  }

  /**
   * bubblewrap's walls for another kind of worker (the runtime's compile worker, which runs the
   * compiler, not a code block): the same namespaces, read-only system view, empty environment, no
   * capabilities and new session as a Python worker's, and of the host's files only {@code
   * readOnly} (read-only) and {@code writable}, each at its own path. Empty when bubblewrap is not
   * up; the caller puts the process's own command after it.
   *
   * @param java the java executable the process runs (its JDK is shown read-only)
   * @param workDir the process's working folder, one of {@code writable}
   */
  public Optional<List<String>> confine(
      Path java, List<Path> readOnly, List<Path> writable, Path workDir) {
    if (bwrap == null) {
      return Optional.empty();
    }
    List<String> cmd = walls();
    // first: the folders bound below may lie under /tmp, and a later tmpfs would hide them
    cmd.addAll(List.of("--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"));
    cmd.addAll(jdkView(java));
    for (Path p : readOnly) {
      cmd.addAll(List.of("--ro-bind", p.toString(), p.toString()));
    }
    // after the read-only ones: a writable folder inside a read-only one stays writable
    for (Path p : writable) {
      cmd.addAll(List.of("--bind", p.toString(), p.toString()));
    }
    cmd.addAll(List.of("--chdir", workDir.toString(), "--setenv", "MALLOC_ARENA_MAX", "2", "--"));
    return Optional.of(cmd);
  }

  /**
   * The walls every confined worker starts from: new namespaces, no capabilities, a new session, an
   * empty environment and the read-only system view.
   */
  private List<String> walls() {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                bwrap.toString(),
                "--unshare-all",
                "--die-with-parent",
                "--new-session",
                "--clearenv",
                "--cap-drop",
                "ALL"));
    cmd.addAll(SYSTEM_VIEW);
    return cmd;
  }

  /** The JDK that runs the worker, read-only, when the system view does not already hold it. */
  private static List<String> jdkView(Path java) {
    Path javaHome = java.toAbsolutePath().getParent().getParent();
    return javaHome.startsWith("/usr")
        ? List.of()
        : List.of("--ro-bind", javaHome.toString(), javaHome.toString());
  }

  /**
   * The command that starts one worker.
   *
   * @param appDir holds jython.jar and the worker's scripts (readable by everyone)
   * @param workDir an empty directory (the working directory when there is no bubblewrap)
   * @param java the java executable that runs the worker
   * @param script the script to run, in appDir
   * @param group the worker's pids cgroup, or null when there is none
   */
  List<String> command(
      Path appDir,
      Path workDir,
      Path java,
      List<String> javaOptions,
      long memoryBytes,
      long cpuSeconds,
      String script,
      TaskGroups.Group group) {
    List<String> cmd = new ArrayList<>();
    if (setpriv != null) {
      cmd.add(setpriv.toString());
      if (root) {
        cmd.addAll(List.of("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
      }
      cmd.add("--no-new-privs");
      if (bwrap == null) {
        cmd.addAll(List.of("--pdeathsig", "KILL"));
      }
    }
    if (prlimit != null) {
      cmd.addAll(
          List.of(
              prlimit.toString(),
              "--as=" + memoryBytes,
              "--cpu=" + cpuSeconds,
              "--nofile=256",
              "--fsize=16777216",
              "--core=0"));
      if (nobodyTasksLimit()) {
        cmd.add("--nproc=" + NOBODY_TASKS);
      }
    }
    String app = appDir.toString();
    if (bwrap != null) {
      cmd.addAll(walls());
      cmd.addAll(jdkView(java));
      cmd.addAll(
          List.of(
              "--ro-bind",
              app,
              "/app",
              "--tmpfs",
              "/tmp",
              "--proc",
              "/proc",
              "--dev",
              "/dev",
              "--dir",
              "/block",
              "--chdir",
              "/block",
              "--setenv",
              "MALLOC_ARENA_MAX",
              "2",
              "--"));
      app = "/app";
    }
    cmd.add(java.toString());
    cmd.addAll(javaOptions);
    cmd.addAll(List.of("-jar", app + "/jython.jar", "-S", app + "/" + script));
    return group == null ? cmd : group.wrap(cmd);
  }
}
