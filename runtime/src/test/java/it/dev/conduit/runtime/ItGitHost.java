package it.dev.conduit.runtime;

import dev.conduit.runtime.gitops.GitHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The integration tests' Git host: Initech's repository (written by {@link ItFixtures}) served over
 * smart HTTP on 127.0.0.1 ({@link ItFixtures#gitPort}) with a token, so the test server follows and
 * pushes to it as to a team's Git host, and its pages show an address that is no folder of this
 * machine (a file:// remote showed this checkout's path, screenshots included). Maven starts it in
 * its own process before the test server; it ends with the Maven process that started it, or after
 * {@link #MAX_HOURS} in any case.
 */
public final class ItGitHost {

  /** Longer than any test run; a host orphaned by a killed build does not outlive it by much. */
  static final int MAX_HOURS = 3;

  private ItGitHost() {}

  /**
   * @param args the integration tests' folder (its initech.git and token), the test server's port
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = ItFixtures.gitPort(Integer.parseInt(args[1]));
    String token = Files.readString(ItFixtures.gitToken(dir)).strip();
    try (GitHttpServer host = new GitHttpServer(dir.resolve("initech.git"), "git", token, port)) {
      System.out.println("[it] Initech's repository served at " + host.url());
      try {
        ProcessHandle.current()
            .parent()
            .orElseThrow(() -> new IllegalStateException("no parent process to follow"))
            .onExit()
            .get(MAX_HOURS, TimeUnit.HOURS);
      } catch (TimeoutException e) {
        System.out.println("[it] Git host stopped after " + MAX_HOURS + " hours");
      }
    } catch (java.net.BindException e) {
      throw new IllegalStateException(
          "the integration tests' Git host cannot listen on 127.0.0.1:"
              + port
              + " (it.http.port + 2): "
              + e.getMessage(),
          e);
    }
  }
}
