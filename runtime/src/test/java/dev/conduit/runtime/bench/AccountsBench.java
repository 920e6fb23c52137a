package dev.conduit.runtime.bench;

import com.sun.net.httpserver.HttpServer;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.accounts.AccountCache;
import dev.conduit.runtime.accounts.AccountTokens;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.accounts.ConnectFlow;
import dev.conduit.runtime.accounts.Links;
import dev.conduit.runtime.bench.DurabilityBench.Result;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.OutgoingRequest;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.invoke.TokenManager;
import dev.conduit.runtime.invoke.Upstream;
import dev.conduit.runtime.store.JdbcAccountStore;
import dev.conduit.runtime.store.JdbcTokenStore;
import dev.conduit.runtime.store.SecretsAtRest;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * What an invoke costs with an authorization-code account against a client-credentials connection
 * (issue 12), in one JVM, in turns (A, B, C, A, B, C, ...): the same GET to the same local upstream
 * with the connection's bearer token. Client credentials: the token from TokenManager's cache.
 * Account: the runtime's call path, the application's consent checked (Accounts.forApplication) and
 * the token taken (TokenManager, AccountTokens), from this server's AccountCache. Account without
 * the cache (lifetime 0): the same path reading the account row and its encrypted tokens from H2
 * and decrypting them on every call, as before the cache. Tokens come from a real OAuth 2.0 server
 * (mock-oauth2-server) once; no refresh happens during the rounds. Run: bench/runtime/accounts.sh
 * (or java -cp ... AccountsBench DIR [rounds] [seconds] [threads])
 */
public final class AccountsBench {

