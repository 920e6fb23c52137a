package dev.conduit.runtime.invoke;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.conduit.bundle.Bundle;
import dev.conduit.runtime.Fixtures;
import dev.conduit.seal.Opener;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine wired as the server wires it, against a real local upstream (WireMock on 127.0.0.1),
 * with the fixture organization compiled by the real compiler.
 */
final class EngineHarness implements AutoCloseable {

  final WireMockServer upstream =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
  final AtomicReference<java.time.Instant> now =
      new AtomicReference<>(java.time.Instant.parse("2026-11-23T08:00:00Z"));
  final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public java.time.Instant instant() {
          return now.get();
        }
      };
  final Bundle bundle;
  final Opener opener;
  Invoker invoker;
  TokenManager tokens;
  private final Upstream up;
  private final CodeBlocks code;

  /** Host names the tests resolve themselves (e.g. a name that points at a private address). */
  final Map<String, String> dns = new java.util.concurrent.ConcurrentHashMap<>();

  EngineHarness(CodeBlocks code, long maxResponseBytes) throws Exception {
    upstream.start();
    bundle =
        Fixtures.bundle(
            Files.createTempDirectory("fixture"), "http://127.0.0.1:" + upstream.port());
    opener = new Opener(Fixtures.KEYS.privateKeyset());
    this.code = code;
    this.up =
        new Upstream(
            host ->
                dns.containsKey(host)
                    ? new InetAddress[] {InetAddress.getByName(dns.get(host))}
                    : InetAddress.getAllByName(host),
            maxResponseBytes);
    resetTokens();
  }

  /** A fresh token cache and store: no test sees another test's tokens. */
  void resetTokens() {
    tokens = new TokenManager(up, new InMemoryTokenStore(clock), clock);
    invoker = new Invoker(up, tokens, code);
  }

  PreparedConnection connection(String id) throws Exception {
    return PreparedConnection.prepare(Fixtures.ORG, bundle.connection(id).orElseThrow(), opener);
  }

  Outcome invoke(String connection, String api, Map<String, Object> inputs) throws Exception {
    PreparedConnection c = connection(connection);
    return invoker.invoke(c, c.api(api), inputs);
  }

  Outcome invoke(PreparedConnection c, String api, Map<String, Object> inputs) {
    return invoker.invoke(c, c.api(api), inputs);
  }

  @Override
  public void close() {
    upstream.stop();
    up.close();
  }
}
