package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ssh:// source (docs/gitops.md, Limits): the fetch fails at once with a reason an admin can act
 * on, without reaching the remote, and the private key shows nowhere in it.
 */
class GitMirrorSshTest {

  @Test
  void anSshRemoteIsRefusedWithTheReasonAndNothingIsSent(@TempDir Path dir) throws IOException {
    // a listening "ssh server" that records whether anyone connected
    try (ServerSocket remote = new ServerSocket(0)) {
      GitSettings s =
          GitSettings.read(
              key ->
                  Optional.ofNullable(
                      Map.of(
                              "conduit.git.organizations", "globex",
                              "conduit.git.globex.url",
                                  "ssh://git@127.0.0.1:" + remote.getLocalPort() + "/globex.git",
                              "conduit.git.globex.ssh-key",
                                  "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecretkey")
                          .get(key)));
      assertTrue(s.problems().isEmpty(), s.problems().toString());
      try (GitMirror mirror = new GitMirror(s.source("globex").orElseThrow(), dir)) {
        GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
        assertTrue(
            e.getMessage().contains("ssh:// remotes need JGit's SSH transport"), e.getMessage());
        assertTrue(e.getMessage().contains("https://"), "says what to use instead");
        assertTrue(!e.getMessage().contains("AAAAsecretkey"), e.getMessage());
      }
      remote.setSoTimeout(200);
      assertEquals(
          SocketTimeoutException.class,
          assertThrows(IOException.class, remote::accept).getClass(),
          "nothing connected to the remote");
    }
  }
}
