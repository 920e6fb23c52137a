package dev.conduit.code;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A code block's source.
 *
 * @param file the repository-relative path, used in every message
 */
public record CodeSource(String file, Language language, String text) {

  /** A key for caches: the same file with the same text is parsed once. */
  public String key() {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(file.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
