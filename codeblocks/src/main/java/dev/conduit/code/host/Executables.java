package dev.conduit.code.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where an executable of this machine is ({@code bwrap}, {@code nice}, {@code setpriv}, ...): the
 * one lookup that the Python workers' sandbox and the runtime's compile workers share. It lives in
 * a package of its own that imports nothing of Conduit's, so that both can use it without a package
 * cycle.
 */
public final class Executables {

  /**
   * Searched after the PATH: a server started with an empty or a short PATH (a service manager's)
   * still finds the system's own tools.
   */
  private static final List<String> SYSTEM_FOLDERS =
      List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

  private Executables() {}

  /** The first executable file {@code name} in the PATH's folders, then the system folders. */
  public static Optional<Path> find(String name) {
    return find(name, System.getenv("PATH"));
  }

  static Optional<Path> find(String name, String path) {
    List<String> folders = new ArrayList<>();
    if (path != null) {
      folders.addAll(List.of(path.split(File.pathSeparator)));
    }
    folders.addAll(SYSTEM_FOLDERS);
    for (String folder : folders) {
      // a relative entry ("", ".") would find whatever the working folder holds under that name
      if (folder.isEmpty() || !Path.of(folder).isAbsolute()) {
        continue;
      }
      Path candidate = Path.of(folder, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
