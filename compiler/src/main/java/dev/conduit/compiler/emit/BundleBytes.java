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
 * Here the bundle is serialised once, without its source, and hashed on another thread as it is
 * written ({@link HashingBuffer}); the source member is then inserted where the serialiser puts
 * it. Where that is, and how it reads, is not assumed: it is found by serialising a bundle with
 * nothing in it, with and without the source. Any doubt (the
 * content does not start as expected, or holds an escaped UTF-16 surrogate: a lone surrogate is
 * escaped on the byte route and turned into '?' on the codec's String route) falls back to the
 * codec itself.
 */
public final class BundleBytes {
  private BundleBytes() {}

  private static final JsonMapper MAPPER = BundleCodec.mapper();

  /** The bundle's bytes with its content hash filled in, as {@link BundleCodec#write} gives them. */
  public static byte[] of(Bundle bundle) {
    HashingBuffer content = new HashingBuffer(); // hashed on another thread as it is written
    MAPPER.writeValue(content, bundle.withSource(null));
    String hash = content.finish();
    String commit = bundle.source() == null ? null : bundle.source().commit();
    Bundle.Source source = new Bundle.Source(commit, hash);

    byte[] without = MAPPER.writeValueAsBytes(empty(bundle).withSource(null));
    byte[] with = MAPPER.writeValueAsBytes(empty(bundle).withSource(source));
    int at = Arrays.mismatch(without, with);
    int length = with.length - without.length;
    if (at < 0 || length <= 0 || !Arrays.equals(with, at + length, with.length, without, at, without.length)
        || content.size() < at || !Arrays.equals(content.head(at), 0, at, without, 0, at)
        || content.sawSurrogateEscape()) {
      return BundleCodec.write(bundle);
    }
    return content.toArray(at, Arrays.copyOfRange(with, at, at + length), (byte) '\n');
  }

  /** The bundle's format and nothing else: its serialised form shows where the source goes. */
  private static Bundle empty(Bundle bundle) {
    return new Bundle(bundle.format(), null, null, List.of(), List.of(), List.of(), List.of(), List.of());
  }
}
