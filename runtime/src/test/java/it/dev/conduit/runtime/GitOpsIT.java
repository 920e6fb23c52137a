package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.runtime.deploy.DeployManifests;
import dev.conduit.runtime.store.Databases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two runtime processes on one PostgreSQL follow one real bare Git repository that receives commits
 * during the test (issue 14): a pushed commit announced by the webhook is served by both; a webhook
 * with a wrong signature is refused and reconciles nothing; a broken commit leaves both on the last
 * good one with the diagnostics readable by an admin; pin and unpin move both; an unreachable
 * remote leaves the last good commit serving with the reason shown. Every commit compiles in the
 * compile worker each server keeps warm (conduit.git.compile-in=worker, with deploy/k8s's
 * settings), the same worker process from the first commit to the last, and the status says so.
 */
class GitOpsIT {

  static final Duration CONVERGE = Duration.ofSeconds(60);

  @Test
  void twoInstancesFollowTheBranchThroughTheDatabase() throws Exception {
    String schema = Databases.newPostgresSchema();
    assumeTrue(schema != null, Databases.skipMessage());
    // a long poll: what happens sooner comes from the webhook, an admin or the database
    try (GitOpsCluster c = new GitOpsCluster(schema, 600)) {
      c.start();
      ServerProcess a = c.a;
      ServerProcess b = c.b;
      matchesTheKubernetesManifests(c);
      Path whoami = c.remote.workTree().resolve("connections/basic/apis/whoami.json");
      assertEquals(c.first, bundleCommit(c, a));
      // admins read the effective fetch timeout and where commits compile: a compile worker kept
      // warm by the Liberty server, which compiled the first commit
      JsonNode status = gitops(c, a);
      assertEquals(45, status.get("fetchTimeoutSeconds").asInt(), status.toString());
      assertTrue(
          status
              .get("compileIn")
              .asString()
              .startsWith("worker (compile workers kept warm, at most 2, one per source"),
          status.toString());
      long workerA = compileWorker(a);
      long workerB = compileWorker(b);

      // a new commit, announced to one instance by the webhook: both serve it
      String second =
          c.remote.push(
              "rename whoami",
              w ->
                  Files.writeString(
                      whoami,
                      Files.readString(whoami)
                          .replace("\"name\": \"Whoami\"", "\"name\": \"Who am I\"")));
      HttpResponse<String> accepted =
          c.webhook(a, GitOpsCluster.sign(GitOpsCluster.PUSH_EVENT), null);
      assertEquals(202, accepted.statusCode(), accepted.body());
      c.awaitServing(a, second, CONVERGE);
      c.awaitServing(b, second, CONVERGE);
      assertEquals(second, bundleCommit(c, b));
      assertTrue(
          data(c, b, "/api/v1/organizations/" + FIXTURE + "/connections")
              .toString()
              .contains("Who am I"));

      // a broken commit and webhooks with a wrong signature or token: 401, nothing fetched
      String broken =
          c.remote.push("break whoami", w -> Files.writeString(whoami, "{\"id\": \"whoami\","));
      HttpResponse<String> refused = c.webhook(b, "sha256=" + "0".repeat(64), null);
      assertEquals(401, refused.statusCode(), refused.body());
      assertEquals(401, c.webhook(a, null, "not-the-secret").statusCode());
      assertEquals(401, c.webhook(a, null, null).statusCode());
      Thread.sleep(3000);
      assertEquals(second, gitops(c, a).get("head").asString(), "nothing was fetched");

      // the right token: the broken commit is evaluated, refused, and both keep the last good
      assertEquals(202, c.webhook(b, null, GitOpsCluster.SECRET).statusCode());
      JsonNode history =
          c.await(
              a,
              "/gitops/deployments",
              d -> d.get(0) != null && d.get(0).get("commit").asString().equals(broken),
              CONVERGE,
              200);
      assertEquals("refused", history.get(0).get("result").asString());
      assertTrue(history.get(0).get("diagnosticsCount").asInt() > 0);
      JsonNode detail =
          data(
              c,
              b,
              "/api/v1/organizations/"
                  + FIXTURE
                  + "/gitops/deployments/"
                  + history.get(0).get("id").asString());
      assertTrue(
          detail.get("diagnostics").toString().contains("connections/basic/apis/whoami.json"),
          detail.toString());
      assertEquals(second, gitops(c, a).get("servedHere").asString());
      assertEquals(second, gitops(c, b).get("servedHere").asString());
      assertEquals(second, bundleCommit(c, b));

      // pin to the first commit, then unpin: both follow
      assertEquals(
          409,
          post(c, a, "/gitops/pin?commit=" + broken.substring(0, 10)).statusCode(),
          "a refused commit cannot be pinned");
      HttpResponse<String> pinned = post(c, a, "/gitops/pin?commit=" + c.first.substring(0, 10));
      assertEquals(200, pinned.statusCode(), pinned.body());
      c.awaitServing(a, c.first, CONVERGE);
      c.awaitServing(b, c.first, CONVERGE);
      assertEquals(200, post(c, b, "/gitops/unpin").statusCode());
      c.awaitServing(a, second, CONVERGE);
      c.awaitServing(b, second, CONVERGE);
      JsonNode after = data(c, a, "/api/v1/organizations/" + FIXTURE + "/gitops/deployments");
      assertEquals("unpinned", after.get(0).get("result").asString());
      assertEquals("alice", after.get(0).get("by").asString());
      assertEquals("pinned", after.get(1).get("result").asString());

      // the remote goes away: the last good commit serves, the reason is visible on both
      Path moved = c.temp.resolve("moved.git");
      Files.move(c.remote.bare(), moved);
      assertEquals(200, post(c, a, "/gitops/fetch").statusCode());
      JsonNode down = c.await(b, "/gitops", s -> !s.get("fetchError").isNull(), CONVERGE, 200);
      assertTrue(down.get("fetchError").asString().contains("cannot fetch"), down.toString());
      assertEquals(second, bundleCommit(c, a));
      assertEquals(second, bundleCommit(c, b));
      Files.move(moved, c.remote.bare());

      // every commit above was compiled by each server's one worker, kept warm from the first
      assertEquals(workerA, compileWorker(a), "A's worker compiled every commit");
      assertEquals(workerB, compileWorker(b), "B's worker compiled every commit");
    }
  }

