package dev.conduit.code;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.HostAccess;

/**
 * The helper library of code blocks: hashing and HMAC, Base64 and hex, URL encoding, the time,
 * UUIDs. JavaScript blocks reach it as the global {@code conduit} through a small JavaScript
 * wrapper (conduit_prelude.js) that turns every argument into text first; only the methods marked
 * {@link HostAccess.Export} are reachable, nothing else of the host. The Python worker implements
 * the same functions under the same names (conduit_helpers.py); the tests hold both to the same
 * vectors.
 *
 * <p>Text is hashed, signed and encoded as its UTF-8 bytes; keys are text too, except for the
 * {@code HexKey} functions, whose key is the bytes a hex text spells (so an HMAC's hex result keys
 * the next one, as TC3 and AWS Signature 4 chain them). Decoders refuse bad input with an {@link
 * IllegalArgumentException} whose message the block's author sees.
 *
 * <p>This class is the one definition of the helper set: its exported methods ({@link #FUNCTIONS})
 * are what JavaScript's {@code conduit} holds, and the tests hold Python's {@code conduit} to the
 * same names.
 */
public final class Helpers {

  public static final Helpers INSTANCE = new Helpers();

  /** Every helper's name and number of arguments, sorted by name: the helper set. */
  public static final Map<String, Integer> FUNCTIONS = functions();

  private Helpers() {}

  @HostAccess.Export
  public String md5(String s) {
    return hex(digest("MD5", s));
  }

  @HostAccess.Export
  public String sha1(String s) {
    return hex(digest("SHA-1", s));
  }

  @HostAccess.Export
  public String sha256(String s) {
    return hex(digest("SHA-256", s));
  }

  /** Hex HMAC-SHA256 of {@code data} keyed by {@code key}. */
  @HostAccess.Export
  public String hmacSha256(String key, String data) {
    return hex(hmac("HmacSHA256", key, data));
  }

  @HostAccess.Export
  public String hmacSha1(String key, String data) {
    return hex(hmac("HmacSHA1", key, data));
  }

  @HostAccess.Export
  public String hmacMd5(String key, String data) {
    return hex(hmac("HmacMD5", key, data));
  }

  /** Base64 of HMAC-SHA256 (what many signature schemes want instead of hex). */
  @HostAccess.Export
  public String hmacSha256Base64(String key, String data) {
    return Base64.getEncoder().encodeToString(hmac("HmacSHA256", key, data));
  }

  @HostAccess.Export
  public String hmacSha1Base64(String key, String data) {
    return Base64.getEncoder().encodeToString(hmac("HmacSHA1", key, data));
  }

  @HostAccess.Export
  public String hmacMd5Base64(String key, String data) {
    return Base64.getEncoder().encodeToString(hmac("HmacMD5", key, data));
  }

  /**
   * Hex HMAC-SHA256 keyed by the bytes {@code hexKey} spells: the result keys the next HMAC of a
   * chain (TC3-HMAC-SHA256's signing key, AWS Signature 4's).
   */
  @HostAccess.Export
  public String hmacSha256HexKey(String hexKey, String data) {
    return hex(hmac("HmacSHA256", unhex(hexKey, "hmacSha256HexKey", "the key"), bytes(data)));
  }

  @HostAccess.Export
  public String hmacSha1HexKey(String hexKey, String data) {
    return hex(hmac("HmacSHA1", unhex(hexKey, "hmacSha1HexKey", "the key"), bytes(data)));
  }

  @HostAccess.Export
  public String hmacMd5HexKey(String hexKey, String data) {
    return hex(hmac("HmacMD5", unhex(hexKey, "hmacMd5HexKey", "the key"), bytes(data)));
  }

  /** The bytes a Base64 text encodes, as hex (a Base64 key for the HexKey functions). */
  @HostAccess.Export
  public String base64ToHex(String s) {
    return hex(unbase64(s, "base64ToHex"));
  }

  /** The bytes a hex text spells, as Base64 (a hex HMAC as the Base64 a signature wants). */
  @HostAccess.Export
  public String hexToBase64(String s) {
    return Base64.getEncoder().encodeToString(unhex(s, "hexToBase64", "the text"));
  }

  @HostAccess.Export
  public String base64Encode(String s) {
    return Base64.getEncoder().encodeToString(bytes(s));
  }

  /** Base64 (standard alphabet; whitespace ignored, padding optional) back to UTF-8 text. */
  @HostAccess.Export
  public String base64Decode(String s) {
    return utf8(unbase64(s, "base64Decode"), "base64Decode");
  }

  @HostAccess.Export
  public String hexEncode(String s) {
    return hex(bytes(s));
  }

  /** Percent-encoding of a URL component: everything but A-Z a-z 0-9 - _ . ~ (space is %20). */
  @HostAccess.Export
  public String urlEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes(s)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }

  /** Decodes %XX sequences (a + stays a +: this is a URL component, not a form). */
  @HostAccess.Export
  public String urlDecode(String s) {
    byte[] in = bytes(s);
    ByteBuffer out = ByteBuffer.allocate(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%') {
        int hi = i + 1 < in.length ? Character.digit(in[i + 1], 16) : -1;
        int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("urlDecode: '%' must be followed by two hex digits");
        }
        out.put((byte) (hi * 16 + lo));
        i += 2;
      } else {
        out.put(in[i]);
      }
    }
    byte[] raw = new byte[out.position()];
    out.flip().get(raw);
    return utf8(raw, "urlDecode");
  }

  /** Milliseconds since the epoch. */
  @HostAccess.Export
  public double now() {
    return System.currentTimeMillis();
  }

  /** Whole seconds since the epoch. */
  @HostAccess.Export
  public double nowSeconds() {
    return System.currentTimeMillis() / 1000L;
  }

  /** A random (version 4) UUID. */
  @HostAccess.Export
  public String uuid() {
    return UUID.randomUUID().toString();
  }

  private static byte[] unbase64(String s, String function) {
    String compact = (s == null ? "" : s).replaceAll("\\s+", "");
    if (!compact.matches("[A-Za-z0-9+/]*={0,2}")) {
      throw new IllegalArgumentException(
          function + ": not valid Base64 (only A-Z, a-z, 0-9, +, / and = padding)");
    }
    try {
      return Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(function + ": not valid Base64 (its length is wrong)");
    }
  }

  private static byte[] unhex(String s, String function, String what) {
    String t = s == null ? "" : s;
    if (t.length() % 2 != 0 || !t.matches("[0-9a-fA-F]*")) {
      throw new IllegalArgumentException(
          function + ": " + what + " is not hex (an even number of digits 0-9, a-f)");
    }
    return HexFormat.of().parseHex(t);
  }

  private static Map<String, Integer> functions() {
    Map<String, Integer> out = new TreeMap<>();
    for (Method m : Helpers.class.getDeclaredMethods()) {
      if (m.isAnnotationPresent(HostAccess.Export.class)) {
        out.put(m.getName(), m.getParameterCount());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static byte[] bytes(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String utf8(byte[] raw, String function) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(function + ": the decoded bytes are not UTF-8 text");
    }
  }

  private static byte[] digest(String algorithm, String s) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes(s));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(String algorithm, String key, String data) {
    return hmac(algorithm, bytes(key), bytes(data));
  }

  private static byte[] hmac(String algorithm, byte[] k, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      // an empty key is legal in HMAC; SecretKeySpec refuses it, so stand in the equivalent
      // one-zero-byte key
      mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
