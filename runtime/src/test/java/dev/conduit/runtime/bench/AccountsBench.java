package dev.conduit.runtime.bench;

import com.sun.net.httpserver.HttpServer;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.accounts.AccountTokens;
import dev.conduit.runtime.accounts.ConnectFlow;
import dev.conduit.runtime.accounts.Links;
import dev.conduit.runtime.bench.DurabilityBench.Result;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.OutgoingRequest;
import dev.conduit.runtime.invoke.PreparedConnection;
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
 * (issue 12), in one JVM, in turns (A, B, A, B, ...): the same GET to the same local upstream with
 * the connection's bearer token. Client credentials: the token from TokenManager's cache. Account:
 * the account row and its encrypted tokens read from H2 and decrypted on every call (the runtime's
 * path). Tokens come from a real OAuth 2.0 server (mock-oauth2-server) once; no refresh happens
 * during the rounds. Run: bench/runtime/accounts.sh (or java -cp ... AccountsBench DIR [rounds]
 * [seconds] [threads])
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
      JdbcAccountStore store =
          new JdbcAccountStore(db, SecretsAtRest.of(Fixtures.KEYS.privateKeyset()), clock);
      AuthorizationCodeGrant grant = new AuthorizationCodeGrant(upstream, clock);
      Links links = new Links("http://conduit.test");
      AccountTokens accounts = new AccountTokens(store, grant, links, clock, a -> {});
      tokens.useAccounts(accounts::token);
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
      ConnectFlow flow = new ConnectFlow(store, grant, links, clock);
      String url = flow.start(ac, "carol", "bench", List.of("app-one"), null, false);
      ConnectFlow.Result r =
          flow.callback(
              "ac",
              authorize(url),
              (org, id) -> id.equals("ac") ? Optional.of(ac) : Optional.empty());
      String account = ((ConnectFlow.Result.Connected) r).account().id();
      URI target = URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/user");
      DurabilityBench.Setup viaClientCredentials =
          () -> () -> call(upstream, target, tokens.token(cc, null).token());
      DurabilityBench.Setup viaAccount =
          () -> () -> call(upstream, target, tokens.token(ac, account, null).token());
      System.out.printf(
          "%d rounds of %d s per kind, %d threads, %d cores%n",
          rounds, seconds, threads, Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "%-6s %-20s %10s %10s %10s%n", "round", "kind", "calls/s", "p50 us", "p99 us");
      List<double[]> ratios = new ArrayList<>(); // account / client credentials: calls/s, p50
      List<Result[]> all = new ArrayList<>();
      for (int i = 0; i <= rounds; i++) { // round 0 warms up and is not counted
        Result a = DurabilityBench.run(threads, seconds, viaClientCredentials);
        Result b = DurabilityBench.run(threads, seconds, viaAccount);
        String round = i == 0 ? "warm" : String.valueOf(i);
        System.out.printf(
            "%-6s %-20s %10.0f %10.0f %10.0f%n",
            round, "client credentials", a.perSecond(), a.p50Micros(), a.p99Micros());
        System.out.printf(
            "%-6s %-20s %10.0f %10.0f %10.0f%n",
            round, "account", b.perSecond(), b.p50Micros(), b.p99Micros());
        if (i > 0) {
          ratios.add(new double[] {b.perSecond() / a.perSecond(), b.p50Micros() / a.p50Micros()});
          all.add(new Result[] {a, b});
        }
      }
      System.out.printf(
          "median account/client credentials: calls/s %.2f, p50 %.2f%n",
          DurabilityBench.median(ratios, 0), DurabilityBench.median(ratios, 1));
      String[] names = {"client credentials", "account"};
      for (int k = 0; k < 2; k++) {
        int j = k;
        System.out.printf(
            "median %-19s %8.0f calls/s p50 %6.0f us p99 %6.0f us%n",
            names[k],
            DurabilityBench.med(all.stream().mapToDouble(x -> x[j].perSecond()).toArray()),
            DurabilityBench.med(all.stream().mapToDouble(x -> x[j].p50Micros()).toArray()),
            DurabilityBench.med(all.stream().mapToDouble(x -> x[j].p99Micros()).toArray()));
      }
    } finally {
      provider.shutdown();
      api.stop(0);
      db.dispose();
    }
    System.exit(0);
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
    return PreparedConnection.prepare(ORG, conn, opener);
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
