package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.conduit.runtime.store.Databases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;

/**
 * Two runtime servers, two Liberty processes of their own on one PostgreSQL, and one account of the
 * fixture's authorization-code connection, against a real OAuth 2.0 server (mock-oauth2-server
 * behind the fixture upstream, which counts what reaches it): calls on both servers that find the
 * token due at once send exactly one refresh to the provider, and an account removed on one server
 * is refused by the other within the accounts cache's lifetime (docs/accounts.md).
 */
class AccountsOnTwoServersIT {

  static final String DAVE = basic("dave", "dave-demo-pw");
  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String ACCOUNTS =
      "/api/v1/organizations/" + FIXTURE + "/connections/accounts/accounts";
  static final String INVOKE = "/api/v1/connections/accounts/apis/me/invoke";

  /** The bound under test: the servers' conduit.accounts.cache-seconds (the default). */
  static final Duration CACHE_LIFETIME = Duration.ofSeconds(5);

  static final int CALLS_PER_SERVER = 4;

  /**
   * The fixture connection refreshes 60 s before expiry: a first token of 30 s is due at once, the
   * later ones (an hour) are not. The provider keeps this callback for the refresh grant too.
   */
  static final class FirstTokenShortLived extends DefaultOAuth2TokenCallback {
    final AtomicLong expirySeconds = new AtomicLong(30);

    FirstTokenShortLived(String subject) {
      super("issuer", subject);
    }

    @Override
    public long tokenExpiry() {
      return expirySeconds.get();
    }
  }

  @Test
  void oneRefreshReachesTheProviderAndARemovalIsNoticedWithinTheBound() throws Exception {
    String schema = Databases.newPostgresSchema();
    assumeTrue(schema != null, Databases.skipMessage());
    Map<String, String> sharedDatabase =
        Map.of(
            "CONDUIT_DB_URL", Databases.postgresUrl(schema),
            "CONDUIT_DB_USER", "postgres",
            "CONDUIT_DB_PASSWORD", "postgres", // trust authentication: not checked
            "CONDUIT_DB_DATASOURCE", "org.postgresql.ds.PGSimpleDataSource",
            "CONDUIT_ACCOUNTS_CACHE_SECONDS", String.valueOf(CACHE_LIFETIME.toSeconds()));
    int port = URI.create(ItSupport.BASE).getPort();
    MockOAuth2Server provider = new MockOAuth2Server();
    provider.start();
    StubMapping toProvider =
        upstream()
            .stubFor(
                any(urlPathMatching("/issuer/.*"))
                    .atPriority(1)
                    .willReturn(
                        aResponse()
                            .proxiedFrom(provider.baseUrl().toString().replaceAll("/$", ""))));
    try (ServerProcess a = ServerProcess.of("conduitAccountsA", port + 6, sharedDatabase);
        ServerProcess b = ServerProcess.of("conduitAccountsB", port + 7, sharedDatabase)) {
      CompletableFuture<Duration> startA = CompletableFuture.supplyAsync(() -> start(a));
      CompletableFuture<Duration> startB = CompletableFuture.supplyAsync(() -> start(b));
      System.out.printf(
          "[accounts] servers ready after %d s and %d s%n",
          startA.get(11, TimeUnit.MINUTES).toSeconds(),
          startB.get(11, TimeUnit.MINUTES).toSeconds());

      // dave connects an account on server A; its first token is already due for a refresh
      FirstTokenShortLived tokens = new FirstTokenShortLived("dave-on-two-servers");
      provider.enqueueCallback(tokens);
      var started =
          send(a, "POST", ACCOUNTS + "/connect", DAVE, "{\"applications\":[\"app-one\"]}", null);
      assertEquals(200, started.statusCode(), started.body());
      String url = ItSupport.JSON.readTree(started.body()).at("/data/authorizationUrl").asString();
      var atProvider =
          ItSupport.CLIENT.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(302, atProvider.statusCode(), atProvider.body());
      String callback = atProvider.headers().firstValue("Location").orElseThrow();
      assertTrue(callback.startsWith(a.base + "/api/v1/connections/accounts/oauth2/callback?"));
      // dave's browser, signed in to server A, brings the code back
      var back =
          ConsoleSession.signedIn(a.base, "dave", "dave-demo-pw", "/console")
              .get(callback.substring(a.base.length()));
      assertEquals(200, back.statusCode(), back.body());
      tokens.expirySeconds.set(3600);
      String id =
          ItSupport.JSON
              .readTree(send(b, "GET", ACCOUNTS, DAVE, null, null).body())
              .at("/data/accounts/0/id")
              .asString();
      assertTrue(!id.isEmpty(), "server B lists the account connected on A");

      // eight calls at once, half on each server, all finding the token due
      int refreshesBefore = refreshRequests();
      ExecutorService callers = Executors.newFixedThreadPool(2 * CALLS_PER_SERVER);
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 2 * CALLS_PER_SERVER; i++) {
        ServerProcess s = i % 2 == 0 ? a : b;
        calls.add(callers.submit(() -> send(s, "POST", INVOKE, APP_ONE, "{}", id)));
      }
      for (Future<HttpResponse<String>> f : calls) {
        HttpResponse<String> r = f.get(2, TimeUnit.MINUTES);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
            "dave-on-two-servers",
            ItSupport.JSON.readTree(r.body()).at("/data/subject").asString());
      }
      callers.shutdown();
      assertEquals(
          1,
          refreshRequests() - refreshesBefore,
          "exactly one refresh request reached the provider for eight calls on two servers");

      // removed on A: refused on A at once, and on B once the cache's lifetime has passed
      assertEquals(200, send(b, "POST", INVOKE, APP_ONE, "{}", id).statusCode());
      var removed = send(a, "DELETE", ACCOUNTS + "/" + id, DAVE, null, null);
      assertEquals(200, removed.statusCode(), removed.body());
      long removedAt = System.nanoTime(); // B's entry was read before the removal, so before this
      var onA = send(a, "POST", INVOKE, APP_ONE, "{}", id);
      assertEquals(403, onA.statusCode(), "the server that removed it forgets it at once");
      long wait = CACHE_LIFETIME.toNanos() - (System.nanoTime() - removedAt);
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      var onB = send(b, "POST", INVOKE, APP_ONE, "{}", id);
      assertEquals(
          403,
          onB.statusCode(),
          "an account removed on A is refused on B within " + CACHE_LIFETIME + ": " + onB.body());
    } finally {
      upstream().removeStub(toProvider);
      provider.shutdown();
    }
  }

  private static Duration start(ServerProcess s) {
    try {
      return s.start();
    } catch (Exception e) {
      throw new IllegalStateException("server on port " + s.port + ": " + e.getMessage(), e);
    }
  }

  /** Refresh-token grants that reached the provider (through the fixture upstream) so far. */
  private static int refreshRequests() {
    return upstream()
        .findAll(
            postRequestedFor(urlEqualTo("/issuer/token"))
                .withRequestBody(containing("grant_type=refresh_token")))
        .size();
  }

  private static HttpResponse<String> send(
      ServerProcess s,
      String method,
      String path,
      String authorization,
      String body,
      String account)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(s.base + path))
            .timeout(Duration.ofMinutes(1))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    if (account != null) {
      r.header("X-Conduit-Account", account);
    }
    return ItSupport.CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
