package dev.conduit.runtime.gitops;

import dev.conduit.code.host.Executables;
import dev.conduit.code.python.Sandbox;
import dev.conduit.compiler.worker.CompileWorker;
import dev.conduit.runtime.gitops.CompileWorkerProcess.Unavailable;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How a compile worker JVM is started, for both kinds ({@link CompileWorkerProcess}, one per
 * commit; {@link WarmCompileWorker}, kept warm): the server's own JDK at nice {@value
 * BackgroundPriority#NICE}, a bounded heap and the serial collector, an empty environment, a
 * private folder (0700) as its working folder, its home and its temporary folder. Where bubblewrap
 * works ({@link Sandbox#confine}) the worker also sees nothing of the host's files but the system,
 * its JDK and class path (read-only), its organization's copy and the library (read-only), and its
 * private folder and its organization's code-check cache (writable), and has no network.
 */
final class WorkerLaunch {

  private final Optional<Path> library;
  private final Sandbox sandbox;

  WorkerLaunch(Optional<Path> library, Sandbox sandbox) {
    this.library = library;
    this.sandbox = sandbox;
  }

  /** Whether workers are confined by bubblewrap here. */
  boolean confined() {
    return sandbox.bubblewrap();
  }

  /** Whether workers are confined by bubblewrap here, or why not (for admins). */
  String confinement() {
    return sandbox.bubblewrap()
        ? "bubblewrap: no network, only its organization's copy visible"
        : "not confined: " + sandbox.bubblewrapAbsence();
  }

  /**
   * The whole command of a worker of {@code mirror}'s source answering in {@code dir}, with the
   * worker's own {@code arguments} after the ones every worker gets; its class path goes in an
   * argument file in {@code dir} (a test's class path is longer than the kernel shows of a command
   * line).
   */
  List<String> command(
      GitMirror mirror, Path dir, GitSettings.Compile settings, List<String> arguments)
      throws Unavailable, IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new Unavailable("this JVM's java command is not known"));
    List<Path> classPath = classPath();
    // the worker runs in its private folder: every path it is given is absolute (a work folder
    // configured as a relative path made the worker miss its own argument file)
    Path gitDir = mirror.repository().getDirectory().toPath().toAbsolutePath();
    Path codeChecks = Files.createDirectories(gitDir.resolve("code-checks"));
    List<String> c = new ArrayList<>();
    int nice = BackgroundPriority.NICE - BackgroundPriority.currentNice().orElse(0);
    Optional<Path> niceCommand = Executables.find("nice");
    if (niceCommand.isPresent() && nice > 0) {
      // a thread already niced (GitOps' own) passes its nice value on: nice adds to it
      c.addAll(List.of(niceCommand.get().toString(), "-n", Integer.toString(nice)));
    }
    List<Path> readOnly = new ArrayList<>(classPath);
    readOnly.add(gitDir);
    library.map(WorkerLaunch::libraryPaths).ifPresent(readOnly::addAll);
    sandbox.confine(Path.of(java), readOnly, List.of(dir, codeChecks), dir).ifPresent(c::addAll);
    c.add(java);
    c.add("-Xmx" + settings.workerHeapMb() + "m");
    // one GC thread, no concurrent ones: the worker must stay small
    c.add("-XX:+UseSerialGC");
    // a worker past its heap ends (and is started again) rather than limping on
    c.add("-XX:+ExitOnOutOfMemoryError");
    c.add("-XX:-UsePerfData");
    c.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
    c.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      c.add("--sun-misc-unsafe-memory-access=allow");
    }
    c.add("-Djava.io.tmpdir=" + dir);
    c.add("-Duser.home=" + dir);
    Path options = dir.resolve("java-options");
    Files.writeString(
        options,
        "-cp\n\""
            + quoted(
                classPath.stream()
                    .map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator)))
            + "\"\n");
    c.add("@" + options);
    c.add(CompileWorker.class.getName());
    c.addAll(arguments);
    GitSettings.Source source = mirror.source();
    c.addAll(List.of("--git-dir", gitDir.toString()));
    if (!source.path().isEmpty()) {
      c.addAll(List.of("--path", source.path()));
    }
    source.organization().ifPresent(o -> c.addAll(List.of("--organization", o)));
    library.ifPresent(l -> c.addAll(List.of("--library", l.toAbsolutePath().toString())));
    // this source's own cache: unchanged code files start no engine in the next worker
    c.addAll(List.of("--code-checks", codeChecks.toString()));
    return c;
  }

  /**
   * What of the library a worker must see to read it as the server does: the folder, and where its
   * links lead (a library assembled from links, or mounted as a Kubernetes ConfigMap is, has its
   * files elsewhere; bubblewrap shows a link but not what it points to unless that is bound too,
   * and the worker would find no entry where the server finds one). Links leading nowhere are left
   * out: the server does not see those either.
   */
  static List<Path> libraryPaths(Path library) {
    Path root = library.toAbsolutePath().normalize();
    List<Path> paths = new ArrayList<>(List.of(root));
    // the library's own folder may be a link too: its files are read where it leads
    Path real = target(root).orElse(root);
    if (!real.equals(root)) {
      paths.add(real);
    }
    try (Stream<Path> walk = Files.walk(real)) {
      walk.filter(Files::isSymbolicLink)
          .map(WorkerLaunch::target)
          .flatMap(Optional::stream)
          .filter(t -> paths.stream().noneMatch(t::startsWith)) // also drops a repeated target
          .forEach(paths::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      // an unreadable library: the worker reports what it cannot read, as the server would
    }
    return paths;
  }

  private static Optional<Path> target(Path link) {
    try {
      return Optional.of(link.toRealPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A worker's process builder: the empty environment, its private folder. */
  static ProcessBuilder builder(List<String> command, Path dir) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear(); // no setting of the server's, no secret, crosses
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    return pb;
  }

  /** For a double-quoted argument file value: backslashes and quotes escaped. */
  private static String quoted(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * The compiler's class path: this JVM's own when the compiler is on it (tests, tools); in a
   * server, the folder of the compiler's jar, which holds every library the application uses
   * (Liberty's shared library, server.xml).
   */
  static List<Path> classPath() throws Unavailable {
    Path code;
    try {
      code =
          Path.of(CompileWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new Unavailable("the compiler's jar cannot be found: " + e);
    }
    String own = System.getProperty("java.class.path", "");
    List<Path> entries =
        Arrays.stream(own.split(File.pathSeparator))
            .filter(e -> !e.isEmpty())
            .map(e -> Path.of(e).toAbsolutePath().normalize())
            .filter(Files::exists) // bubblewrap cannot show what is not there
            .toList();
    if (entries.contains(code.toAbsolutePath().normalize())) {
      return entries;
    }
    if (Files.isRegularFile(code)) {
      try (Stream<Path> jars = Files.list(code.getParent())) {
        return jars.filter(j -> j.getFileName().toString().endsWith(".jar"))
            .map(Path::toAbsolutePath)
            .sorted()
            .toList();
      } catch (IOException e) {
        throw new Unavailable("cannot list the libraries beside " + code + ": " + e.getMessage());
      }
    }
    throw new Unavailable("the compiler is loaded from " + code + ", not from a jar");
  }
}
