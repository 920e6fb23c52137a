package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.gitops.GitSettings.Credentials;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an operator writes in MicroProfile Config becomes sources, or problems naming the key. */
class GitSettingsTest {

  private static GitSettings read(Map<String, String> config) {
    return GitSettings.read(key -> Optional.ofNullable(config.get(key)));
  }

  @Test
  void defaultsApplyAndEachSourceKeepsItsOwnSettings() {
    GitSettings s =
        read(
            Map.of(
                "conduit.git.organizations", " acme , globex",
                "conduit.git.acme.url", "file:///srv/git/acme.git",
                "conduit.git.globex.url", "https://git.example.com/globex/conduit.git",
                "conduit.git.globex.branch", "release",
                "conduit.git.globex.path", "/teams/conduit/",
                "conduit.git.globex.username", "bot",
                "conduit.git.globex.password", "s3cret-token",
                "conduit.git.poll-seconds", "5",
                "conduit.git.fetch-timeout-seconds", "90",
                "conduit.git.webhook-secret", "hook-0123456789abcdef0123456789abcdef"));
    assertEquals(
        List.of("acme", "globex"), s.sources().stream().map(GitSettings.Source::label).toList());
    GitSettings.Source acme = s.source("acme").orElseThrow();
    assertEquals("main", acme.branch());
    assertEquals("refs/heads/main", acme.ref());
    assertEquals("", acme.path());
    assertInstanceOf(Credentials.None.class, acme.credentials());
    GitSettings.Source globex = s.source("globex").orElseThrow();
    assertEquals("release", globex.branch());
    assertEquals("teams/conduit", globex.path());
    assertEquals(new Credentials.Password("bot", "s3cret-token"), globex.credentials());
    assertEquals(5, s.pollSeconds());
    assertEquals(90, s.fetchTimeoutSeconds());
    assertEquals(Optional.of("hook-0123456789abcdef0123456789abcdef"), s.webhookSecret());
    assertTrue(s.problems().isEmpty(), s.problems().toString());
  }

  @Test
  void nothingConfiguredMeansNoGitAndNoProblems() {
    GitSettings s = read(Map.of());
    assertTrue(s.isEmpty());
    assertEquals(GitSettings.DEFAULT_POLL_SECONDS, s.pollSeconds());
    assertEquals(30, s.fetchTimeoutSeconds());
    assertEquals(Optional.empty(), s.webhookSecret());
    assertTrue(s.problems().isEmpty());
  }

  @Test
  void commitsCompileInKeptWarmWorkersByDefaultAndBadCompileSettingsAreNamed() {
    assertEquals(GitSettings.Compile.DEFAULT, read(Map.of()).compile());
    assertEquals(GitSettings.CompileIn.WORKER, GitSettings.Compile.DEFAULT.in());
    GitSettings worker =
        read(
            Map.of(
                "conduit.git.compile-in", "Process",
                "conduit.git.compile-timeout-seconds", "90",
                "conduit.git.compile-worker-heap-mb", "256"));
    assertEquals(new GitSettings.Compile(GitSettings.CompileIn.PROCESS, 90, 256), worker.compile());
    assertTrue(worker.problems().isEmpty(), worker.problems().toString());
    GitSettings bad =
        read(
            Map.of(
                "conduit.git.compile-in", "thread",
                "conduit.git.compile-timeout-seconds", "0",
                "conduit.git.compile-worker-heap-mb", "16"));
    assertEquals(GitSettings.Compile.DEFAULT, bad.compile());
    String all = String.join("\n", bad.problems());
    assertTrue(
        all.contains("conduit.git.compile-in: \"thread\" is not worker, process or server"), all);
    assertTrue(all.contains("conduit.git.compile-timeout-seconds: must be at least 1"), all);
    assertTrue(all.contains("conduit.git.compile-worker-heap-mb: must be at least 64"), all);
  }

  @Test
  void theKeptWarmWorkersPoolAndRestartLimitsAreSettingsAndBadOnesAreNamed() {
    GitSettings.Warm defaults = read(Map.of()).compile().warm();
    assertEquals(GitSettings.Warm.DEFAULT, defaults);
    assertEquals(
        new GitSettings.Warm(2, 100, java.time.Duration.ofHours(1), 75), defaults, "as documented");
    GitSettings set =
        read(
            Map.of(
                "conduit.git.worker.pool", "3",
                "conduit.git.worker.max-commits", "20",
                "conduit.git.worker.max-age-minutes", "15",
                "conduit.git.worker.max-heap-kept-percent", "60"));
    assertEquals(
        new GitSettings.Warm(3, 20, java.time.Duration.ofMinutes(15), 60), set.compile().warm());
    assertTrue(set.problems().isEmpty(), set.problems().toString());

    GitSettings bad =
        read(
            Map.of(
                "conduit.git.worker.pool", "0",
                "conduit.git.worker.max-commits", "many",
                "conduit.git.worker.max-age-minutes", "-5",
                "conduit.git.worker.max-heap-kept-percent", "120"));
    assertEquals(GitSettings.Warm.DEFAULT, bad.compile().warm(), "each bad value: its default");
    String all = String.join("\n", bad.problems());
    assertTrue(all.contains("conduit.git.worker.pool: must be at least 1 (workers), was 0"), all);
    assertTrue(
        all.contains("conduit.git.worker.max-commits: not a whole number of commits: \"many\""),
        all);
    assertTrue(all.contains("conduit.git.worker.max-age-minutes: must be at least 1"), all);
    assertTrue(
        all.contains("conduit.git.worker.max-heap-kept-percent: must be at most 100 (percent)"),
        all);
    assertEquals(4, bad.problems().size(), all);
    assertTrue(
        read(Map.of("conduit.git.worker.pool", "65"))
            .problems()
            .getFirst()
            .startsWith("conduit.git.worker.pool: must be at most 64"));
  }

