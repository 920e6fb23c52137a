package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.JSON;
import static it.dev.conduit.runtime.ItSupport.basic;

import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.gitops.GitRemote;
import dev.conduit.seal.Opener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/**
 * Two runtime processes ({@link ServerProcess} as conduitGitA and conduitGitB, on the test server's
 * port + 5 and + 6) on one PostgreSQL schema, both following the fixture organization in a real
 * bare Git repository (GitOpsIT). The fixture's first commit is pushed before they start.
 */
final class GitOpsCluster implements AutoCloseable {

  static final String ALICE = basic("alice", "alice-demo-pw"); // the fixture organization's admin
  static final String SECRET = "it-webhook-secret-0123456789abcdef"; // 32+ characters
  static final Duration STARTUP = Duration.ofMinutes(20);
  static final String PUSH_EVENT = "{\"ref\":\"refs/heads/main\"}";

  final GitRemote remote;
  final ServerProcess a;
  final ServerProcess b;
  final String first;
  final Path temp;

  /** The settings both servers get beside the test server's (compared with deploy/k8s). */
  final Map<String, String> env;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param schema an empty PostgreSQL schema
   * @param pollSeconds conduit.git.poll-seconds of both servers
   */
  GitOpsCluster(String schema, int pollSeconds) throws Exception {
    temp = Files.createTempDirectory("gitops-it");
    int port = URI.create(ItSupport.BASE).getPort() + 5;
    Path wlp = Path.of(System.getProperty("arquillian.wlp.home"));
    String demoKey =
        Files.readString(Path.of("..", "connections-repo/demo-keys/runtime-key.DEMO-ONLY.json"));
    String publicKey = new Opener(demoKey).publicKey();
    String upstream = "http://127.0.0.1:" + ItSupport.UPSTREAM_PORT;
    remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"));
    first =
        remote.push("first", w -> Fixtures.repository(Fixtures.TEMPLATE, w, upstream, publicKey));
    Map<String, String> env = new java.util.HashMap<>();
    env.putAll(
        Map.of(
            // the fixture organization from Git only (the model serves it from a file too)
            "CONDUIT_BUNDLES",
            "",
            "CONDUIT_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema,
            "CONDUIT_DB_USER",
            "postgres",
            "CONDUIT_DB_PASSWORD",
            "postgres",
            "CONDUIT_DB_DATASOURCE",
            "org.postgresql.ds.PGSimpleDataSource",
            "CONDUIT_GIT_ORGANIZATIONS",
            "fixture",
            "CONDUIT_GIT_FIXTURE_URL",
            remote.url(),
            "CONDUIT_GIT_POLL_SECONDS",
            Integer.toString(pollSeconds),
            "CONDUIT_GIT_WEBHOOK_SECRET",
            SECRET,
            "CONDUIT_GIT_FETCH_TIMEOUT_SECONDS",
            "45"));
    // the compile workers kept warm, with deploy/k8s's settings
    env.putAll(
        Map.of(
            "CONDUIT_GIT_COMPILE_IN",
            "worker",
            "CONDUIT_GIT_COMPILE_WORKER_HEAP_MB",
            "512",
            "CONDUIT_GIT_WORKER_POOL",
            "2",
            "CONDUIT_GIT_WORKER_MAX_COMMITS",
            "100",
            "CONDUIT_GIT_WORKER_MAX_AGE_MINUTES",
            "60",
            "CONDUIT_GIT_WORKER_MAX_HEAP_KEPT_PERCENT",
            "75"));
    this.env = Map.copyOf(env);
    a = new ServerProcess(wlp, "conduitGitA", port, this.env);
    b = new ServerProcess(wlp, "conduitGitB", port + 1, this.env);
  }

  /**
   * Starts both servers at once and waits until both serve the first commit (up to 20 minutes: two
   * starts at once beside the test server took over 10 on a 2-core machine at a load of 40).
   */
  void start() throws Exception {
    CompletableFuture<Duration> startB =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return b.start(STARTUP);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    a.start(STARTUP);
    startB.join();
    awaitServing(a, first, Duration.ofSeconds(120));
    awaitServing(b, first, Duration.ofSeconds(120));
  }

  /** Waits until the server serves {@code commit}; returns the state it then shows. */
  JsonNode awaitServing(ServerProcess s, String commit, Duration within) throws Exception {
    return await(s, "/gitops", g -> commit.equals(g.get("servedHere").asString(null)), within, 50);
  }

  /** Polls an admin path of the fixture organization until its data passes {@code done}. */
  JsonNode await(
      ServerProcess s, String path, Predicate<JsonNode> done, Duration within, long everyMillis)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send(s, "GET", "/api/v1/organizations/" + FIXTURE + path);
      if (r.statusCode() == 200) {
        last = JSON.readTree(r.body()).get("data");
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(everyMillis);
    }
    throw new AssertionError(s.base + path + " did not get there in " + within + ": " + last);
  }

  /** An admin's request (alice) to the server. */
  HttpResponse<String> send(ServerProcess s, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(s.base + path))
            .header("Authorization", ALICE)
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A push event signed (X-Hub-Signature-256) or carrying a token (X-Conduit-Token). */
  HttpResponse<String> webhook(ServerProcess s, String signature, String token) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(s.base + "/api/v1/gitops/webhook"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(PUSH_EVENT));
    if (signature != null) {
      r.header("X-Hub-Signature-256", signature);
    }
    if (token != null) {
      r.header("X-Conduit-Token", token);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What a Git host sends: HMAC-SHA256 of the body under the shared secret. */
  static String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Kills both servers and closes the work tree. */
  @Override
  public void close() {
    try {
      a.close();
    } finally {
      try {
        b.close();
      } finally {
        remote.close();
      }
    }
  }
}