  static final String ORG = Fixtures.ORG;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] answer = "{\"login\":\"octocat\",\"public_repos\":8}".getBytes(StandardCharsets.UTF_8);
    api.createContext(
        "/user",
        x -> {
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, answer.length);
          x.getResponseBody().write(answer);
          x.close();
        });
    api.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(threads));
    api.start();
    MockOAuth2Server provider = new MockOAuth2Server();
    provider.start();
    JdbcConnectionPool db = DurabilityBench.pool(dir.resolve("accounts-" + UUID.randomUUID()), 0);
    Clock clock = Clock.systemUTC();
    Opener opener = new Opener(Fixtures.KEYS.privateKeyset());
    Sealer sealer = new Sealer(Fixtures.KEYS.publicKey());
    try (Upstream upstream = new Upstream(1 << 20)) {
      TokenManager tokens =
          new TokenManager(upstream, new JdbcTokenStore(db, sealer, opener, clock), clock);
      JdbcAccountStore rows =
          new JdbcAccountStore(db, SecretsAtRest.of(Fixtures.KEYS.privateKeyset()), clock);
      AuthorizationCodeGrant grant = new AuthorizationCodeGrant(upstream, clock);
      Links links = new Links("http://conduit.test");
      AccountCache store = new AccountCache(rows, clock, Duration.ofSeconds(5)); // the default
      Accounts cached = accounts(store, grant, links, clock, tokens);
      // the same path with nothing kept: the runtime before the cache
      TokenManager uncachedTokens =
          new TokenManager(upstream, new JdbcTokenStore(db, sealer, opener, clock), clock);
      Accounts uncached =
          accounts(
              new AccountCache(rows, clock, Duration.ZERO), grant, links, clock, uncachedTokens);
      String tokenUrl = provider.tokenEndpointUrl("issuer").toString();
      PreparedConnection cc =
          prepare(
              "cc",
              new Auth.ClientCredentials(
                  tokenUrl,
                  "POST",
                  Map.of(
                      "grant_type",
                      "client_credentials",
                      "client_id",
                      "conduit-client",
                      "client_secret",
                      "{{connection.client_secret}}"),
                  "form",
                  Map.of(),
                  Auth.TokenResponse.DEFAULT,
                  null,
                  60,
                  Auth.TokenExpired.DEFAULT),
              sealer,
              opener);
      PreparedConnection ac =
          prepare(
              "ac",
              new Auth.AuthorizationCode(
                  provider.authorizationEndpointUrl("issuer").toString(),
                  tokenUrl,
                  "conduit-client",
                  "{{connection.client_secret}}",
                  List.of("openid"),
                  "body",
                  Auth.TokenResponse.DEFAULT,
                  60,
                  Auth.TokenExpired.DEFAULT,
                  null,
                  null,
                  null),
              sealer,
              opener);
      ConnectFlow flow = cached.flow();
      String url = flow.start(ac, "carol", "bench", List.of("app-one"), null, false);
      ConnectFlow.Result r =
          flow.callback(
              "ac",
              authorize(url),
              "carol",
              (org, id) -> id.equals("ac") ? Optional.of(ac) : Optional.empty());
      String account = ((ConnectFlow.Result.Connected) r).account().id();
      URI target = URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/user");
      DurabilityBench.Setup viaClientCredentials =
          () -> () -> call(upstream, target, tokens.token(cc, null).token());
      DurabilityBench.Setup viaAccount =
          () ->
              () -> {
                cached.forApplication(ac, "app-one", account);
                call(upstream, target, tokens.token(ac, account, null).token());
              };
      DurabilityBench.Setup viaAccountUncached =
          () ->
              () -> {
                uncached.forApplication(ac, "app-one", account);
                call(upstream, target, uncachedTokens.token(ac, account, null).token());
              };
      System.out.printf(
          "%d rounds of %d s per kind, %d threads, %d cores%n",
          rounds, seconds, threads, Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "%-6s %-20s %10s %10s %10s%n", "round", "kind", "calls/s", "p50 us", "p99 us");
      String[] names = {"client credentials", "account", "account, no cache"};
      DurabilityBench.Setup[] kinds = {viaClientCredentials, viaAccount, viaAccountUncached};
      // per round, against client credentials: account calls/s, p50; uncached calls/s, p50
      List<double[]> ratios = new ArrayList<>();
      List<Result[]> all = new ArrayList<>();
      for (int i = 0; i <= rounds; i++) { // round 0 warms up and is not counted
        Result[] got = new Result[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
          got[k] = DurabilityBench.run(threads, seconds, kinds[k]);
          System.out.printf(
              "%-6s %-20s %10.0f %10.0f %10.0f%n",
              i == 0 ? "warm" : String.valueOf(i),
              names[k],
              got[k].perSecond(),
              got[k].p50Micros(),
              got[k].p99Micros());
        }
        if (i > 0) {
          ratios.add(
              new double[] {
                got[1].perSecond() / got[0].perSecond(),
                got[1].p50Micros() / got[0].p50Micros(),
                got[2].perSecond() / got[0].perSecond(),
                got[2].p50Micros() / got[0].p50Micros()
              });
          all.add(got);
        }
      }
      System.out.printf(
          "median account/client credentials: calls/s %.2f, p50 %.2f%n",
          DurabilityBench.median(ratios, 0), DurabilityBench.median(ratios, 1));
      System.out.printf(
          "median account, no cache/client credentials: calls/s %.2f, p50 %.2f%n",
          DurabilityBench.median(ratios, 2), DurabilityBench.median(ratios, 3));
      for (int k = 0; k < kinds.length; k++) {
        int j = k;
        System.out.printf(
            "median %-19s %8.0f calls/s p50 %6.0f us p99 %6.0f us%n",
            names[k],
            DurabilityBench.med(all.stream().mapToDouble(x -> x[j].perSecond()).toArray()),
            DurabilityBench.med(all.stream().mapToDouble(x -> x[j].p50Micros()).toArray()),
            DurabilityBench.med(all.stream().mapToDouble(x -> x[j].p99Micros()).toArray()));
      }
      // the token step alone (no HTTP call, one thread, in turns): what each kind adds to a call
      DurabilityBench.Op[] steps = {
        () -> tokens.token(cc, null),
        () -> {
          cached.forApplication(ac, "app-one", account);
          tokens.token(ac, account, null);
        },
        () -> {
          uncached.forApplication(ac, "app-one", account);
          uncachedTokens.token(ac, account, null);
        }
      };
      double[][] nanos = new double[steps.length][rounds];
      for (int i = 0; i <= rounds; i++) { // turn 0 warms up and is not counted
        for (int k = 0; k < steps.length; k++) {
          double ns = nanosPerCall(steps[k], seconds);
          if (i > 0) {
            nanos[k][i - 1] = ns;
          }
        }
      }
      for (int k = 0; k < steps.length; k++) {
        System.out.printf(
            "token step alone, median %-19s %10.0f ns per call%n",
            names[k], DurabilityBench.med(nanos[k]));
      }
    } finally {
      provider.shutdown();
      api.stop(0);
      db.dispose();
    }
    System.exit(0);
  }

  /** The accounts service as the runtime wires it, its tokens served through {@code tokens}. */
  static Accounts accounts(
      AccountCache store,
      AuthorizationCodeGrant grant,
      Links links,
      Clock clock,
      TokenManager tokens) {
    AccountTokens accountTokens = new AccountTokens(store, grant, links, clock, a -> {});
    tokens.useAccounts(accountTokens);
    return new Accounts(
        store, new ConnectFlow(store, grant, links, clock), accountTokens, grant, links);
  }

  /** The mean time of one call of {@code step}, run on this thread for about {@code seconds}. */
  static double nanosPerCall(DurabilityBench.Op step, int seconds) throws Exception {
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long n = 0;
    long now;
    do {
      for (int i = 0; i < 100; i++) {
        step.run();
      }
      n += 100;
      now = System.nanoTime();
    } while (now < end);
    return (double) (now - start) / n;
  }

  static void call(Upstream upstream, URI target, String token) throws Exception {
    Upstream.Response r =
        upstream.send(
            new OutgoingRequest(
                "GET", target, Map.of("Authorization", List.of("Bearer " + token)), null, 10, true),
            List.of("127.0.0.1"),
            true);
    if (r.status() != 200) {
      throw new IllegalStateException("upstream answered " + r.status());
    }
  }

  static PreparedConnection prepare(String id, Auth auth, Sealer sealer, Opener opener)
      throws Exception {
    String sealed = sealer.seal("client-secret", new SealContext(ORG, id, "client_secret"));
    Connection conn =
        new Connection(
            id,
            id,
            null,
            null,
            "alice",
            Connection.Notifications.DEFAULT,
            List.of("127.0.0.1", "localhost"),
            true,
            List.of(new Connection.Parameter("client_secret", true, null, sealed)),
            auth,
            null,
            List.of(),
            List.of("app-one"));
    return PreparedConnection.prepare(ORG, conn, opener, PrivateNetworkRule.only(ORG));
  }

  /** The member's browser at the provider: the redirect's query (code and state). */
  static Map<String, String> authorize(String url) throws Exception {
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      String query = URI.create(r.headers().firstValue("Location").orElseThrow()).getRawQuery();
      Map<String, String> q = new HashMap<>();
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        q.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
      }
      return q;
    }
  }
}