  @Test
  void aBadSourceIsLeftOutWithItsKeyNamedAndTheOthersStay() {
    GitSettings s =
        read(
            Map.of(
                "conduit.git.organizations", "acme,globex,initech,Bad_Name,acme",
                "conduit.git.acme.url", "file:///srv/git/acme.git",
                "conduit.git.globex.url", "ftp://example.com/x.git",
                "conduit.git.poll-seconds", "soon",
                "conduit.git.fetch-timeout-seconds", "0"));
    assertEquals(List.of("acme"), s.sources().stream().map(GitSettings.Source::label).toList());
    String all = String.join("\n", s.problems());
    assertTrue(all.contains("conduit.git.globex.url: \"ftp://example.com/x.git\""), all);
    assertTrue(all.contains("conduit.git.initech.url: not set"), all);
    assertTrue(all.contains("\"Bad_Name\" is not a usable name"), all);
    assertTrue(all.contains("\"acme\" is listed twice"), all);
    assertTrue(all.contains("conduit.git.poll-seconds: not a whole number"), all);
    assertTrue(all.contains("conduit.git.fetch-timeout-seconds: must be at least 1"), all);
    assertEquals(GitSettings.DEFAULT_POLL_SECONDS, s.pollSeconds());
    assertEquals(GitSettings.DEFAULT_FETCH_TIMEOUT_SECONDS, s.fetchTimeoutSeconds());
  }

  @Test
  void secretsNeverShowInTextOrProblems() {
    GitSettings s =
        read(
            Map.of(
                "conduit.git.organizations", "acme,globex,initech",
                "conduit.git.acme.url", "https://bot:hunter2@git.example.com/acme.git",
                "conduit.git.globex.url", "ssh://git@git.example.com/globex.git",
                "conduit.git.globex.ssh-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAkey",
                "conduit.git.globex.ssh-passphrase", "pass-phrase-7",
                "conduit.git.globex.ssh-known-hosts", "git.example.com ssh-ed25519 AAAAC3host",
                "conduit.git.initech.url", "https://git.example.com/initech.git",
                "conduit.git.initech.password", "tok-123",
                "conduit.git.webhook-secret", "whsec-9-0123456789abcdef0123456789abcdef"));
    String text = s.toString();
    for (String secret :
        new String[] {
          "hunter2", "AAAAkey", "pass-phrase-7", "tok-123", "whsec-9-0123456789abcdef"
        }) {
      assertFalse(text.contains(secret), text);
    }
    assertTrue(text.contains("conduit.git.acme.url: holds a password"), text);
    assertInstanceOf(Credentials.SshKey.class, s.source("globex").orElseThrow().credentials());
    assertEquals(
        new Credentials.Password("git", "tok-123"),
        s.source("initech").orElseThrow().credentials());
  }

  @Test
  void anSshSourceNeedsAKeyAndTheServersHostKey() {
    GitSettings s =
        read(
            Map.of(
                "conduit.git.organizations", "acme,globex,initech",
                "conduit.git.acme.url", "ssh://git@git.example.com/acme.git",
                "conduit.git.globex.url", "ssh://git@git.example.com/globex.git",
                "conduit.git.globex.ssh-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAkey",
                "conduit.git.initech.url", "https://git.example.com/initech.git",
                "conduit.git.initech.ssh-known-hosts", "git.example.com ssh-ed25519 AAAAC3host"));
    assertTrue(s.isEmpty(), s.toString());
    assertTrue(
        s.problems()
            .contains(
                "conduit.git.acme.ssh-key: not set; an ssh:// url needs a private key (a Config"
                    + " secret)"),
        s.problems().toString());
    assertTrue(
        s.problems().stream().anyMatch(p -> p.startsWith("conduit.git.globex.ssh-known-hosts")),
        s.problems().toString());
    assertTrue(
        s.problems()
            .contains(
                "conduit.git.initech.ssh-known-hosts: set without conduit.git.initech.ssh-key"),
        s.problems().toString());
  }

  @Test
  void aPathThatLeavesTheRepositoryOrAKeyForHttpsIsRefused() {
    GitSettings s =
        read(
            Map.of(
                "conduit.git.organizations", "acme,globex",
                "conduit.git.acme.url", "file:///srv/git/acme.git",
                "conduit.git.acme.path", "../other",
                "conduit.git.globex.url", "https://git.example.com/globex.git",
                "conduit.git.globex.ssh-key", "key"));
    assertTrue(s.isEmpty());
    String all = String.join("\n", s.problems());
    assertTrue(all.contains("conduit.git.acme.path: \"../other\" leaves the repository"), all);
    assertTrue(all.contains("conduit.git.globex.ssh-key: the url is not ssh://"), all);
  }

  @Test
  void aWebhookSecretUnder32CharactersIsNotUsedAndSaysWhyWithoutShowingIt() {
    GitSettings s = read(Map.of("conduit.git.webhook-secret", "short-secret-31-characters-long"));
    assertEquals(Optional.empty(), s.webhookSecret(), "the webhook stays off");
    String all = String.join("\n", s.problems());
    assertTrue(
        all.contains("conduit.git.webhook-secret: 31 characters; it must have at least 32"), all);
    assertFalse(all.contains("short-secret"), all);
    assertTrue(
        GitSettings.weakWebhookSecret(Optional.of("x".repeat(32))).isEmpty(), "32 is enough");
    assertTrue(GitSettings.weakWebhookSecret(Optional.of("x".repeat(31))).isPresent());
  }
}
