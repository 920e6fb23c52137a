package dev.conduit.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BundleCodec#read}: the checks a runtime relies on (format, content hash), and a read that
 * shares the unchanged parts of the bundle served now, so that a commit changing one connection of
 * many leaves only that connection new in memory.
 */
class BundleCodecReadTest {

  private static Bundle read(byte[] bytes, Bundle previous) throws BundleException {
    return BundleCodec.read(new ByteArrayInputStream(bytes), previous);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code bundle} with connection {@code index} replaced. */
  private static Bundle withConnection(Bundle bundle, int index, Connection connection) {
    List<Connection> connections = new ArrayList<>(bundle.connections());
    connections.set(index, connection);
    return new Bundle(
        bundle.format(),
        bundle.source(),
        bundle.organization(),
        bundle.members(),
        connections,
        bundle.applications(),
        bundle.thirdPartyApps(),
        bundle.library());
  }

  /** {@code c} with another description and other APIs. */
  private static Connection connection(Connection c, String description, List<Api> apis) {
    return new Connection(
        c.id(),
        c.name(),
        description,
        c.logo(),
        c.owner(),
        c.notifications(),
        c.allowedHosts(),
        c.allowPrivateNetwork(),
        c.parameters(),
        c.auth(),
        c.installedFrom(),
        apis,
        c.grants());
  }

  /** {@code bundle} with one connection's description changed. */
  private static Bundle withDescription(Bundle bundle, int index, String description) {
    Connection c = bundle.connections().get(index);
    return withConnection(bundle, index, connection(c, description, c.apis()));
  }

  @Test
  void aReadThatSharesTakesTheServedBundlesUnchangedPartsAndReadsTheChangedOne() throws Exception {
    Bundle served = read(BundleCodec.write(BundleCodecWriteTest.bundle(50, "Text.")), null);
    byte[] next = BundleCodec.write(withDescription(served, 7, "Changed by the commit."));

    Bundle shared = read(next, served);

    assertEquals(read(next, null), shared, "the same bundle as a read that shares nothing");
    for (int i = 0; i < 50; i++) {
      if (i == 7) {
        assertNotSame(served.connections().get(i), shared.connections().get(i));
        assertEquals("Changed by the commit.", shared.connections().get(i).description());
      } else {
        assertSame(served.connections().get(i), shared.connections().get(i), "connection " + i);
      }
    }
    assertSame(served.organization(), shared.organization());
    assertSame(served.members().getFirst(), shared.members().getFirst());
  }

  /** A bundle whose first connection has one API sending {@code headers}. */
  private static Bundle withHeaders(Map<String, String> headers) {
    Api api =
        new Api(
            "get",
            "Get",
            null,
            null,
            null,
            Api.Status.published,
            true,
            List.of(),
            null,
            new Api.Request("GET", "https://api0.example.com/", Map.of(), headers, null, 30),
            null,
            List.of());
    Bundle bundle = BundleCodecWriteTest.bundle(3, "Text.");
    Connection c = bundle.connections().getFirst();
    return withConnection(bundle, 0, connection(c, c.description(), List.of(api)));
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void aCommitThatOnlyReordersHeadersIsServedInItsOwnOrder() throws Exception {
    // equal as maps, different as written: the served connection is not taken for the new one
    Bundle served =
        read(BundleCodec.write(withHeaders(ordered("Accept", "a", "X-Team", "t"))), null);
    byte[] next = BundleCodec.write(withHeaders(ordered("X-Team", "t", "Accept", "a")));

    Bundle shared = read(next, served);

    Api.Request request = shared.connections().getFirst().api("get").orElseThrow().request();
    assertEquals(List.of("X-Team", "Accept"), List.copyOf(request.headers().keySet()));
    assertNotSame(served.connections().getFirst(), shared.connections().getFirst());
    assertSame(served.connections().get(1), shared.connections().get(1));
  }

  @Test
  void aReadWithoutAServedBundleSharesNothing() throws Exception {
    byte[] bytes = BundleCodec.write(BundleCodecWriteTest.bundle(3, "Text."));
    Bundle first = read(bytes, null);
    Bundle second = read(bytes, null);
    assertEquals(first, second);
    assertNotSame(first.connections().getFirst(), second.connections().getFirst());
  }

  @Test
  void aChangedBundleIsRefusedWhateverItShares() throws Exception {
    Bundle served = read(BundleCodec.write(BundleCodecWriteTest.bundle(3, "Text.")), null);
    String tampered =
        new String(BundleCodec.write(served), StandardCharsets.UTF_8)
            .replace("\"eu-1\"", "\"us-1\"");
    BundleException e = assertThrows(BundleException.class, () -> read(bytes(tampered), served));
    assertTrue(e.getMessage().contains("does not match its hash"), e.getMessage());
  }

  @Test
  void aBundleOfAnotherFormatIsNamedAsSuchBeforeItsMembersAreRead() {
    // a future format with a member this runtime does not know: the format is what to fix
    String future = "{\"format\": \"conduit.bundle/2\", \"shards\": []}";
    BundleException e = assertThrows(BundleException.class, () -> read(bytes(future), null));
    assertEquals(
        "unsupported bundle format \"conduit.bundle/2\" (this runtime reads \"conduit.bundle/1\"):"
            + " compile the repository with a matching conduit",
        e.getMessage());
    // a bundle written by hand with the format last: bound first, then named the same way
    String late =
        "{\"members\": [], \"connections\": [], \"applications\": [], \"thirdPartyApps\": [],"
            + " \"library\": [], \"format\": \"conduit.bundle/0\"}";
    e = assertThrows(BundleException.class, () -> read(bytes(late), null));
    assertTrue(e.getMessage().startsWith("unsupported bundle format \"conduit.bundle/0\""));
  }

  @Test
  void whatIsNotABundleSaysSo() {
    for (String junk : List.of("", "not json", "[1, 2]", "{\"format\": \"conduit.bundle/1\",")) {
      BundleException e = assertThrows(BundleException.class, () -> read(bytes(junk), null), junk);
      assertTrue(
          e.getMessage().startsWith("not a valid bundle")
              || e.getMessage().startsWith("unsupported bundle format"),
          junk + ": " + e.getMessage());
    }
  }
}
