package dev.conduit.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Connection.Parameter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link BundleCodec#write} serialises a bundle once and hashes it as it goes; its bytes are those
 * of the definition (serialise without the source, hash, serialise with it), byte for byte,
 * whatever the bundle holds, and {@link BundleCodec#read} takes them back with the hash check
 * passing.
 */
class BundleCodecWriteTest {

  private static final JsonMapper MAPPER = BundleCodec.mapper();

  /** The definition, the slow way: two serialisations, both straight to UTF-8 bytes. */
  static byte[] definition(Bundle bundle) {
    String hash = BundleCodec.sha256(MAPPER.writeValueAsBytes(bundle.withSource(null)));
    String commit = bundle.source() == null ? null : bundle.source().commit();
    byte[] json = MAPPER.writeValueAsBytes(bundle.withSource(new Bundle.Source(commit, hash)));
    byte[] out = Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }

  /**
   * How write worked before it serialised once: the second serialisation as a String, encoded
   * afterwards. For well-formed text the bytes are the same (bundles written then are written the
   * same now); a lone surrogate became '?' in the file while the hash covered its escape.
   */
  static byte[] stringRoute(Bundle bundle) {
    byte[] content = MAPPER.writeValueAsBytes(bundle.withSource(null));
    String commit = bundle.source() == null ? null : bundle.source().commit();
    Bundle hashed = bundle.withSource(new Bundle.Source(commit, BundleCodec.sha256(content)));
    return (MAPPER.writeValueAsString(hashed) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** A bundle with {@code connections} connections, {@code text} in descriptions and values. */
  static Bundle bundle(int connections, String text) {
    List<Connection> list = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      list.add(
          new Connection(
              "connection-" + i,
              "Connection " + i,
              text + " (" + i + ")",
              null,
              "alice",
              Connection.Notifications.DEFAULT,
              List.of("api" + i + ".example.com"),
              false,
              List.of(
                  new Parameter("region", false, "eu-" + i, null),
                  new Parameter("note", false, text, null),
                  new Parameter("secret", true, null, "sealed:v1:" + "A".repeat(60) + i)),
              null,
              null,
              List.of(),
              List.of("application-" + i % 7)));
    }
    return new Bundle(
        Bundle.FORMAT,
        null,
        new Organization(
            "f0dc6a74-854a-46cb-ab8c-909b7846d34c", "Acme", text, List.of("alice"), null),
        List.of(
            new Member(
                "alice",
                "acc-1",
                "u-1",
                "Alice " + text,
                "alice@example.com",
                null,
                "R&D",
                null,
                null,
                null,
                null)),
        list,
        List.of(),
        List.of(),
        List.of());
  }

  static void writesTheDefinitionAndTheOldBytes(Bundle bundle, String what) {
    byte[] written = BundleCodec.write(bundle);
    assertArrayEquals(definition(bundle), written, what);
    assertArrayEquals(stringRoute(bundle), written, what + ": the bytes write gave before");
  }

  @Test
  void aSmallBundle() {
    writesTheDefinitionAndTheOldBytes(bundle(3, "Plain text."), "small");
  }

  @Test
  void withACommit() {
    writesTheDefinitionAndTheOldBytes(
        bundle(3, "Plain text.").withSource(new Bundle.Source("0123456789abcdef", null)),
        "with a commit");
  }

  @Test
  void anEmptyBundleAndOneWithoutAFormat() {
    Bundle empty =
        new Bundle(
            Bundle.FORMAT, null, null, List.of(), List.of(), List.of(), List.of(), List.of());
    writesTheDefinitionAndTheOldBytes(empty, "empty");
    writesTheDefinitionAndTheOldBytes(
        new Bundle(
            null,
            null,
            bundle(1, "x").organization(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of()),
        "no format");
  }

  @Test
  void aBundleOfSeveralMegabytesAcrossTheHashersChunks() {
    Bundle big =
        bundle(8000, "Text long enough to make a bundle of a few megabytes, as 10,000 APIs do.");
    byte[] written = BundleCodec.write(big);
    assertTrue(written.length > 3 * (1 << 20), "several 1 MB chunks: " + written.length);
    writesTheDefinitionAndTheOldBytes(big, "big");
  }

  @Test
  void charactersOutsideTheBasicPlaneAndEscapesThatOnlyLookLikeSurrogates() {
    for (String text :
        new String[] {
          "Weather \ud83c\udf24 and \u4e2d\u6587",
          "a backslash-u: \\uD800",
          "quotes \" and control \u0001 characters"
        }) {
      writesTheDefinitionAndTheOldBytes(bundle(3, text), text);
    }
  }

  @Test
  void aLoneSurrogateIsWrittenAsItsEscapeAndReadsBackWithTheHashCheckPassing() throws Exception {
    for (String text :
        new String[] {
          "A lone surrogate: \ud800.",
          "\udc00 a low one first",
          "a high one last \udbff",
          "reversed pair \udf24\ud83c"
        }) {
      Bundle bundle = bundle(3, text);
      byte[] written = BundleCodec.write(bundle);
      assertArrayEquals(definition(bundle), written, text);
      String json = new String(written, StandardCharsets.UTF_8);
      for (char c : text.toCharArray()) {
        if (Character.isSurrogate(c)) {
          assertTrue(
              json.contains(String.format("\\u%04X", (int) c)), "escaped in the file: " + text);
        }
      }
      assertFalse(json.contains("?"), "no replacement character: " + text);

      Bundle back = BundleCodec.read(new ByteArrayInputStream(written)); // the hash check passes
      assertEquals(text, back.organization().description());
      assertEquals(text, back.connections().get(1).parameter("note").orElseThrow().value());
      assertArrayEquals(written, BundleCodec.write(back), "read and written again: the same bytes");

      // what the String route wrote: '?' in the file while the hash covered the escape
      BundleException refused =
          assertThrows(
              BundleException.class,
              () -> BundleCodec.read(new ByteArrayInputStream(stringRoute(bundle))));
      assertTrue(refused.getMessage().contains("does not match its hash"), refused.getMessage());
    }
  }
}
