package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.config.RuntimeConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Where requests may go and how the upstream's answer is bounded: secrets only to allowed hosts, no
 * internal addresses unless the connection allows them, no redirects followed, timeouts, error
 * excerpts and the response size cap.
 */
class UpstreamGuardTest {

  static Engine e;
  static final String SECRET = "key-GUARD-7731";

  @BeforeAll
  static void start() throws Exception {
    e = new Engine();
  }

  @AfterAll
  static void stop() {
    e.close();
  }

  @BeforeEach
  void reset() {
    e.reset();
    e.upstream.stubFor(any(anyUrl()).willReturn(okJson("{\"ok\":true}")));
  }

  /** What the Upstream throws for a request sent straight to it (no allowed hosts). */
  static Upstream.UpstreamException refused(Upstream up, OutgoingRequest r, boolean allowPrivate) {
    return assertThrows(
        Upstream.UpstreamException.class, () -> up.send(r, List.of(), allowPrivate));
  }

  static Outcome.Failure failed(Outcome o, ErrorCode code) {
    Outcome.Failure f =
        assertInstanceOf(Outcome.Failure.class, o, () -> "expected " + code + ", got " + o);
    assertEquals(code, f.code(), f.message());
    return f;
  }

  /** A connection whose "secret" API carries a hidden key and whose "plain" API carries none. */
  static Build.ConnectionBuilder keyed(String base) {
    return connection("guard")
        .param("base", base)
        .hidden("key", SECRET)
        .api(api("secret", "GET", "{{connection.base}}/s").query("key", "{{connection.key}}"))
        .api(api("plain", "GET", "{{connection.base}}/p"));
  }

  @Nested
  class AllowedHosts {

    @Test
    void aRequestCarryingAHiddenParameterGoesOnlyToAnAllowedHost() throws Exception {
      PreparedConnection c =
          e.prepare(keyed(e.base).allowedHosts("api.example.com", "*.example.net"));
      Outcome.Failure f = failed(e.invoke(c, "secret", Map.of()), ErrorCode.HOST_NOT_ALLOWED);
      assertEquals(502, f.status());
      assertTrue(
          f.message()
              .contains(
                  "127.0.0.1 is not in the connection's allowedHosts [api.example.com, *.example.net]"),
          f.message());
      assertEquals(0, e.requests(), "refused before sending");
      // a request without secrets may go to any (permitted) host
      assertInstanceOf(Outcome.Success.class, e.invoke(c, "plain", Map.of()));
      assertEquals(1, e.requests());
    }

    @Test
    void basicAuthAndTokenRequestsAreSecretCarryingToo() throws Exception {
      PreparedConnection basic =
          e.prepare(
              connection("b")
                  .param("base", e.base)
                  .hidden("pw", SECRET)
                  .auth(new Auth.Basic("user", "{{connection.pw}}"))
                  .allowedHosts("api.example.com")
                  .api(api("a", "GET", "{{connection.base}}/a")));
      failed(e.invoke(basic, "a", Map.of()), ErrorCode.HOST_NOT_ALLOWED);
      PreparedConnection cc =
          e.prepare(
              connection("cc")
                  .param("base", e.base)
                  .hidden("cs", SECRET)
                  .auth(
                      Build.clientCredentials(
                          "{{connection.base}}/token",
                          "POST",
                          "form",
                          Map.of("client_secret", "{{connection.cs}}"),
                          Map.of(),
                          null,
                          30,
                          Auth.TokenExpired.DEFAULT))
                  .allowedHosts("api.example.com")
                  .api(
                      api("a", "GET", "https://api.example.com/a")
                          .header("Authorization", "Bearer {{auth.access_token}}")));
      Outcome.Failure f = failed(e.invoke(cc, "a", Map.of()), ErrorCode.TOKEN_REQUEST_FAILED);
      assertTrue(f.message().contains("not in the connection's allowedHosts"), f.message());
      assertEquals(0, e.requests());
    }

    @Test
    void hostPatterns() {
      List<String> allowed = List.of("api.example.com", "*.example.net", "::1");
      for (String ok :
          List.of(
              "api.example.com",
              "API.Example.COM",
              "api.example.com.",
              "a.example.net",
              "x.y.example.net",
              "[::1]")) {
        assertTrue(Upstream.hostAllowed(ok, allowed), ok);
      }
      for (String no :
          List.of(
              "example.com",
              "evilapi.example.com",
              "api.example.com.evil.org",
              "example.net",
              "evilexample.net",
              "127.0.0.1")) {
        assertFalse(Upstream.hostAllowed(no, allowed), no);
      }
    }
  }

