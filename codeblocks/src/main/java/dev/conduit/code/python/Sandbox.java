package dev.conduit.code.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * How Python workers are confined by the operating system, detected once: bubblewrap (no view
 * of the host's files, no network, no capabilities, a new session), setpriv to an unprivileged
 * user when the runtime runs as root, prlimit for address space and CPU time. What the machine
 * lacks is left out and said once in the log; {@link #description()} tells which walls are up.
 */
public final class Sandbox {

  private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());

  private final Path bwrap;
  private final Path setpriv;
  private final Path prlimit;
  private final boolean root;

  private Sandbox(Path bwrap, Path setpriv, Path prlimit, boolean root) {
    this.bwrap = bwrap;
    this.setpriv = setpriv;
    this.prlimit = prlimit;
    this.root = root;
  }

  /** Detects what this machine offers; {@code allowBubblewrap=false} forces the plain mode. */
  public static Sandbox detect(boolean allowBubblewrap) {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path bwrap = allowBubblewrap ? usable(find("bwrap")) : null;
    Path setpriv = find("setpriv");
    Path prlimit = find("prlimit");
    Sandbox s = new Sandbox(bwrap, root ? setpriv : null, prlimit, root);
    if (bwrap == null) {
      LOG.warning("Python code blocks run WITHOUT operating-system confinement (bubblewrap is "
          + (allowBubblewrap ? "missing or user namespaces are off" : "turned off")
          + "): only an empty environment, an empty working directory"
          + (prlimit != null ? ", memory and CPU limits" : "") + " and the worker's import allow-list apply");
    }
    return s;
  }

  private static Path find(String tool) {
    for (String dir : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"}) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** bwrap exists and can make namespaces here (containers may forbid it). */
  private static Path usable(Path bwrap) {
    if (bwrap == null) {
      return null;
    }
    try {
      Process p = new ProcessBuilder(bwrap.toString(), "--unshare-all", "--ro-bind", "/usr", "/usr",
          "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
          "--proc", "/proc", "--dev", "/dev", "/usr/bin/true").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? bwrap : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  public boolean bubblewrap() {
    return bwrap != null;
  }

  /** Which walls are up, for logs and the runtime's state. */
  public String description() {
    List<String> walls = new ArrayList<>();
    if (bwrap != null) {
      walls.add("bubblewrap (own mount, network, PID, IPC and user namespaces; only /usr and the worker's files visible; no capabilities)");
    }
    if (setpriv != null) {
      walls.add("setpriv (runs as nobody)");
    }
    if (prlimit != null) {
      walls.add("prlimit (address space and CPU time)");
    }
    walls.add("empty environment and working directory");
    walls.add("import allow-list and stripped builtins inside the worker");
    return String.join("; ", walls);
  }

  /**
   * The command that starts one worker.
   *
   * @param appDir holds jython.jar and conduit_worker.py (readable by everyone)
   * @param javaHome the JDK that runs the worker
   * @param javaOptions the worker JVM's options
   */
  List<String> command(Path appDir, Path javaHome, List<String> javaOptions, long memoryBytes, long cpuSeconds) {
    List<String> cmd = new ArrayList<>();
    if (setpriv != null && bwrap != null) {
      cmd.addAll(List.of(setpriv.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    }
    if (prlimit != null) {
      cmd.addAll(List.of(prlimit.toString(), "--as=" + memoryBytes, "--cpu=" + cpuSeconds));
    }
    Path java = javaHome.resolve("bin/java");
    String app = appDir.toString();
    if (bwrap != null) {
      cmd.addAll(List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
          "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
          "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin"));
      if (!javaHome.toAbsolutePath().startsWith("/usr")) {
        cmd.addAll(List.of("--ro-bind", javaHome.toString(), javaHome.toString()));
      }
      cmd.addAll(List.of("--ro-bind", app, "/app", "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev",
          "--chdir", "/app", "--setenv", "MALLOC_ARENA_MAX", "2"));
      app = "/app";
    }
    cmd.add(java.toString());
    cmd.addAll(javaOptions);
    cmd.addAll(List.of("-jar", app + "/jython.jar", "-S", app + "/conduit_worker.py"));
    return cmd;
  }

  boolean runsAsRoot() {
    return root;
  }
}
