package dev.conduit.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes bundles. Writing is deterministic: the same bundle gives the same bytes
 * (record components in declaration order, maps in their source order, "\n" line ends, no
 * timestamps). The content hash covers everything but {@link Bundle.Source}.
 */
public final class BundleCodec {

  private static final JsonMapper MAPPER = mapper();

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

  /** Fills in the content hash and writes the bundle as UTF-8 JSON. */
  public static byte[] write(Bundle bundle) {
    byte[] content = MAPPER.writeValueAsBytes(bundle.withSource(null));
    String commit = bundle.source() == null ? null : bundle.source().commit();
    Bundle hashed = bundle.withSource(new Bundle.Source(commit, sha256(content)));
    return (MAPPER.writeValueAsString(hashed) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a bundle and verifies its format and content hash.
   *
   * @throws BundleException with a reason a person can act on
   */
  public static Bundle read(InputStream in) throws BundleException {
    Bundle bundle;
    try {
      JsonNode tree = MAPPER.readTree(in);
      String format = tree.path("format").asString("");
      if (!Bundle.FORMAT.equals(format)) {
        throw new BundleException(
            "unsupported bundle format \"" + format + "\" (this runtime reads \"" + Bundle.FORMAT
                + "\"): compile the repository with a matching conduit");
      }
      bundle = MAPPER.treeToValue(tree, Bundle.class);
    } catch (JacksonException e) {
      throw new BundleException("not a valid bundle: " + e.getOriginalMessage());
    }
    if (bundle.source() == null || bundle.source().contentHash() == null) {
      throw new BundleException("the bundle has no content hash: it was not written by conduit");
    }
    String actual = sha256(MAPPER.writeValueAsBytes(bundle.withSource(null)));
    if (!actual.equals(bundle.source().contentHash())) {
      throw new BundleException(
          "the bundle's content does not match its hash (expected "
              + bundle.source().contentHash() + ", found " + actual
              + "): it was changed after compiling");
    }
    return bundle;
  }

  /** {@code sha256:<hex>} of some bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