  @Nested
  class PrivateAddresses {

    /** The same API at another address, on a connection that does not allow its private network. */
    Outcome callAt(String base, boolean allowPrivate) throws Exception {
      return e.invoke(e.prepare(keyed(base).allowPrivateNetwork(allowPrivate)), "plain", Map.of());
    }

    @Test
    void internalAddressesAreRefusedBeforeSending() throws Exception {
      int port = e.upstream.port();
      e.dns.put("internal.example.com", "192.168.1.10");
      e.dns.put("rebound.example.com", "127.0.0.1");
      for (String base :
          List.of(
              "http://127.0.0.1:" + port,
              "http://[::1]:" + port,
              "http://169.254.169.254",
              "http://10.0.0.5",
              "http://172.16.3.4",
              "http://[::ffff:127.0.0.1]:" + port,
              "http://2130706433:" + port,
              "http://0.0.0.0:" + port,
              "http://[fd00::1]",
              "http://[fe80::1]",
              "http://100.64.0.1",
              "http://224.0.0.1",
              "http://localhost:" + port,
              "http://internal.example.com",
              "http://rebound.example.com:" + port)) {
        Outcome.Failure f = failed(callAt(base, false), ErrorCode.PRIVATE_ADDRESS_REFUSED);
        assertEquals(502, f.status());
        assertTrue(
            f.message().contains("an internal address")
                && f.message().contains("allowPrivateNetwork"),
            f.message());
      }
      assertEquals(0, e.requests(), "nothing reached the upstream");
    }

    @Test
    void aNewConnectionGoesToTheAddressesThatWereCheckedNotToASecondLookup() throws Exception {
      // a rebinding name: a public address when checked, loopback (the upstream) if asked again
      AtomicInteger lookups = new AtomicInteger();
      try (Upstream up =
          new Upstream(
              host ->
                  lookups.incrementAndGet() == 1
                      ? new InetAddress[] {InetAddress.getByName("192.0.2.1")}
                      : new InetAddress[] {InetAddress.getLoopbackAddress()},
              64 * 1024)) {
        OutgoingRequest r =
            new OutgoingRequest(
                "GET",
                URI.create("http://rebind.example.com:" + e.upstream.port() + "/p"),
                Map.of(),
                null,
                1,
                false);
        Upstream.UpstreamException x = refused(up, r, false);
        assertTrue(
            Set.of(ErrorCode.UPSTREAM_UNREACHABLE, ErrorCode.UPSTREAM_TIMEOUT).contains(x.code()),
            x.getMessage());
      }
      assertEquals(1, lookups.get(), "the name was looked up once, for the check");
      assertEquals(0, e.requests(), "nothing reached the loopback upstream");
    }

    /**
     * An organization sets allowPrivateNetwork in its own files: it must not reach the cloud
     * metadata endpoint, whose answer (the machine's credentials) reaches every organization.
     */
    @Test
    void metadataAddressesAreRefusedEvenToAConnectionThatAllowsItsPrivateNetwork()
        throws Exception {
      e.dns.put("metadata.example.com", "169.254.169.254");
      for (String base :
          List.of(
              "http://169.254.169.254",
              "http://169.254.170.2",
              "http://[fe80::1]",
              "http://[::ffff:169.254.169.254]",
              "http://[64:ff9b::a9fe:a9fe]",
              "http://[fd00:ec2::254]",
              "http://metadata.example.com")) {
        Outcome.Failure f = failed(callAt(base, true), ErrorCode.PRIVATE_ADDRESS_REFUSED);
        assertEquals(502, f.status());
        assertTrue(f.message().contains("cloud metadata"), base + ": " + f.message());
      }
      assertEquals(0, e.requests(), "nothing was sent");
      for (String a : List.of("127.0.0.1", "10.0.0.1", "::1", "fd00::1", "8.8.8.8")) {
        assertFalse(Upstream.isMetadata(InetAddress.getByName(a)), a);
      }
    }

    @Test
    void aConnectionThatAllowsItsPrivateNetworkReachesIt() throws Exception {
      int port = e.upstream.port();
      for (String base :
          List.of(
              "http://127.0.0.1:" + port,
              "http://localhost:" + port,
              "http://2130706433:" + port,
              "http://[::ffff:127.0.0.1]:" + port)) {
        assertInstanceOf(Outcome.Success.class, callAt(base, true), base);
      }
      assertEquals(4, e.requests());
    }

