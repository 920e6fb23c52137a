package dev.conduit.runtime.invoke;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.MovableClock;
import dev.conduit.seal.Opener;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine wired as the server wires it, against a real local upstream (WireMock on 127.0.0.1,
 * random port), with a clock the test moves and host names the test resolves (to simulate a DNS
 * answer pointing inside). Tests build their connections ({@link Build}) or take them from the
 * fixture organization compiled by the real compiler ({@link #fixture()}).
 */
final class Engine implements AutoCloseable {

  final WireMockServer upstream =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
  final String base;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T08:00:00Z"));
  final Clock clock = new MovableClock(now);

  /** Host names the tests resolve themselves; others go to the system resolver. */
  final Map<String, String> dns = new ConcurrentHashMap<>();

  final Opener opener;
  final Upstream up;
  final CodeBlocks code;
  final Recorder recorder;
  InMemoryTokenStore store;
  TokenManager tokens;
  Invoker invoker;
  private Bundle fixture;

  Engine(long maxResponseBytes, Recorder recorder, CodeBlocks code) throws Exception {
    upstream.start();
    base = "http://127.0.0.1:" + upstream.port();
    opener = new Opener(Fixtures.KEYS.privateKeyset());
    this.code = code;
    this.recorder = recorder;
    up =
        new Upstream(
            host ->
                dns.containsKey(host)
                    ? new InetAddress[] {InetAddress.getByName(dns.get(host))}
                    : InetAddress.getAllByName(host),
            maxResponseBytes);
    reset();
  }

  Engine() throws Exception {
    this(
        64 * 1024,
        Recorder.DEFAULT,
        (connection, block, input) -> {
          throw new CodeBlocks.Failure(block.file() + ": no code engine in this test");
        });
  }

  /** A fresh token store and cache, and a clean upstream: no test sees another's state. */
  void reset() {
    upstream.resetAll();
    dns.clear();
    store = new InMemoryTokenStore(clock);
    tokens = new TokenManager(up, store, clock, recorder);
    invoker = new Invoker(up, tokens, code, recorder);
  }

  /** Another runtime instance: its own token cache, the same shared store. */
  Invoker otherInstance() {
    return new Invoker(up, new TokenManager(up, store, clock, recorder), code, recorder);
  }

  /** The fixture organization (src/test/resources/fixture-repo) pointed at this upstream. */
  Bundle fixture() throws Exception {
    if (fixture == null) {
      fixture = Fixtures.bundle(Files.createTempDirectory("fixture"), base);
    }
    return fixture;
  }

  /** A connection of the fixture organization, prepared. */
  PreparedConnection connection(String id) throws Exception {
    return prepare(fixture().connection(id).orElseThrow());
  }

  /** Invokes an API of the fixture organization. */
  Outcome invoke(String connection, String api, Map<String, Object> inputs) throws Exception {
    return invoke(connection(connection), api, inputs);
  }

  PreparedConnection prepare(Connection c) throws PreparedConnection.PrepareException {
    return PreparedConnection.prepare(
        Fixtures.ORG, c, opener, PrivateNetworkRule.only(Fixtures.ORG));
  }

  PreparedConnection prepare(Build.ConnectionBuilder c) throws PreparedConnection.PrepareException {
    return prepare(c.build());
  }

  Outcome invoke(PreparedConnection c, String api, Map<String, Object> inputs) {
    return invoker.invoke(c, c.api(api), inputs);
  }

  int requests() {
    return upstream.getAllServeEvents().size();
  }

  @Override
  public void close() {
    upstream.stop();
    up.close();
  }
}
