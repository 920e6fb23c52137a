package dev.conduit.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Flyway gets its migrations from db/migration/index.txt: the index must list every file. */
class MigrationIndexTest {

  @Test
  void theIndexListsEveryMigration() throws Exception {
    Path folder = Path.of("src/main/resources/db/migration");
    List<String> files;
    try (Stream<Path> list = Files.list(folder)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .sorted()
              .toList();
    }
    assertEquals(
        files,
        Migrations.index(MigrationIndexTest.class.getClassLoader()).stream().sorted().toList());
  }
}