    /**
     * The flag is the organization's own word; on a shared runtime the operator names who may use
     * it (conduit.upstream.private-network-organizations): another organization's connection that
     * sets it still cannot reach loopback, and nothing is sent.
     */
    @Test
    void onlyOrganizationsTheOperatorNamesGetTheirPrivateNetwork() throws Exception {
      String base = "http://127.0.0.1:" + e.upstream.port();
      Connection c = keyed(base).allowPrivateNetwork(true).build();
      PrivateNetworkRule onlyOthers = PrivateNetworkRule.of(List.of("someone-else", " "));
      PreparedConnection refused =
          PreparedConnection.prepare(Fixtures.ORG, c, e.opener, onlyOthers);
      assertFalse(refused.allowsPrivateNetwork());
      Outcome.Failure f =
          failed(e.invoke(refused, "plain", Map.of()), ErrorCode.PRIVATE_ADDRESS_REFUSED);
      assertTrue(
          f.message().contains("conduit.upstream.private-network-organizations"), f.message());
      assertEquals(0, e.requests());

      PrivateNetworkRule named = PrivateNetworkRule.of(List.of("someone-else", Fixtures.ORG));
      assertInstanceOf(
          Outcome.Success.class,
          e.invoke(
              PreparedConnection.prepare(Fixtures.ORG, c, e.opener, named), "plain", Map.of()));
      assertEquals(1, e.requests());
      // blank: nobody; "*": everybody (one team's runtime, said explicitly)
      assertFalse(PrivateNetworkRule.of(List.of("")).permits(Fixtures.ORG));
      assertTrue(PrivateNetworkRule.of(List.of("a", "*")).permits(Fixtures.ORG));
    }

    /**
     * Nothing set, no organization is named: a runtime is closed until its operator opens it. The
     * setting has no default value (MicroProfile Config then injects an empty Optional, also for a
     * blank value), and that reads as nobody: a connection whose organization's files set
     * allowPrivateNetwork is refused loopback, nothing is sent, and the refusal names the setting
     * to change.
     */
    @Test
    void byDefaultNoOrganizationIsNamedAndTheRefusalNamesTheSetting() throws Exception {
      java.lang.reflect.Field setting =
          RuntimeConfig.class.getDeclaredField("privateNetworkOrganizations");
      assertEquals(PrivateNetworkRule.SETTING, setting.getAnnotation(ConfigProperty.class).name());
      assertEquals(
          ConfigProperty.UNCONFIGURED_VALUE,
          setting.getAnnotation(ConfigProperty.class).defaultValue(),
          "no default value: unset means no organization");
      RuntimeConfig unset = new RuntimeConfig();
      setting.setAccessible(true);
      setting.set(unset, java.util.Optional.empty());
      PrivateNetworkRule byDefault = unset.privateNetwork();
      assertEquals(PrivateNetworkRule.NONE, byDefault);

      Connection c =
          keyed("http://127.0.0.1:" + e.upstream.port()).allowPrivateNetwork(true).build();
      PreparedConnection p = PreparedConnection.prepare(Fixtures.ORG, c, e.opener, byDefault);
      assertFalse(p.allowsPrivateNetwork());
      Outcome.Failure f = failed(e.invoke(p, "plain", Map.of()), ErrorCode.PRIVATE_ADDRESS_REFUSED);
      assertTrue(f.message().contains(PrivateNetworkRule.SETTING), f.message());
      assertTrue(f.message().contains("names its organization"), f.message());
      assertEquals(0, e.requests(), "nothing was sent");
    }

    @Test
    void addressClassification() throws Exception {
      for (String a :
          List.of(
              "127.0.0.1",
              "127.8.9.10",
              "10.1.2.3",
              "172.16.0.1",
              "172.31.255.255",
              "192.168.0.1",
              "169.254.169.254",
              "0.0.0.0",
              "100.64.0.1",
              "198.18.0.1",
              "224.0.0.1",
              "255.255.255.255",
              "::",
              "::1",
              "fe80::1",
              "fc00::1",
              "fd12:3456::1",
              "fec0::1",
              "ff02::1",
              "::ffff:127.0.0.1",
              "::ffff:10.0.0.1",
              "::127.0.0.1",
              "64:ff9b::a9fe:a9fe",
              "2002:c0a8:0101::1")) {
        assertTrue(Upstream.isInternal(InetAddress.getByName(a)), a);
      }
      for (String a :
          List.of(
              "8.8.8.8",
              "1.1.1.1",
              "93.184.216.34",
              "172.32.0.1",
              "2606:4700:4700::1111",
              "::ffff:8.8.8.8",
              "64:ff9b::808:808",
              "2002:0808:0808::1")) {
        assertFalse(Upstream.isInternal(InetAddress.getByName(a)), a);
      }
    }
  }

