package dev.conduit.code;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.HostAccess;

/**
 * The helper library that JavaScript blocks see as the global {@code conduit}: hashing and HMAC,
 * Base64 and hex, URL encoding, the time, UUIDs. Only the methods marked
 * {@link HostAccess.Export} are reachable from a block; nothing else of the host is. The
 * Python worker offers the same functions under the same names (conduit_worker.py).
 */
public final class Helpers {

  public static final Helpers INSTANCE = new Helpers();

  private Helpers() {}

  @HostAccess.Export
  public String md5(String s) {
    return digest("MD5", s);
  }

  @HostAccess.Export
  public String sha1(String s) {
    return digest("SHA-1", s);
  }

  @HostAccess.Export
  public String sha256(String s) {
    return digest("SHA-256", s);
  }

  /** Hex HMAC-SHA256 of {@code data} keyed by {@code key}. */
  @HostAccess.Export
  public String hmacSha256(String key, String data) {
    return HexFormat.of().formatHex(hmac("HmacSHA256", key, data));
  }

  @HostAccess.Export
  public String hmacSha1(String key, String data) {
    return HexFormat.of().formatHex(hmac("HmacSHA1", key, data));
  }

  @HostAccess.Export
  public String hmacMd5(String key, String data) {
    return HexFormat.of().formatHex(hmac("HmacMD5", key, data));
  }

  /** Base64 of HMAC-SHA256 (what many signature schemes want instead of hex). */
  @HostAccess.Export
  public String hmacSha256Base64(String key, String data) {
    return Base64.getEncoder().encodeToString(hmac("HmacSHA256", key, data));
  }

  @HostAccess.Export
  public String base64Encode(String s) {
    return Base64.getEncoder().encodeToString(bytes(s));
  }

  @HostAccess.Export
  public String base64Decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  @HostAccess.Export
  public String hexEncode(String s) {
    return HexFormat.of().formatHex(bytes(s));
  }

  /** Percent-encoding for a URL component (spaces as %20). */
  @HostAccess.Export
  public String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
  }

  @HostAccess.Export
  public String urlDecode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Milliseconds since the epoch. */
  @HostAccess.Export
  public double now() {
    return System.currentTimeMillis();
  }

  /** Seconds since the epoch. */
  @HostAccess.Export
  public double nowSeconds() {
    return System.currentTimeMillis() / 1000L;
  }

  @HostAccess.Export
  public String uuid() {
    return UUID.randomUUID().toString();
  }

  private static byte[] bytes(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }

  private static String digest(String algorithm, String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes(s)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(String algorithm, String key, String data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(bytes(key), algorithm));
      return mac.doFinal(bytes(data));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
