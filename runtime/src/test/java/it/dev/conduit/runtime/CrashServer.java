package it.dev.conduit.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A second runtime server, as a process of its own that a test may kill (SIGKILL, no shutdown hook
 * runs) and start again on the same data: the integration tests' server configuration (its
 * server.xml, application and libraries, linked), with its own port and output folder.
 */
final class CrashServer implements AutoCloseable {

  static final String NAME = "conduitCrash";

  private final Path wlp;
  private final Path dir;
  private final String name;
  final int port;
  final String base;
  private Process process;

  /**
   * Prepares the server folder, empty of data: the next {@link #start} begins on a new database.
   */
  CrashServer(Path wlp, int port) throws IOException {
    this(wlp, NAME, port, Map.of());
  }

  /**
   * The same, under another server name (several at once), with environment variables set over the
   * model's (a database, Git sources; an empty value removes the variable).
   */
  CrashServer(Path wlp, String name, int port, Map<String, String> environment) throws IOException {
    this.wlp = wlp;
    this.port = port;
    this.name = name;
    this.base = "http://localhost:" + port;
    Path servers = wlp.resolve("usr/servers");
    Path model = servers.resolve(System.getProperty("arquillian.server.name", "conduitIt"));
    dir = servers.resolve(name);
    delete(dir);
    Files.createDirectories(dir);
    Files.copy(model.resolve("server.xml"), dir.resolve("server.xml"));
    Files.copy(model.resolve("jvm.options"), dir.resolve("jvm.options"));
    Files.createSymbolicLink(dir.resolve("apps"), model.resolve("apps").toAbsolutePath());
    Files.createSymbolicLink(dir.resolve("lib"), model.resolve("lib").toAbsolutePath());
    // the model's environment (bundles, key), on this server's port; no Python workers (a
    // quicker start: no test here runs a Python block)
    List<String> env =
        new ArrayList<>(
            Files.readAllLines(model.resolve("server.env")).stream()
                .map(
                    l ->
                        l.startsWith("HTTP_PORT=")
                            ? "HTTP_PORT=" + port
                            : l.startsWith("CONDUIT_PUBLIC_URL=")
                                ? "CONDUIT_PUBLIC_URL=" + base
                                : l)
                .toList());
    env.add("CONDUIT_CODE_PYTHON_WORKERS=0");
    environment.forEach(
        (key, value) -> {
          env.removeIf(l -> l.startsWith(key + "="));
          if (!value.isEmpty()) {
            env.add(key + "=" + value);
          }
        });
    Files.write(dir.resolve("server.env"), env);
  }

  /** Starts the server and waits until it is ready; returns how long that took. */
  Duration start() throws IOException, InterruptedException {
    return start(Duration.ofSeconds(600));
  }

  /** The same, waiting at most {@code within}: several servers starting at once take longer. */
  Duration start(Duration within) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    ProcessBuilder pb =
        new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", name, "--clean")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("run.log").toFile()));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    process = pb.start();
    HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the crash-test server exited with "
                + process.exitValue()
                + ": see "
                + dir.resolve("run.log"));
      }
      if (ready(probe)) {
        return Duration.ofNanos(System.nanoTime() - t0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the crash-test server was not ready after "
            + within.toSeconds()
            + " s: see "
            + dir.resolve("logs/messages.log"));
  }

  private boolean ready(HttpClient probe) {
    try {
      HttpResponse<Void> r =
          probe.send(
              HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** kill -9: the JVM gets no chance to close its database or flush anything. */
  void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
    process = null;
  }

  /** Kills the server; an interrupt while waiting for it to end is passed on, not thrown. */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) { // links are not followed: only the links go
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
