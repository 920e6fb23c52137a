package dev.conduit.compiler.emit;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bytes {@link BundleCodec#write} gives, with less than half of its work on a large bundle.
 *
 * <p>The codec serialises the bundle twice (once without its source, for the content hash, then
 * with it, as a String encoded again into UTF-8): at 10,000 APIs, 30 MB each time, most of emit.
 * Here the bundle is serialised once, without its source, and hashed; the source member is then
 * inserted where the serialiser puts it. Where that is, and how it reads, is not assumed: it is
 * found by serialising a bundle with nothing in it, with and without the source. Any doubt (the
 * content does not start as expected, or holds a lone surrogate, which the codec's String route
 * encodes differently) falls back to the codec itself.
 */
public final class BundleBytes {
  private BundleBytes() {}

  private static final JsonMapper MAPPER = BundleCodec.mapper();

  /** The bundle's bytes with its content hash filled in, as {@link BundleCodec#write} gives them. */
  public static byte[] of(Bundle bundle) {
    byte[] content = MAPPER.writeValueAsBytes(bundle.withSource(null));
    String commit = bundle.source() == null ? null : bundle.source().commit();
    Bundle.Source source = new Bundle.Source(commit, BundleCodec.sha256(content));

    byte[] without = MAPPER.writeValueAsBytes(empty(bundle).withSource(null));
    byte[] with = MAPPER.writeValueAsBytes(empty(bundle).withSource(source));
    int at = Arrays.mismatch(without, with);
    int length = with.length - without.length;
    if (at < 0 || length <= 0 || !Arrays.equals(with, at + length, with.length, without, at, without.length)
        || content.length < at || !Arrays.equals(content, 0, at, without, 0, at) || hasSurrogate(content)) {
      return BundleCodec.write(bundle);
    }
    byte[] out = new byte[content.length + length + 1];
    System.arraycopy(content, 0, out, 0, at);
    System.arraycopy(with, at, out, at, length);
    System.arraycopy(content, at, out, at + length, content.length - at);
    out[out.length - 1] = '\n';
    return out;
  }

  /** The bundle's format and nothing else: its serialised form shows where the source goes. */
  private static Bundle empty(Bundle bundle) {
    return new Bundle(bundle.format(), null, null, List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /**
   * Whether the serialiser escaped a lone UTF-16 surrogate ({@code \\uD800}: the byte route
   * writes it so, the codec's String route turns it into '?'). Also true for a harmless
   * backslash followed by "uD" in a string: the codec is then merely asked to do it the slow way.
   */
  private static boolean hasSurrogate(byte[] utf8) {
    for (int i = 0; i < utf8.length - 2; i++) {
      if (utf8[i] == '\\' && utf8[i + 1] == 'u' && (utf8[i + 2] == 'D' || utf8[i + 2] == 'd')) {
        return true;
      }
    }
    return false;
  }
}
