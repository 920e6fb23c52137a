package dev.conduit.runtime.gitops;

import static java.nio.file.StandardOpenOption.APPEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.MovableClock;
import dev.conduit.runtime.store.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances (each its own registry and copy of the repository) on one database, following a
 * real bare Git repository that receives commits during the test: both serve the same commit, a
 * broken commit keeps the last good one with its diagnostics recorded, pin and unpin move both, an
 * unreachable remote leaves the last good bundle serving with the reason recorded, and a source
 * removed from the settings stops serving. Runs on H2 and, when it answers, PostgreSQL.
 */
class ReconcilerTest {

  @TempDir Path temp;

  /**
   * The reconcile logic, compiled in this JVM without code engines (CompileWorkerTest: the worker).
   */
  private final Map<String, String> config =
      new HashMap<>(Map.of("conduit.git.compile-in", "server"));

  private GitOpsInstance instance(DataSource db, String name) throws Exception {
    return instance(db, name, CodeSyntax.NONE);
  }

  private GitOpsInstance instance(DataSource db, String name, CodeSyntax code) throws Exception {
    return GitOpsInstance.start(
        db,
        () -> GitSettings.read(k -> Optional.ofNullable(config.get(k))),
        new CommitCompiler(code, Optional.empty()),
        Files.createDirectories(temp.resolve(name)));
  }

  @Test
  void twoInstancesOnH2ConvergeAndKeepTheLastGoodCommit() throws Exception {
    scenario(Databases.h2(Files.createDirectories(temp.resolve("h2"))));
  }

  @Test
  void twoInstancesOnPostgresqlConvergeAndKeepTheLastGoodCommit() throws Exception {
    String schema = Databases.newPostgresSchema();
    assumeTrue(schema != null, Databases.skipMessage());
    scenario(Databases.postgres(schema));
  }

  /**
   * A source bound to an organization (conduit.git.NAME.organization): a commit that names another
   * organization is refused with C240 and never served; bound to its own id, the same commit is.
   */
  @Test
  void aSourceBoundToAnotherOrganizationRefusesTheCommitWithC240() throws Exception {
    DataSource db = Databases.h2(Files.createDirectories(temp.resolve("h2")));
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.fixture.organization", "dc6b3b43-bd3c-4214-a71f-aae77ae271f7");
      String commit =
          remote.push(
              "the fixture organization", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      GitOpsInstance a = instance(db, "a");
      a.reconciler().pass(Set.of("fixture"));
      assertNull(a.serving(), "a commit of another organization is not served");
      Deployment refused =
          new DeploymentStore(db, Clock.systemUTC()).history("fixture", 10, 0).getFirst();
      assertEquals(commit, refused.commit());
      assertEquals(Deployment.Result.REFUSED, refused.result());
      assertTrue(refused.diagnostics().contains("C240"), refused.diagnostics());

      config.put("conduit.git.fixture.organization", Fixtures.ORG);
      String again = remote.push("again", w -> Files.writeString(w.resolve("README.md"), "x\n"));
      a.reconciler().pass(Set.of("fixture"));
      assertEquals(again, a.serving(), "bound to its own organization, it serves");
    }
  }

