package dev.conduit.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes bundles. Writing is deterministic: the same bundle gives the same bytes (record
 * components in declaration order, maps in their source order, "\n" line ends, no timestamps). The
 * content hash covers everything but {@link Bundle.Source}.
 */
public final class BundleCodec {

  /** The bundle mapper, able to share parts with a bundle in memory when a read asks. */
  private static final JsonMapper MAPPER =
      mapper().rebuild().addModule(SharedParts.module()).build();

  /**
   * How much of a bundle is looked at for its format before it is bound: {@link #write} puts the
   * format first, so a bundle of another format is named as such rather than failing on a member
   * this runtime does not know.
   */
  private static final int FORMAT_PEEK_BYTES = 8192;

  private BundleCodec() {}

  /** The mapper bundles are written with; also handy for plain data in tests. */
  public static JsonMapper mapper() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    return JsonMapper.builder()
        .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
        .enable(SerializationFeature.INDENT_OUTPUT)
        .defaultPrettyPrinter(printer)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
  }

  /**
   * Fills in the content hash and writes the bundle as UTF-8 JSON, ending with a newline: the bytes
   * of the bundle serialised with {@code source} = (its commit, the hash), where the hash is {@link
   * #sha256} of the bundle serialised with no source at all. Both serialisations go straight to
   * UTF-8 bytes, the route {@link #read} checks the hash on, so a string that is not well-formed
   * UTF-16 (a lone surrogate, which a JSON file may hold as an escape) is written as the same
   * escape in the file and in the hashed form.
   *
   * <p>The bundle is serialised once: without its source, into a {@link HashingBuffer} that hashes
   * it on another thread as it is written (at 10,000 APIs that is 30 MB, and the hash costs about
   * what the writing does); the source member is then inserted where the serialiser puts it. Where
   * that is, and how the member reads, is not assumed: it is found by serialising a bundle with
   * nothing else in it, with and without the source.
   */
  public static byte[] write(Bundle bundle) {
    HashingBuffer content = new HashingBuffer();
    MAPPER.writeValue(content, bundle.withSource(null));
    String hash = content.finish();
    String commit = bundle.source() == null ? null : bundle.source().commit();
    Bundle.Source source = new Bundle.Source(commit, hash);

    Bundle empty =
        new Bundle(
            bundle.format(), null, null, List.of(), List.of(), List.of(), List.of(), List.of());
    byte[] without = MAPPER.writeValueAsBytes(empty);
    byte[] with = MAPPER.writeValueAsBytes(empty.withSource(source));
    int at = Arrays.mismatch(without, with);
    int length = with.length - without.length;
    if (at < 0
        || length <= 0
        || !Arrays.equals(with, at + length, with.length, without, at, without.length)
        || content.size() < at
        || !Arrays.equals(content.head(at), 0, at, without, 0, at)) {
      // the serialiser did not write the source as one member between the same neighbours:
      // something changed in Bundle or in the mapper, which BundleCodecWriteTest shows
      throw new IllegalStateException("cannot place the source member in the serialised bundle");
    }
    return content.toArray(at, Arrays.copyOfRange(with, at, at + length), (byte) '\n');
  }

  /**
   * Reads a bundle and verifies its format and content hash.
   *
   * @throws BundleException with a reason a person can act on
   */
  public static Bundle read(InputStream in) throws BundleException {
    return read(in, null);
  }

  /**
   * Reads a bundle as {@link #read(InputStream)} does, taking each part (a connection with its
   * APIs, a member, an application, a library entry, the organization) that equals one of {@code
   * previous} from {@code previous} instead: the result equals a plain read, but holds new objects
   * only for what changed. The bundle is bound as it streams in, never held whole as a tree, so a
   * read keeps little alive beyond the result ({@link SharedParts} says why that matters).
   *
   * @param previous the bundle served now, or null
   * @throws BundleException with a reason a person can act on
   */
  public static Bundle read(InputStream in, Bundle previous) throws BundleException {
    Bundle bundle;
    try {
      BufferedInputStream buffered = new BufferedInputStream(in, FORMAT_PEEK_BYTES);
      buffered.mark(FORMAT_PEEK_BYTES);
      String leading = leadingFormat(buffered.readNBytes(FORMAT_PEEK_BYTES));
      buffered.reset();
      if (leading != null) {
        checkFormat(leading);
      }
      ObjectReader reader = MAPPER.readerFor(Bundle.class);
      if (previous != null) {
        reader = reader.withAttribute(SharedParts.ATTRIBUTE, SharedParts.of(previous));
      }
      bundle = reader.readValue(buffered);
    } catch (JacksonException e) {
      throw new BundleException("not a valid bundle: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BundleException("cannot read the bundle: " + e.getMessage());
    }
    if (bundle == null) {
      throw new BundleException("not a valid bundle: it is empty");
    }
    checkFormat(bundle.format());
    if (bundle.source() == null || bundle.source().contentHash() == null) {
      throw new BundleException("the bundle has no content hash: it was not written by conduit");
    }
    String actual = contentHash(bundle.withSource(null));
    if (!actual.equals(bundle.source().contentHash())) {
      throw new BundleException(
          "the bundle's content does not match its hash (expected "
              + bundle.source().contentHash()
              + ", found "
              + actual
              + "): it was changed after compiling");
    }
    return bundle;
  }

  /** The format when it is the head's first member; null when the head does not say. */
  private static String leadingFormat(byte[] head) {
    try (JsonParser p = MAPPER.createParser(head)) {
      if (p.nextToken() == JsonToken.START_OBJECT
          && p.nextToken() == JsonToken.PROPERTY_NAME
          && "format".equals(p.currentName())) {
        JsonToken value = p.nextToken();
        return value == JsonToken.VALUE_STRING ? p.getString() : "";
      }
      return null;
    } catch (JacksonException e) {
      return null; // not JSON, or cut short: the read itself says what is wrong
    }
  }

  private static void checkFormat(String format) throws BundleException {
    if (!Bundle.FORMAT.equals(format)) {
      throw new BundleException(
          "unsupported bundle format \""
              + (format == null ? "" : format)
              + "\" (this runtime reads \""
              + Bundle.FORMAT
              + "\"): compile the repository with a matching conduit");
    }
  }

  /**
   * {@code sha256:<hex>} of a value's serialised form, hashed as it is written: a large bundle is
   * not held a second time in memory as bytes just to be checked.
   */
  private static String contentHash(Bundle content) {
    MessageDigest digest = sha256Digest();
    try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
      MAPPER.writeValue(out, content);
    } catch (IOException e) {
      throw new UncheckedIOException("a null stream does not fail", e);
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code sha256:<hex>} of some bytes. */
  public static String sha256(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256Digest().digest(bytes));
  }
}
