package dev.conduit.compiler.codecache;

import dev.conduit.compiler.check.CodeSyntax;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A {@link CodeSyntax} that answers from the {@link CodeCheckStore} when it can and asks the
 * engines otherwise, storing their answer. The key is a SHA-256 of the checker's version, the
 * language, the file's path (a Python message may name the file) and its text.
 *
 * <p>{@link #prepare} starts the engine ahead (while the compiler reads the files, as without the
 * cache) only when the cache holds no answer of this checker version for the language: a first run,
 * or the first after a new build. Otherwise starting it is what a warm cache saves, and an engine
 * starts on the first check the cache cannot answer (on the language's own thread).
 */
public final class CachedCodeSyntax implements CodeSyntax {

  private final CodeSyntax engines;
  private final CodeCheckStore store;
  private final String checkerVersion;

  public CachedCodeSyntax(CodeSyntax engines, CodeCheckStore store, String checkerVersion) {
    this.engines = engines;
    this.store = store;
    this.checkerVersion = checkerVersion;
  }

  @Override
  public void prepare(String language) {
    if (!store.has(seenKey(language))) {
      engines.prepare(language);
    }
  }

  @Override
  public List<Problem> check(String file, String language, String source) {
    String key = key(file, language, source);
    Optional<List<Problem>> stored = store.get(key);
    if (stored.isPresent()) {
      return stored.get();
    }
    List<Problem> problems = engines.check(file, language, source);
    store.put(key, problems);
    store.put(seenKey(language), List.of()); // an answer of this version is stored: see prepare
    return problems;
  }

  /** The entry that says the cache holds answers of this checker version for the language. */
  private String seenKey(String language) {
    return key("", language, "");
  }

  String key(String file, String language, String source) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {checkerVersion, language, file, source}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // the length first: no two different splits of the same bytes give the same key
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
