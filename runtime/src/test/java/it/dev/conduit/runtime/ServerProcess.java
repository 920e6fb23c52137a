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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One more runtime server, as a process of its own that a test starts, may kill (SIGKILL, no
 * shutdown hook runs) and start again on the same data: the integration tests' server configuration
 * (its server.xml, application and libraries, linked) under another name, with its own port, output
 * folder and environment (e.g. a shared PostgreSQL instead of its own H2).
 */
final class ServerProcess implements AutoCloseable {

  private final Path wlp;
  private final String name;
  private final Path dir;
  final int port;
  final String base;
  private Process process;

  /** A server of the tests' Liberty installation (failsafe's arquillian.wlp.home). */
  static ServerProcess of(String name, int port, Map<String, String> environment)
      throws IOException {
    return new ServerProcess(
        Path.of(System.getProperty("arquillian.wlp.home")), name, port, environment);
  }

  /**
   * Prepares the server folder, empty of data: the next {@link #start} begins on a new embedded
   * database (unless {@code environment} names another one).
   *
   * @param environment settings added to the test server's (they win over its own)
   */
  ServerProcess(Path wlp, String name, int port, Map<String, String> environment)
      throws IOException {
    this.wlp = wlp;
    this.name = name;
    this.port = port;
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
    // the model's environment (bundles, key), on this server's port and address; no Python
    // workers (a quicker start: no test of a second server runs a Python block); settings in {@code
    // environment} win (an empty value removes one)
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(model.resolve("server.env"))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    env.put("HTTP_PORT", String.valueOf(port));
    env.put("HTTPS_PORT", "-1"); // the model server's HTTPS port is taken by the model server
    env.put("CONDUIT_PUBLIC_URL", base);
    env.put("CONDUIT_CODE_PYTHON_WORKERS", "0");
    // an empty value removes the variable (e.g. the model's Git sources)
    environment.forEach(
        (key, value) -> {
          if (value.isEmpty()) {
            env.remove(key);
          } else {
            env.put(key, value);
          }
        });
    List<String> lines = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    Files.write(dir.resolve("server.env"), lines);
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
            "the server "
                + name
                + " exited with "
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
        "the server "
            + name
            + " was not ready after "
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

  /** The processes the server started (its JVM's children and theirs), while it runs. */
  Stream<ProcessHandle> descendants() {
    return process == null ? Stream.empty() : process.descendants();
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
