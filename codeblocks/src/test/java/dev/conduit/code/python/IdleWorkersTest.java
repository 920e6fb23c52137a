package dev.conduit.code.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.conduit.code.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rule that keeps tenants apart (issue 11), without Jython: a worker serves the first tenant it
 * is handed to and no other, ever; a full pool evicts (hands out to be killed) another tenant's
 * least recently used idle worker, never lends it. The workers here are plain processes;
 * PythonBlocksTest and TenantIsolationTest run real ones.
 */
class IdleWorkersTest {

  static final Tenant A = new Tenant("org-1", "a");
  static final Tenant B = new Tenant("org-1", "b");
  static final Tenant C = new Tenant("org-2", "c");
  final List<PythonWorker> made = new ArrayList<>();

  PythonWorker worker() throws Exception {
    PythonWorker w = new PythonWorker(new ProcessBuilder("cat").start());
    made.add(w);
    return w;
  }

  @AfterEach
  void kill() {
    made.forEach(PythonWorker::kill);
  }

  /** A pool of the given size whose first spares have all arrived. */
  IdleWorkers full(int size) throws Exception {
    IdleWorkers idle = new IdleWorkers(size);
    for (int n = idle.reserveSpares(); n > 0; n--) {
      idle.addSpare(worker());
    }
    return idle;
  }

  @Test
  void aSpareServesTheFirstTenantItIsHandedToAndNoOtherEver() throws Exception {
    IdleWorkers idle = full(2);
    PythonWorker a = idle.take(A, 0).worker();
    assertSame(A, a.tenant());
    idle.giveBack(a);
    assertSame(a, idle.take(A, 0).worker(), "A gets its own idle worker back");
    idle.giveBack(a);
    PythonWorker b = idle.take(B, 0).worker();
    assertSame(B, b.tenant(), "B gets the other spare, not A's idle worker");
    assertThrows(IllegalStateException.class, () -> a.pinTo(B));
  }

  @Test
  void aFullPoolEvictsAnotherTenantsLeastRecentlyUsedIdleWorkerAndNeverLendsIt() throws Exception {
    IdleWorkers idle = full(2);
    PythonWorker a = idle.take(A, 0).worker();
    PythonWorker b = idle.take(B, 0).worker();
    idle.giveBack(a);
    idle.giveBack(b);
    IdleWorkers.Pick p = idle.take(C, 0);
    assertNull(p.worker(), "C is never handed a worker that served another tenant");
    assertSame(a, p.evicted(), "A's worker was used least recently: it is the one to kill");
    assertEquals(1, idle.reserveSpares(), "one spare is started in its place");
    assertNull(idle.take(C, 0), "no second eviction while that spare starts");
    PythonWorker spare = worker();
    idle.addSpare(spare);
    assertSame(spare, idle.take(C, 0).worker());
    assertSame(C, spare.tenant());
  }

  @Test
  void aTenantAtItsFairShareWaitsForItsOwnWorkersInsteadOfEvicting() throws Exception {
    IdleWorkers idle = full(2); // fair share: 1
    PythonWorker a = idle.take(A, 0).worker();
    PythonWorker b = idle.take(B, 0).worker();
    idle.giveBack(b);
    assertNull(
        idle.take(A, 0),
        "A holds its share (its worker is busy): it waits, B keeps its warm worker");
    idle.giveBack(a);
    assertSame(a, idle.take(A, 0).worker());
  }

  @Test
  void twoSparesAreKeptReadyWhileThePoolHasRoomAndNeverMoreThanItsSize() throws Exception {
    IdleWorkers idle = full(4);
    assertEquals(2, idle.all().size(), "two spares at the start");
    idle.take(A, 0);
    assertEquals(1, idle.reserveSpares(), "one taken, one started: two ready again");
    idle.addSpare(worker());
    idle.take(B, 0);
    assertEquals(1, idle.reserveSpares());
    idle.addSpare(worker());
    idle.take(C, 0);
    assertEquals(0, idle.reserveSpares(), "3 pinned + 1 spare: the pool is full");
    PythonWorker d = idle.take(new Tenant("org-3", "d"), 0).worker();
    idle.discarded(d); // it died
    assertEquals(1, idle.reserveSpares(), "its place is free again");
    assertEquals(3, idle.tenants());
  }
}
