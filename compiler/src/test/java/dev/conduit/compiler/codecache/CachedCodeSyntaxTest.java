package dev.conduit.compiler.codecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.check.CodeSyntax.Problem;
import dev.conduit.compiler.cli.CodeSyntaxes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code-check cache against the real engines: a stored answer is the engines' answer, it is
 * given without asking them, and anything that could make it wrong (other text, another checker, a
 * damaged entry) asks them again.
 */
class CachedCodeSyntaxTest {

  static final String BROKEN_PY = "def main(input):\n    return input +\n";
  static final String SOUND_JS = "function main(input) { return input; }\n";

  static CodeSyntax engines;

  @TempDir Path temp;

  @BeforeAll
  static void startEngines() {
    engines = CodeSyntaxes.engines();
  }

  /** Engines that count the checks they are asked for. */
  record Counting(CodeSyntax engines, AtomicInteger asked) implements CodeSyntax {
    Counting(CodeSyntax engines) {
      this(engines, new AtomicInteger());
    }

    @Override
    public List<Problem> check(String file, String language, String source) {
      asked.incrementAndGet();
      return engines.check(file, language, source);
    }
  }

  CachedCodeSyntax cached(Counting counting, String version) {
    return new CachedCodeSyntax(counting, new CodeCheckStore(temp.resolve("cache")), version);
  }

  @Test
  void aSecondCheckOfTheSameFileIsAnsweredFromTheCacheWithTheEnginesAnswer() {
    List<Problem> direct = engines.check("code/sum.py", "python", BROKEN_PY);
    assertEquals(1, direct.size(), "the engines find the syntax error: " + direct);

    Counting first = new Counting(engines);
    assertEquals(direct, cached(first, "v1").check("code/sum.py", "python", BROKEN_PY));
    assertEquals(1, first.asked().get());

    Counting second = new Counting(engines); // another run, the same cache folder
    assertEquals(direct, cached(second, "v1").check("code/sum.py", "python", BROKEN_PY));
    assertEquals(0, second.asked().get(), "no engine asked when the file is unchanged");
    assertEquals(List.of(), cached(second, "v1").check("code/a.js", "javascript", SOUND_JS));
    assertEquals(1, second.asked().get());
  }

  @Test
  void otherTextAnotherPathOrAnotherCheckerVersionAsksTheEngines() {
    Counting counting = new Counting(engines);
    cached(counting, "v1").check("code/a.js", "javascript", SOUND_JS);
    cached(counting, "v1").check("code/a.js", "javascript", SOUND_JS + " ");
    cached(counting, "v1").check("code/b.js", "javascript", SOUND_JS);
    cached(counting, "v2").check("code/a.js", "javascript", SOUND_JS);
    assertEquals(4, counting.asked().get());
    cached(counting, "v2").check("code/a.js", "javascript", SOUND_JS);
    assertEquals(4, counting.asked().get(), "each of them stored in turn");
  }

  @Test
  void aDamagedEntryIsIgnoredAndWrittenAgain() throws IOException {
    Counting counting = new Counting(engines);
    List<Problem> answer = cached(counting, "v1").check("code/sum.py", "python", BROKEN_PY);
    Path entry = onlyEntry();
    String whole = Files.readString(entry);
    List<String> damaged =
        List.of(
            "", // empty
            whole.substring(0, whole.indexOf("end")), // cut short after a whole line
            whole.replace("problem 2", "problem two"), // not a number
            whole.replace("end 1", "end 0"), // a problem too many
            "conduit code check 0\nend 0\n", // another format
            "\u0000\u00ff garbage");
    for (String text : damaged) {
      Files.writeString(entry, text);
      int before = counting.asked().get();
      assertEquals(answer, cached(counting, "v1").check("code/sum.py", "python", BROKEN_PY), text);
      assertEquals(before + 1, counting.asked().get(), "asked again for: " + text);
      assertEquals(whole, Files.readString(entry), "written again whole");
    }
  }

