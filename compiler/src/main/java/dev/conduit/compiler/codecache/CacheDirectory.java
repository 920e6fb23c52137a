package dev.conduit.compiler.codecache;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the code-check cache lives: {@code CONDUIT_CACHE} (a directory, or {@code off} for none),
 * else {@code $XDG_CACHE_HOME/conduit} (the XDG base directory rule: only an absolute path counts),
 * else {@code ~/.cache/conduit}; the checks in its {@code code-checks} folder.
 */
public final class CacheDirectory {

  private CacheDirectory() {}

  /**
   * @param env the environment ({@code System.getenv()})
   * @param home the user's home ({@code user.home})
   */
  public static Optional<Path> codeChecks(Map<String, String> env, String home) {
    String conduit = env.getOrDefault("CONDUIT_CACHE", "");
    if (conduit.equals("off")) {
      return Optional.empty();
    }
    if (!conduit.isEmpty()) {
      return Optional.of(Path.of(conduit, "code-checks"));
    }
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    if (!xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg, "conduit", "code-checks"));
    }
    if (home == null || home.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Path.of(home, ".cache", "conduit", "code-checks"));
  }
}