  /**
   * An attacker's probe: two unbound sources, the attacker's listed first, and its repository names
   * the victim's organization id. While the victim's bundle is loaded the registry refuses the
   * duplicate; but the commit compiled clean, so it was recorded as deployed, and a restarted
   * instance (sources served in the order listed) served it as the victim's organization and
   * refused the victim's own: the attacker's admins over the victim's request logs, alerts, tokens
   * and accounts. The source that served an organization keeps it.
   */
  @Test
  void anUnboundSourceCannotTakeTheOrganizationAnotherSourceServes() throws Exception {
    DataSource db = Databases.h2(Files.createDirectories(temp.resolve("h2")));
    try (GitRemote victim = new GitRemote(temp.resolve("victim.git"), temp.resolve("victim"));
        GitRemote mallory = new GitRemote(temp.resolve("mallory.git"), temp.resolve("mallory"))) {
      config.put("conduit.git.victim.url", victim.url());
      config.put("conduit.git.mallory.url", mallory.url());
      config.put("conduit.git.organizations", "victim");
      String genuine =
          victim.push("the organization", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      GitOpsInstance a = instance(db, "a");
      a.reconciler().pass(Set.of("victim"));
      assertEquals(genuine, a.serving());

      config.put("conduit.git.organizations", "mallory,victim");
      String claim =
          mallory.push("a copy naming its id", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      a.reconciler().pass(Set.of("mallory", "victim"));
      assertEquals(genuine, a.serving(), "the running instance keeps the victim's bundle");

      GitOpsInstance restarted = instance(db, "restarted");
      restarted.reconciler().pass(Set.of());
      assertEquals(genuine, restarted.serving(), "after a restart too");
      DeploymentStore store = new DeploymentStore(db, Clock.systemUTC());
      Deployment refused = store.history("mallory", 10, 0).getFirst();
      assertEquals(claim, refused.commit());
      assertEquals(Deployment.Result.REFUSED, refused.result());
      assertTrue(refused.diagnostics().contains("C240"), refused.diagnostics());
      assertTrue(refused.diagnostics().contains("served by the Git source"), refused.diagnostics());
    }
  }

  /**
   * An Error compiling one organization's commit (here a code check's stack overflow, as deeply
   * nested code can cause) is that source's failure only: the pass goes on with the next source,
   * the last good bundle serves with the reason shown, and a later pass serves the fixed commit.
   */
  @Test
  void anErrorCompilingOneSourceLeavesTheOtherSourcesAndItsLastGoodBundle() throws Exception {
    DataSource db = Databases.h2(Files.createDirectories(temp.resolve("h2")));
    CodeSyntax overflows =
        (file, language, source) -> {
          if (source.contains("nested too deep")) {
            throw new StackOverflowError();
          }
          return List.of();
        };
    String otherOrg = "22222222-3333-4444-8555-666666666666";
    try (GitRemote fixture = new GitRemote(temp.resolve("fixture.git"), temp.resolve("fixture"));
        GitRemote other = new GitRemote(temp.resolve("other.git"), temp.resolve("other"))) {
      config.put("conduit.git.organizations", "fixture,other");
      config.put("conduit.git.fixture.url", fixture.url());
      config.put("conduit.git.other.url", other.url());
      String good = fixture.push("good", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      other.push("other", w -> organization(w, otherOrg));
      GitOpsInstance a = instance(db, "a", overflows);
      a.reconciler().pass(Set.of("fixture", "other"));
      assertEquals(good, a.serving());
      Deployment otherFirst = a.store().history("other", 1, 0).getFirst();
      assertEquals(Deployment.Result.DEPLOYED, otherFirst.result(), otherFirst.diagnostics());

      Path loop = fixture.workTree().resolve("connections/coded/code/loop.py");
      fixture.push("overflow", w -> Files.writeString(loop, "# nested too deep\n", APPEND));
      String otherNext =
          other.push("next", w -> Files.writeString(w.resolve("README.md"), "next\n"));
      try (LogCapture log = new LogCapture()) {
        a.reconciler().pass(Set.of("fixture", "other"));
        a.reconciler().pass(Set.of("fixture"));
        assertEquals(
            1,
            log.records().stream()
                .filter(r -> LogCapture.text(r).contains("StackOverflowError"))
                .count(),
            "logged once while it keeps failing the same way");
      }
      assertEquals(good, a.serving(), "the last good bundle serves");
      String problem = a.reconciler().local("fixture").orElseThrow().problem();
      assertTrue(problem.contains("StackOverflowError"), problem);
      assertEquals(
          otherNext,
          a.registry().organization(otherOrg).orElseThrow().bundle().source().commit(),
          "the next source's pass went on");

      String fixed = fixture.push("fixed", w -> Files.writeString(loop, "# flat again\n"));
      a.reconciler().pass(Set.of("fixture"));
      assertEquals(fixed, a.serving(), "a later pass serves the fixed commit");
    }
  }

  /**
   * Another instance compiled and serves a commit whose compile throws here (a code check's stack
   * overflow): this instance keeps its last good bundle, shows why and logs it once, and compiles
   * the commit again once per poll interval, as after a failed worker, not at every pass (a
   * second).
   */
  @Test
  void aCompileThatThrowsWhereAnotherInstanceServesIsRetriedOncePerPollInterval() throws Exception {
    DataSource db = Databases.h2(Files.createDirectories(temp.resolve("h2")));
    AtomicInteger compiles = new AtomicInteger();
    CodeSyntax overflows =
        (file, language, source) -> {
          if (source.contains("nested too deep")) {
            compiles.incrementAndGet();
            throw new StackOverflowError();
          }
          return List.of();
        };
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.poll-seconds", "30");
      String good = remote.push("good", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      GitOpsInstance a =
          GitOpsInstance.start(
              db,
              () -> GitSettings.read(k -> Optional.ofNullable(config.get(k))),
              new CommitCompiler(overflows, Optional.empty()),
              Files.createDirectories(temp.resolve("a")),
              new MovableClock(now));
      GitOpsInstance b = instance(db, "b");
      a.reconciler().pass(Set.of("fixture"));
      assertEquals(good, a.serving());

      Path loop = remote.workTree().resolve("connections/coded/code/loop.py");
      String deep =
          remote.push("deep", w -> Files.writeString(loop, "# nested too deep\n", APPEND));
      b.reconciler().pass(Set.of("fixture"));
      assertEquals(deep, b.serving(), "the other instance compiles it and serves it");
      try (LogCapture log = new LogCapture()) {
        a.reconciler().pass(Set.of("fixture"));
        for (int pass = 0; pass < 5; pass++) {
          now.set(now.get().plusSeconds(1));
          a.reconciler().pass(Set.of());
        }
        assertEquals(1, compiles.get(), "compiled once in a poll interval, not at every pass");
        assertEquals(good, a.serving(), "the last good bundle serves");
        String problem = a.reconciler().local("fixture").orElseThrow().problem();
        assertTrue(problem.contains("commit " + deep + " not compiled"), problem);
        assertTrue(problem.contains("StackOverflowError"), problem);

        now.set(now.get().plusSeconds(30));
        a.reconciler().pass(Set.of());
        assertEquals(2, compiles.get(), "tried again after a poll interval");
        assertEquals(
            1,
            log.records().stream()
                .filter(r -> LogCapture.text(r).contains("StackOverflowError"))
                .count(),
            "logged once while it keeps failing the same way");
      }
    }
  }

  /** A repository of an organization with nothing but itself and its one admin. */
  private static void organization(Path dir, String id) throws Exception {
    Files.writeString(
        dir.resolve("organization.json"),
        """
        {"id": "%s", "name": "Other Org", "admins": ["alice"],
         "sealing": {"publicKey": "%s"}}
        """
            .formatted(id, Fixtures.KEYS.publicKey()));
    Files.writeString(
        dir.resolve("members.json"),
        """
        {"members": [{"login": "alice", "accountId": "acc-alice", "userId": "u-o-1", "full_name": "Alice Admin"}]}
        """);
  }

  private void scenario(DataSource db) throws Exception {
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.fixture.path", "teams/conduit");
      Path org = remote.workTree().resolve("teams/conduit");
      String first = remote.push("first", w -> Fixtures.repository(org, "http://127.0.0.1:9"));

      GitOpsInstance a = instance(db, "a");
      GitOpsInstance b = instance(db, "b");
      a.reconciler().pass(Set.of("fixture"));
      assertEquals(first, a.serving());
      // b has not fetched yet when it first passes: it learns the commit from the database
      b.reconciler().pass(Set.of());
      assertEquals(first, b.serving());

      // a broken commit: recorded as refused with its diagnostics, nobody serves it
      Path whoami = org.resolve("connections/basic/apis/whoami.json");
      String broken = remote.push("break whoami", w -> Files.writeString(whoami, "{\"id\": "));
      b.reconciler().pass(Set.of("fixture"));
      a.reconciler().pass(Set.of("fixture"));
      assertEquals(first, a.serving());
      assertEquals(first, b.serving());
      DeploymentStore store = new DeploymentStore(db, Clock.systemUTC());
      List<Deployment> history = store.history("fixture", 10, 0);
      assertEquals(2, history.size(), "one record per commit, whichever instance compiled it");
      Deployment refused = history.getFirst();
      assertEquals(broken, refused.commit());
      assertEquals(Deployment.Result.REFUSED, refused.result());
      assertTrue(refused.diagnosticsCount() > 0);
      assertTrue(
          refused.diagnostics().contains("connections/basic/apis/whoami.json"),
          refused.diagnostics());
      assertTrue(refused.author().contains("dana@example.com"));
      assertEquals(first, store.state("fixture").current());

      // fixed: both move on
      Bundle servedBefore = a.registry().organization(Fixtures.ORG).orElseThrow().bundle();
      String fixed =
          remote.push(
              "fix whoami",
              w -> Fixtures.repository(org, "http://127.0.0.1:9").resolve("organization.json"));
      a.reconciler().pass(Set.of("fixture"));
      b.reconciler().pass(Set.of());
      assertEquals(fixed, a.serving());
      assertEquals(fixed, b.serving());
      // the fixed commit rewrote the files (its secrets sealed anew): each connection equal to
      // one served before is read back as the object served, the others are new
      Bundle servedAfter = a.registry().organization(Fixtures.ORG).orElseThrow().bundle();
      int shared = 0;
      for (Connection c : servedAfter.connections()) {
        Connection before = servedBefore.connection(c.id()).orElseThrow();
        if (before.equals(c)) {
          assertSame(before, c, c.id());
          shared++;
        }
      }
      assertTrue(shared > 0 && shared < servedAfter.connections().size(), "shared: " + shared);

      // pin to the first commit, then unpin
      String pinned = store.goodCommit("fixture", first.substring(0, 8)).orElseThrow();
      assertEquals(first, pinned);
      assertTrue(store.goodCommit("fixture", broken.substring(0, 8)).isEmpty());
      store.pin("fixture", pinned);
      a.reconciler().pass(Set.of());
      b.reconciler().pass(Set.of());
      assertEquals(first, a.serving());
      assertEquals(first, b.serving());
      assertTrue(store.unpin("fixture"));
      a.reconciler().pass(Set.of());
      b.reconciler().pass(Set.of());
      assertEquals(fixed, a.serving());
      assertEquals(fixed, b.serving());

      // the remote goes away: the last good bundle serves, the reason is recorded
      Path moved = temp.resolve("moved.git");
      Files.move(remote.bare(), moved);
      a.reconciler().pass(Set.of("fixture"));
      assertEquals(fixed, a.serving());
      String reason = store.state("fixture").fetchError();
      assertNotNull(reason);
      assertTrue(reason.contains("cannot fetch branch main"), reason);
      assertTrue(a.reconciler().local("fixture").orElseThrow().problem().contains("cannot fetch"));
      Files.move(moved, remote.bare());
      a.reconciler().pass(Set.of("fixture"));
      assertNull(store.state("fixture").fetchError(), "a good fetch clears the reason");

      // the source is removed from the settings: it stops serving, without a restart
      config.put("conduit.git.organizations", "");
      a.reconciler().pass(Set.of());
      assertFalse(a.registry().organization(Fixtures.ORG).isPresent());
    }
  }
}
