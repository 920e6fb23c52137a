package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.seal.Opener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One runtime instance as the GitOps tests run it: its own registry and reconciler (and copies of
 * the repositories), on a database that instances may share.
 */
record GitOpsInstance(BundleRegistry registry, DeploymentStore store, Reconciler reconciler) {

  static GitOpsInstance start(
      DataSource db, Supplier<GitSettings> settings, CommitCompiler compiler, Path copies)
      throws Exception {
    return start(db, settings, compiler, copies, Clock.systemUTC());
  }

  /** With the clock its reconciler schedules fetches and retries by. */
  static GitOpsInstance start(
      DataSource db,
      Supplier<GitSettings> settings,
      CommitCompiler compiler,
      Path copies,
      Clock clock)
      throws Exception {
    BundleRegistry registry =
        new BundleRegistry(
            new Opener(Fixtures.KEYS.privateKeyset()), Clock.systemUTC(), PrivateNetworkRule.NONE);
    DeploymentStore store = new DeploymentStore(db, Clock.systemUTC());
    return new GitOpsInstance(
        registry, store, new Reconciler(settings, registry, store, compiler, copies, clock));
  }

  /** The commit the fixture organization is served from here, or null. */
  String serving() {
    return registry.organization(Fixtures.ORG).map(o -> o.bundle().source().commit()).orElse(null);
  }

  /**
   * After a pass whose compile worker was killed compiling {@code second} of source "fixture"
   * (poll-seconds 1): the last good bundle ({@code first}) kept serving, the reason is shown to
   * admins and nothing is recorded as the commit's result; after a poll interval the next pass
   * compiles the commit again and serves it.
   */
  void servesAgainAfterAKilledWorker(String first, String second) throws InterruptedException {
    assertEquals(first, serving(), "the last good bundle keeps serving");
    String problem = reconciler.local("fixture").orElseThrow().problem();
    assertTrue(problem.contains("commit " + second + " not compiled"), problem);
    assertTrue(problem.contains("compile worker was killed (signal 9)"), problem);
    assertEquals(
        1, store.history("fixture", 10, 0).size(), "a worker's death is not the commit's result");

    Thread.sleep(1100); // a poll interval
    reconciler.pass(Set.of("fixture"));
    assertEquals(second, serving());
    assertNull(reconciler.local("fixture").orElseThrow().problem());
  }
}
