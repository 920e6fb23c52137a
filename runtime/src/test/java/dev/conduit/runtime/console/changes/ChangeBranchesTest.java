package dev.conduit.runtime.console.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.cli.JsonFileEdit;
import dev.conduit.runtime.gitops.GitHttpServer;
import dev.conduit.runtime.gitops.GitSettings;
import dev.conduit.runtime.gitops.GitSshServer;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console edit becomes a commit on a new branch of a real Git remote (a bare repository reached
 * over file://, as the runtime reaches any remote): the visible value set, the hidden one sealed to
 * the organization's key and opening to what was typed (never in plaintext in the commit), the
 * grant added; the branch validated and diffed by the compiler; main untouched; a stale page and
 * another organization refused with nothing pushed.
 */
class ChangeBranchesTest {

  static final String ACME = ExampleRemote.ACME;
  static final Path EXAMPLE = ExampleRemote.EXAMPLE;
  static final Path DEMO_KEY = EXAMPLE.resolve("demo-keys/runtime-key.DEMO-ONLY.json");

  @TempDir Path tmp;
  Path remote;
  GitSettings.Source source;
  ChangeBranches changes;

  @BeforeEach
  void remoteWithTheExampleOrganization() throws Exception {
    ExampleRemote example = ExampleRemote.in(tmp);
    remote = example.remote;
    source = example.source;
    changes = new ChangeBranches(new Compiler(CodeSyntaxes.engines()), ExampleRemote.CLOCK);
  }

  @Test
  void anEditBecomesAValidatedCommitOnANewBranchWithTheHiddenValueSealed() throws Exception {
    String base = changes.head(source);
    ChangeBranches.Proposal p =
        propose(
            ACME,
            "alice",
            "Alice Chen",
            demoEdit(base, "demo-client-2", "n3w-s3cret-value", List.of("demo-app", "sales-crm")));

    assertEquals("console/alice-20261202-113000-" + p.commit().substring(0, 8), p.branch());
    assertEquals(base, p.baseCommit());
    assertTrue(p.valid(), p.problems().toString());
    assertTrue(p.diff().contains("sales-crm"), p.diff());
    assertTrue(p.diff().contains("demo"), p.diff());

    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(base, repo.resolve("refs/heads/main").name(), "main is left alone");
      ObjectId head = repo.resolve("refs/heads/" + p.branch());
      assertNotNull(head, "the branch reached the remote");
      assertEquals(p.commit(), head.name());
      RevCommit commit;
      try (RevWalk walk = new RevWalk(repo)) {
        commit = walk.parseCommit(head);
      }
      assertEquals(base, commit.getParent(0).name());
      assertEquals("Alice Chen", commit.getAuthorIdent().getName());
      assertTrue(
          commit
              .getFullMessage()
              .startsWith(
                  "demo: edit the connection; seal a new client_secret; grant demo-app, sales-crm"),
          commit.getFullMessage());
      String connection = file(repo, commit, "connections/demo/connection.json");
      assertFalse(connection.contains("n3w-s3cret-value"), "no plaintext in the commit");
      assertFalse(commit.getFullMessage().contains("n3w-s3cret-value"));
      assertTrue(connection.contains("\"value\": \"demo-client-2\""), connection);
      Matcher sealed =
          Pattern.compile("\"sealed\": \"(sealed:v2:" + ACME + "/demo/client_secret:[^\"]+)\"")
              .matcher(connection);
      assertTrue(sealed.find(), connection);
      assertEquals(
          "n3w-s3cret-value",
          new Opener(Files.readString(DEMO_KEY))
              .open(sealed.group(1), new SealContext(ACME, "demo", "client_secret")),
          "the runtime's key opens it, in its place");
      String grants = file(repo, commit, "connections/demo/grants.json");
      assertTrue(grants.contains("\"grantedBy\": \"alice\""), grants);
      assertTrue(grants.contains("\"note\": \"The README quickstart.\""), "kept: " + grants);
      assertEquals(
          Files.readString(EXAMPLE.resolve("connections/demo/apis/get-weather.json")),
          file(repo, commit, "connections/demo/apis/get-weather.json"),
          "other files unchanged");
    }
  }

  @Test
  void aReviewBranchIsPushedOverSshWithTheSourcesKeyAndAnUnknownHostIsRefused() throws Exception {
    try (GitSshServer ssh = new GitSshServer(remote)) {
      Map<String, String> config = new HashMap<>();
      config.put("conduit.git.organizations", "acme");
      config.put("conduit.git.acme.url", ssh.url());
      config.put("conduit.git.acme.ssh-key", ssh.clientPrivateKey());
      config.put("conduit.git.acme.ssh-known-hosts", ssh.knownHosts());
      source =
          GitSettings.read(k -> Optional.ofNullable(config.get(k))).source("acme").orElseThrow();
      String base = changes.head(source);
      ChangeBranches.Proposal p =
          propose(
              ACME,
              "alice",
              "Alice Chen",
              demoEdit(base, "demo-client-2", "s3", List.of("demo-app")));
      assertTrue(p.valid(), p.problems().toString());
      try (Repository repo = Git.open(remote.toFile()).getRepository()) {
        ObjectId head = repo.resolve("refs/heads/" + p.branch());
        assertNotNull(head, "the branch reached the remote over ssh");
        assertEquals(p.commit(), head.name());
        assertEquals(base, repo.resolve("refs/heads/main").name(), "main is left alone");
      }
      assertEquals(1, ssh.receives(), "one push, through the ssh server");

      // the same strict host key check as GitOps: a server the settings do not name is refused
      config.put(
          "conduit.git.acme.ssh-known-hosts",
          ssh.knownHosts().replace("[127.0.0.1]", "[git.example.com]"));
      GitSettings.Source stranger =
          GitSettings.read(k -> Optional.ofNullable(config.get(k))).source("acme").orElseThrow();
      ChangeBranches.Refused e =
          assertThrows(ChangeBranches.Refused.class, () -> changes.head(stranger));
      assertTrue(e.getMessage().startsWith("cannot reach the repository of acme"), e.getMessage());
      assertEquals(1, ssh.receives());
    }
  }

  @Test
  void aReviewBranchIsPushedOverHttpWithTheSourcesToken() throws Exception {
    String token = "glpat-ReviewBranchT0ken";
    try (GitHttpServer http = new GitHttpServer(remote, "git", token)) {
      Map<String, String> config = new HashMap<>();
      config.put("conduit.git.organizations", "acme");
      config.put("conduit.git.acme.url", http.url());
      config.put("conduit.git.acme.password", token);
      source =
          GitSettings.read(k -> Optional.ofNullable(config.get(k))).source("acme").orElseThrow();
      String base = changes.head(source);
      ChangeBranches.Proposal p =
          propose(
              ACME,
              "alice",
              "Alice Chen",
              demoEdit(base, "demo-client-2", "s3", List.of("demo-app")));
      assertTrue(p.valid(), p.problems().toString());
      try (Repository repo = Git.open(remote.toFile()).getRepository()) {
        ObjectId head = repo.resolve("refs/heads/" + p.branch());
        assertNotNull(head, "the branch reached the remote over http");
        assertEquals(p.commit(), head.name());
        assertEquals(base, repo.resolve("refs/heads/main").name(), "main is left alone");
      }

      config.put("conduit.git.acme.password", "glpat-Revoked");
      GitSettings.Source revoked =
          GitSettings.read(k -> Optional.ofNullable(config.get(k))).source("acme").orElseThrow();
      ChangeBranches.Refused e =
          assertThrows(ChangeBranches.Refused.class, () -> changes.head(revoked));
      assertTrue(e.getMessage().startsWith("cannot reach the repository of acme"), e.getMessage());
    }
  }

  @Test
  void aStalePageIsRefusedBeforeAnythingIsWritten() throws Exception {
    String base = changes.head(source);
    String moved = ObjectId.zeroId().name();
    ChangeBranches.Refused r =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> propose(ACME, "alice", null, demoEdit(moved, "x", null, null)));
    assertTrue(r.stale());
    assertTrue(r.getMessage().contains("moved on"), r.getMessage());
    assertTrue(r.getMessage().contains(base.substring(0, 10)), r.getMessage());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(
          List.of("refs/heads/main"),
          repo.getRefDatabase().getRefsByPrefix("refs/heads/").stream()
              .map(org.eclipse.jgit.lib.Ref::getName)
              .toList(),
          "only main: no branch pushed");
    }
  }

  @Test
  void anotherOrganizationsRepositoryNoChangeOrATakenIdIsRefusedAndNothingPushed()
      throws Exception {
    String base = changes.head(source);
    ChangeBranches.Refused other =
        assertThrows(
            ChangeBranches.Refused.class,
            () ->
                propose(
                    "dc6b3b43-bd3c-4214-a71f-aae77ae271f7",
                    "carol",
                    null,
                    demoEdit(base, "x", null, null)));
    assertFalse(other.stale());
    assertTrue(other.getMessage().contains("not the organization"), other.getMessage());
    ChangeBranches.Refused same =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> propose(ACME, "alice", null, demoEdit(base, "demo-client", null, null)));
    assertTrue(same.getMessage().contains("nothing was changed"), same.getMessage());
    ConnectionDraft taken =
        new ConnectionDraft(
            "demo",
            true,
            base,
            JsonFileEdit.mapper().createObjectNode().put("name", "Another demo"),
            JsonFileEdit.mapper().createObjectNode(),
            JsonFileEdit.mapper().createObjectNode().put("type", "none"),
            List.of(),
            null,
            "alice");
    ChangeBranches.Refused exists =
        assertThrows(ChangeBranches.Refused.class, () -> propose(ACME, "alice", null, taken));
    assertEquals("id", exists.field());
    assertTrue(exists.getMessage().contains("already a connection demo"), exists.getMessage());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(1, repo.getRefDatabase().getRefsByPrefix("refs/heads/").size(), "only main");
    }
  }

  @Test
  void aChangeWithErrorsIsNotPushedAndSaysWhereTheErrorsAre() throws Exception {
    String base = changes.head(source);
    ConnectionDraft d = demoEdit(base, "demo-client", null, null);
    ConnectionDraft unknownOwner =
        new ConnectionDraft(
            d.connectionId(),
            false,
            base,
            JsonFileEdit.mapper().createObjectNode().put("owner", "nobody-here"),
            d.notifications(),
            d.auth(),
            d.parameters(),
            null,
            "alice");
    ChangeBranches.Proposal p = propose(ACME, "alice", null, unknownOwner);
    assertFalse(p.valid());
    assertFalse(p.valid());
    assertTrue(
        p.diagnostics().stream()
            .anyMatch(
                x ->
                    x.isError()
                        && x.file().equals("connections/demo/connection.json")
                        && x.pointer().equals("/owner")),
        p.problems().toString());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(1, repo.getRefDatabase().getRefsByPrefix("refs/heads/").size(), "only main");
    }
  }

  /** The demo connection as the console's form gives it back, with these changes. */
  @Test
  void twoProposalsInTheSameSecondAreBothPushed() throws Exception {
    String base = changes.head(source); // the clock is fixed: both are made in the same second
    var first = propose(ACME, "alice", null, demoEdit(base, "demo-client-2", null, null));
    var second = propose(ACME, "alice", null, demoEdit(base, "demo-client-3", null, null));
    assertFalse(first.branch().equals(second.branch()), first.branch());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(first.commit(), repo.resolve("refs/heads/" + first.branch()).name());
      assertEquals(second.commit(), repo.resolve("refs/heads/" + second.branch()).name());
    }
  }

  private static ConnectionDraft demoEdit(
      String base, String clientId, String newSecret, List<String> grants) {
    var m = JsonFileEdit.mapper();
    return new ConnectionDraft(
        "demo",
        false,
        base,
        m.createObjectNode(),
        m.createObjectNode(),
        null,
        List.of(
            new ConnectionDraft.Parameter(
                "base_url",
                "base_url",
                m.createObjectNode()
                    .put("hidden", false)
                    .put("value", "http://127.0.0.1:9080/demo-upstream"),
                null),
            new ConnectionDraft.Parameter(
                "client_id",
                "client_id",
                m.createObjectNode().put("hidden", false).put("value", clientId),
                null),
            new ConnectionDraft.Parameter(
                "client_secret",
                "client_secret",
                m.createObjectNode().put("hidden", true),
                newSecret)),
        grants,
        "alice");
  }

  private static String file(Repository repo, RevCommit commit, String path) throws IOException {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      return new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  private ChangeBranches.Proposal propose(String org, String login, String name, TreeChange d)
      throws ChangeBranches.Refused {
    String base = d instanceof ConnectionDraft c ? c.baseCommit() : ((ApiDraft) d).baseCommit();
    return changes.proposeIfValid(source, org, login, name, base, d);
  }
}