  @Nested
  class Answers {

    @Test
    void theUpstreamSeesTheRequestAsTheTemplateBuiltIt() throws Exception {
      // the client adds its name (unless the template names another) and asks for no compression
      assertInstanceOf(
          Outcome.Success.class,
          e.invoke(
              e.prepare(
                  keyed(e.base)
                      .api(
                          api("agent", "GET", "{{connection.base}}/agent")
                              .header("User-Agent", "acme-sync/2"))),
              "plain",
              Map.of()));
      e.upstream.verify(
          getRequestedFor(urlEqualTo("/p"))
              .withHeader("User-Agent", equalTo("Conduit"))
              .withoutHeader("Accept-Encoding")
              .withoutHeader("Cookie"));
      assertInstanceOf(
          Outcome.Success.class,
          e.invoke(
              e.prepare(
                  keyed(e.base)
                      .api(
                          api("agent", "GET", "{{connection.base}}/agent")
                              .header("User-Agent", "acme-sync/2"))),
              "agent",
              Map.of()));
      e.upstream.verify(
          getRequestedFor(urlEqualTo("/agent")).withHeader("User-Agent", equalTo("acme-sync/2")));
    }

    @Test
    void aHeaderThatWouldSplitTheRequestIsRefusedBeforeSending() throws Exception {
      for (Map<String, List<String>> headers :
          List.of(
              Map.of("X-Note", List.of("a\r\nX-Evil: 1")),
              Map.of("X-Note", List.of("a\nb")),
              Map.of("X Note", List.of("a")),
              Map.of("X-Note:", List.of("a")))) {
        OutgoingRequest r =
            new OutgoingRequest("GET", URI.create(e.base + "/p"), headers, null, 5, false);
        Upstream.UpstreamException x = refused(e.up, r, true);
        assertEquals(ErrorCode.CONFIGURATION, x.code());
        assertTrue(x.getMessage().startsWith("the request cannot be sent: "), x.getMessage());
      }
      Upstream.UpstreamException method =
          refused(
              e.up,
              new OutgoingRequest(
                  "GET /x HTTP/1.1\r\nX:", URI.create(e.base + "/p"), Map.of(), null, 5, false),
              true);
      assertEquals(ErrorCode.CONFIGURATION, method.code());
      assertEquals(0, e.requests(), "nothing was sent");
    }

