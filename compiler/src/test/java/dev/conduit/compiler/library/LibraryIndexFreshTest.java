package dev.conduit.compiler.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed library/index.json is what the entries say, and search reads it. */
class LibraryIndexFreshTest {

  static final Path LIBRARY = Path.of("..", "library");

  @Test
  void theCommittedIndexIsCurrent() throws Exception {
    String fresh = IndexBuilder.build(PublicLibrary.at(LIBRARY)).toJson();
    assertEquals(
        fresh,
        Files.readString(LIBRARY.resolve(IndexBuilder.FILE)),
        "library/index.json is stale: run compiler/bin/conduit library index");
  }

  @Test
  void searchFindsEntriesByEveryWordThroughTheIndex() {
    Run r = Run.conduit("library", "search", "tencent sms", "--library", LIBRARY.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("tencent-cloud-sms"), r.out());
    assertTrue(r.out().contains("1 entries"), r.out());
  }
}