  /**
   * An engine starts ahead (while the compiler reads the files) when the cache is cold for its
   * language and checker version, and not when the cache has answers: then the engine may never be
   * needed.
   */
  @Test
  void enginesStartAheadOnlyWhenTheCacheIsColdForTheirLanguage() {
    List<String> prepared = new ArrayList<>();
    CodeSyntax recording =
        new CodeSyntax() {
          @Override
          public List<Problem> check(String file, String language, String source) {
            return List.of();
          }

          @Override
          public void prepare(String language) {
            prepared.add(language);
          }
        };
    CodeCheckStore store = new CodeCheckStore(temp.resolve("cache"));
    CachedCodeSyntax v1 = new CachedCodeSyntax(recording, store, "v1");
    v1.prepare("python");
    assertEquals(List.of("python"), prepared, "cold: started ahead");
    v1.check("code/a.py", "python", "x = 1\n");
    prepared.clear();
    v1.prepare("python");
    v1.prepare("javascript");
    assertEquals(List.of("javascript"), prepared, "warm for Python only");
    prepared.clear();
    new CachedCodeSyntax(recording, store, "v2").prepare("python");
    assertEquals(List.of("python"), prepared, "a new checker version is cold again");
  }

  @Test
  void messagesKeepTheirLineBreaksAndBackslashes() {
    CodeSyntax odd =
        (file, language, source) ->
            List.of(
                new Problem(3, 7, "a \\n that is text\nand a second line\r\\", false),
                new Problem(1, 1, "the block defines no main(input) function", true));
    CodeCheckStore store = new CodeCheckStore(temp.resolve("cache"));
    List<Problem> first = new CachedCodeSyntax(odd, store, "v1").check("f.py", "python", "x");
    CodeSyntax never =
        (file, language, source) -> {
          throw new AssertionError("answered from the cache");
        };
    assertEquals(first, new CachedCodeSyntax(never, store, "v1").check("f.py", "python", "x"));
  }

  @Test
  void aCacheThatCannotBeWrittenStillAnswers() throws IOException {
    Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
    Counting counting = new Counting(engines);
    CachedCodeSyntax cached = new CachedCodeSyntax(counting, new CodeCheckStore(file), "v1");
    assertEquals(
        engines.check("code/sum.py", "python", BROKEN_PY),
        cached.check("code/sum.py", "python", BROKEN_PY));
  }

  @Test
  void theCheckerVersionHashesTheCheckerAndNamesTheEnginesJars() {
    String version = CheckerVersion.current();
    assertEquals(version, CheckerVersion.current(), "stable within a build");
    assertTrue(
        version.matches("(?s).*CodeChecker\\.class [0-9a-f]{64}\n.*"),
        "the checker by its bytes, not its jar's time: " + version);
    assertTrue(version.matches("(?s).*conduit_guard\\.py [0-9a-f]{64}\n.*"), version);
    assertTrue(version.contains("jython"), version);
    assertTrue(version.contains("js-language"), version);
    assertTrue(version.contains("polyglot"), version);
    assertTrue(!version.contains("absent"), version);
  }

  @Test
  void theFolderFollowsConduitCacheThenXdgThenHome() {
    assertEquals(
        Optional.of(Path.of("/c/code-checks")),
        CacheDirectory.codeChecks(Map.of("CONDUIT_CACHE", "/c", "XDG_CACHE_HOME", "/x"), "/h"));
    assertEquals(
        Optional.empty(),
        CacheDirectory.codeChecks(Map.of("CONDUIT_CACHE", "off", "XDG_CACHE_HOME", "/x"), "/h"));
    assertEquals(
        Optional.of(Path.of("/x/conduit/code-checks")),
        CacheDirectory.codeChecks(Map.of("XDG_CACHE_HOME", "/x"), "/h"));
    assertEquals(
        Optional.of(Path.of("/h/.cache/conduit/code-checks")),
        CacheDirectory.codeChecks(Map.of("XDG_CACHE_HOME", "relative"), "/h"));
    assertNotEquals(
        CacheDirectory.codeChecks(Map.of(), "/h"), CacheDirectory.codeChecks(Map.of(), "/g"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path onlyEntry() throws IOException {
    try (Stream<Path> files = Files.walk(temp.resolve("cache"))) {
      // the check's entry, not the one that marks the cache warm for Python (no problems)
      List<Path> entries =
          files.filter(Files::isRegularFile).filter(f -> read(f).contains("problem ")).toList();
      assertEquals(1, entries.size(), entries.toString());
      return entries.getFirst();
    }
  }
}
