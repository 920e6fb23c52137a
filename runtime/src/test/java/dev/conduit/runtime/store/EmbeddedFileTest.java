package dev.conduit.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where an embedded H2 database lives, from its URL: the request-log journal goes beside it. */
class EmbeddedFileTest {

  @Test
  void anH2FileUrlNamesItsFileAndOtherDatabasesNone() {
    assertEquals(
        Optional.of(Path.of("/srv/conduit/data/conduit")),
        Database.h2File("jdbc:h2:file:/srv/conduit/data/conduit;AUTO_SERVER=FALSE;WRITE_DELAY=0"));
    assertEquals(Optional.of(Path.of("/srv/db")), Database.h2File("jdbc:h2:/srv/db"));
    assertEquals(
        Optional.of(Path.of(System.getProperty("user.home"), "conduit")),
        Database.h2File("jdbc:h2:~/conduit"));
    assertEquals(Optional.empty(), Database.h2File("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1"));
    assertEquals(Optional.empty(), Database.h2File("jdbc:h2:tcp://db.example.com/conduit"));
    assertEquals(
        Optional.empty(), Database.h2File("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=c"));
  }
}