  /**
   * The process id of the server's one compile worker JVM (under bubblewrap, a grandchild of what
   * the server started).
   */
  private static long compileWorker(ServerProcess s) {
    List<Long> workers =
        s.descendants()
            .filter(
                p ->
                    p.isAlive()
                        && p.info().command().orElse("").endsWith("/java") // not bubblewrap's
                        && List.of(p.info().arguments().orElse(new String[0]))
                            .contains("dev.conduit.compiler.worker.CompileWorker"))
            .map(ProcessHandle::pid)
            .toList();
    assertEquals(1, workers.size(), "one compile worker of " + s.base + ": " + workers);
    return workers.getFirst();
  }

  private static String bundleCommit(GitOpsCluster c, ServerProcess s) throws Exception {
    return data(c, s, "/api/v1/organizations/" + FIXTURE + "/bundle").get("commit").asString();
  }

  private static JsonNode gitops(GitOpsCluster c, ServerProcess s) throws Exception {
    return data(c, s, "/api/v1/organizations/" + FIXTURE + "/gitops");
  }

  private static JsonNode data(GitOpsCluster c, ServerProcess s, String path) throws Exception {
    HttpResponse<String> r = c.send(s, "GET", path);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("data");
  }

  private static HttpResponse<String> post(GitOpsCluster c, ServerProcess s, String path)
      throws Exception {
    return c.send(s, "POST", "/api/v1/organizations/" + FIXTURE + path);
  }

  /**
   * deploy/k8s runs what these two instances run (docs/deploy.md): every Git and database setting
   * the manifests give is given here too (their source "acme" is "fixture" here), and every probe
   * they name answers 200 on both instances.
   */
  private static void matchesTheKubernetesManifests(GitOpsCluster c) throws Exception {
    DeployManifests k8s = DeployManifests.read();
    for (String name : k8s.settings().keySet()) {
      if (name.startsWith("CONDUIT_GIT_") || name.startsWith("CONDUIT_DB_")) {
        String here = name.replace("CONDUIT_GIT_ACME_", "CONDUIT_GIT_FIXTURE_");
        assertTrue(c.env.containsKey(here), name + " (deploy/k8s) is not set in the test: " + here);
      }
    }
    for (var probe : k8s.probes().entrySet()) {
      for (ServerProcess s : new ServerProcess[] {c.a, c.b}) {
        HttpResponse<String> r = c.send(s, "GET", probe.getValue().path());
        assertEquals(
            200, r.statusCode(), probe.getKey() + " " + probe.getValue().path() + " on " + s.base);
      }
    }
  }
}
