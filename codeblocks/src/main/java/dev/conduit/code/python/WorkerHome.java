package dev.conduit.code.python;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder workers run from: a temporary folder holding only the jython jar (hard-linked, or
 * copied) and the worker's Python modules, readable by everyone (a worker may run as user 65534),
 * and an empty working directory. Bubblewrap binds this folder alone, read-only, at /app.
 */
final class WorkerHome implements AutoCloseable {

  /** The script a worker runs: its request loop. */
  static final String WORKER = "conduit_worker.py";

  /** What the worker script imports from beside it (resources of this package). */
  private static final List<String> MODULES =
      List.of(
          "conduit_walls.py",
          "conduit_guard.py",
          "conduit_blocks.py",
          "conduit_helpers.py",
          "conduit_results.py");

  final Path appDir;
  final Path workDir;

  WorkerHome(Path jythonJar) throws IOException {
    this.appDir = Files.createTempDirectory("conduit-python-");
    this.workDir = Files.createDirectories(appDir.resolve("work"));
    Path jar = appDir.resolve("jython.jar");
    try {
      Files.createLink(jar, jythonJar); // same file system: no 40 MB copy
      if (!Files.getPosixFilePermissions(jar).contains(PosixFilePermission.OTHERS_READ)) {
        Files.delete(jar);
        throw new IOException("not readable by others");
      }
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(jythonJar, jar, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    }
    for (String script : Stream.concat(Stream.of(WORKER), MODULES.stream()).toList()) {
      try (InputStream in =
          WorkerHome.class.getResourceAsStream("/dev/conduit/code/python/" + script)) {
        Files.copy(in, appDir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(
          appDir.resolve(script), PosixFilePermissions.fromString("rw-r--r--"));
    }
    // the worker may run as nobody: it must be able to read its own files, and nothing else here
    Files.setPosixFilePermissions(appDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  /** Where the jython jar is: the jar this class path loaded Jython from, or null. */
  static Path jythonJarOnClassPath() {
    try {
      var location =
          Class.forName("org.python.util.jython")
              .getProtectionDomain()
              .getCodeSource()
              .getLocation();
      Path p = Path.of(location.toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (ClassNotFoundException
        | URISyntaxException
        | IllegalArgumentException
        | NullPointerException
        | SecurityException
        | java.nio.file.FileSystemNotFoundException e) {
      return null;
    }
  }

  /** Puts a script next to the worker's (the probe the tests run), readable by the worker. */
  void addScript(String name, String text) throws IOException {
    Path file = appDir.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(appDir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // left in the temporary directory
                }
              });
    } catch (IOException e) {
      // left in the temporary directory
    }
  }
}