    @Test
    void aRedirectIsNotFollowedSoCredentialsStayOnTheirHost() throws Exception {
      WireMockServer elsewhere =
          new WireMockServer(
              WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
      elsewhere.start();
      try {
        elsewhere.stubFor(any(anyUrl()).willReturn(okJson("{\"stolen\":true}")));
        e.upstream.stubFor(
            any(anyUrl())
                .willReturn(
                    aResponse()
                        .withStatus(302)
                        .withHeader(
                            "Location",
                            "http://localhost:" + elsewhere.port() + "/steal?key=" + SECRET)));
        Outcome.Failure f =
            failed(
                e.invoke(e.prepare(keyed(e.base)), "secret", Map.of()), ErrorCode.UPSTREAM_ERROR);
        assertTrue(
            f.message()
                .startsWith(
                    "the upstream answered 302, a redirect to http://localhost:"
                        + elsewhere.port()
                        + "/steal?key=****** that is not followed"),
            f.message());
        assertEquals(0, elsewhere.getAllServeEvents().size(), "the other host saw nothing");
        assertEquals(1, e.requests());
      } finally {
        elsewhere.stop();
      }
    }

    @Test
    void anUpstreamErrorIs502WithItsStatusAndAShortExcerpt() throws Exception {
      e.upstream.stubFor(
          any(anyUrl())
              .willReturn(
                  aResponse()
                      .withStatus(500)
                      .withBody("database on fire\n  details: " + "x".repeat(2000))));
      Outcome.Failure f =
          failed(e.invoke(e.prepare(keyed(e.base)), "plain", Map.of()), ErrorCode.UPSTREAM_ERROR);
      assertEquals(502, f.status());
      assertTrue(
          f.message().startsWith("the upstream answered 500: database on fire details: xxx"),
          f.message());
      assertTrue(f.message().length() < 400 && f.message().endsWith("..."), f.message());
      assertEquals(List.of(new Outcome.Detail("upstream.status", "500")), f.details());
      assertEquals(500, f.exchange().response().status());
    }

    @Test
    void aSlowUpstreamIs504() throws Exception {
      e.upstream.stubFor(any(anyUrl()).willReturn(okJson("{}").withFixedDelay(2500)));
      Outcome.Failure f =
          failed(
              e.invoke(
                  e.prepare(
                      keyed(e.base).api(api("slow", "GET", "{{connection.base}}/slow").timeout(1))),
                  "slow",
                  Map.of()),
              ErrorCode.UPSTREAM_TIMEOUT);
      assertEquals(504, f.status());
      assertEquals(
          "the upstream call ran out of time: 127.0.0.1 did not answer before the API's timeoutSeconds (1 s, "
              + "for the whole call: token request, code blocks and upstream call) ran out",
          f.message());
    }

    @Test
    void aBodyThatTricklesInPastTheTimeoutIs504Too() throws Exception {
      // the headers come at once, the body over 4 s: the API's 1 s covers the whole answer
      e.upstream.stubFor(
          any(anyUrl())
              .willReturn(
                  okJson("{\"data\":\"" + "x".repeat(200) + "\"}")
                      .withChunkedDribbleDelay(20, 4000)));
      Outcome.Failure f =
          failed(
              e.invoke(
                  e.prepare(
                      keyed(e.base).api(api("drip", "GET", "{{connection.base}}/drip").timeout(1))),
                  "drip",
                  Map.of()),
              ErrorCode.UPSTREAM_TIMEOUT);
      assertTrue(
          f.exchange().durationMillis() < 3500,
          "stopped at the deadline, not at the end of the body");
    }

    @Test
    void aResponseLargerThanTheCapFailsClearly() throws Exception {
      e.upstream.stubFor(any(anyUrl()).willReturn(okJson("\"" + "x".repeat(100_000) + "\"")));
      Outcome.Failure f =
          failed(
              e.invoke(e.prepare(keyed(e.base)), "plain", Map.of()), ErrorCode.RESPONSE_TOO_LARGE);
      assertEquals(502, f.status());
      assertEquals(
          "127.0.0.1 answered with more than 65536 bytes (the limit is conduit.invoke.max-response-bytes)",
          f.message());
      // without a Content-Length (chunked), the cap holds while streaming
      e.upstream.stubFor(
          any(anyUrl())
              .willReturn(
                  okJson("\"" + "x".repeat(100_000) + "\"").withChunkedDribbleDelay(5, 50)));
      failed(e.invoke(e.prepare(keyed(e.base)), "plain", Map.of()), ErrorCode.RESPONSE_TOO_LARGE);
    }

    @Test
    void anUpstreamWhoseCertificateIsNotTrustedIsNotSentTheRequest() throws Exception {
      // WireMock's HTTPS port presents its own self-signed certificate: not in the JVM's trust
      // store
      WireMockServer tls =
          new WireMockServer(
              WireMockConfiguration.options()
                  .httpDisabled(true)
                  .dynamicHttpsPort()
                  .bindAddress("127.0.0.1"));
      tls.start();
      try {
        tls.stubFor(any(anyUrl()).willReturn(okJson("{\"ok\":true}")));
        Outcome.Failure f =
            failed(
                e.invoke(
                    e.prepare(keyed("https://127.0.0.1:" + tls.httpsPort())), "plain", Map.of()),
                ErrorCode.UPSTREAM_UNREACHABLE);
        assertTrue(
            f.message().startsWith("the TLS handshake with 127.0.0.1 failed: "), f.message());
        assertEquals(0, tls.getAllServeEvents().size(), "nothing reached the upstream");
      } finally {
        tls.stop();
      }
    }

    @Test
    void anUnreachableUpstreamIs502() throws Exception {
      int closed;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        closed = s.getLocalPort();
      }
      Outcome.Failure f =
          failed(
              e.invoke(e.prepare(keyed("http://127.0.0.1:" + closed)), "plain", Map.of()),
              ErrorCode.UPSTREAM_UNREACHABLE);
      assertTrue(f.message().startsWith("cannot reach 127.0.0.1"), f.message());
      assertNull(f.exchange().response());
      assertEquals("GET", f.exchange().request().method());
    }
  }
}
