package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.runtime.store.Database;
import dev.conduit.runtime.store.Databases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL: what one store changes (a head evaluated, a pin, an unpin) and a
 * fetch one of them was asked for reach the other at once, never the sender itself; on H2 there is
 * no signal (the once-a-second pass converges alone).
 */
class PeerSignalTest {

  @TempDir Path temp;

  @Test
  void changesAndFetchesReachTheOtherInstanceNotTheSender() throws Exception {
    String schema = Databases.newPostgresSchema();
    assumeTrue(schema != null, Databases.skipMessage());
    DataSource db = Databases.postgres(schema);
    Database.migrate(db);
    BlockingQueue<PeerSignal.Kind> atA = new LinkedBlockingQueue<>();
    BlockingQueue<PeerSignal.Kind> atB = new LinkedBlockingQueue<>();
    try (PeerSignal a = PeerSignal.start(db, atA::add).orElseThrow();
        PeerSignal b = PeerSignal.start(db, atB::add).orElseThrow()) {
      // each catches up once when it starts listening: after that, only the other's signals
      assertEquals(PeerSignal.Kind.CHANGED, atA.poll(60, TimeUnit.SECONDS));
      assertEquals(PeerSignal.Kind.CHANGED, atB.poll(60, TimeUnit.SECONDS));

      DeploymentStore storeA = new DeploymentStore(db, Clock.systemUTC());
      storeA.onChange(() -> a.send(PeerSignal.Kind.CHANGED));
      storeA.state("acme");
      assertTrue(storeA.advance("acme", null, "c1", "c1", "org-1"));
      assertEquals(PeerSignal.Kind.CHANGED, atB.poll(60, TimeUnit.SECONDS), "a head evaluated");
      // a lost race changes nothing and tells no one
      assertTrue(!storeA.advance("acme", null, "c2", "c2", "org-1"));
      storeA.pin("acme", "c1");
      assertEquals(PeerSignal.Kind.CHANGED, atB.poll(60, TimeUnit.SECONDS), "a pin");
      assertTrue(storeA.unpin("acme"));
      assertEquals(PeerSignal.Kind.CHANGED, atB.poll(60, TimeUnit.SECONDS), "an unpin");

      b.send(PeerSignal.Kind.FETCH);
      assertEquals(PeerSignal.Kind.FETCH, atA.poll(60, TimeUnit.SECONDS), "a fetch asked of B");

      // nothing else arrived: not the lost race, not a sender's own signal
      a.send(PeerSignal.Kind.FETCH);
      assertEquals(PeerSignal.Kind.FETCH, atB.poll(60, TimeUnit.SECONDS));
      Thread.sleep(500);
      assertEquals(List.of(), List.copyOf(atA), "A heard itself");
      assertEquals(List.of(), List.copyOf(atB), "B heard more than A sent");
    }
  }

  @Test
  void h2HasNoSignal() throws Exception {
    DataSource h2 = Databases.h2(temp);
    assertTrue(PeerSignal.start(h2, k -> {}).isEmpty());
  }
}
