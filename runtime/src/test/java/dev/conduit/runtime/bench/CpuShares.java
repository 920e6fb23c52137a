package dev.conduit.runtime.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who used the machine's CPU during a round: this client, the server (by its pid), everything else.
 * Client and server share the cores, so a round where the client or other processes took much says
 * more about the machine than about the server. Linux /proc only (NaN elsewhere).
 */
record CpuShares(double client, double server, double other) {

  /** Clock ticks used so far: the machine's busy total, this process's and the server's. */
  record Snapshot(long machineBusy, long machineAll, long client, long server) {}

  static Snapshot now(long serverPid) {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < cpu.length; i++) {
        all += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle + iowait
      return new Snapshot(
          all - idle,
          all,
          processTicks("self"),
          serverPid > 0 ? processTicks(String.valueOf(serverPid)) : 0);
    } catch (Exception e) {
      return null;
    }
  }

  /** utime + stime of a process, in clock ticks. */
  private static long processTicks(String pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after "pid (comm) "
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static CpuShares between(Snapshot a, Snapshot b) {
    if (a == null || b == null || b.machineAll() == a.machineAll()) {
      return new CpuShares(Double.NaN, Double.NaN, Double.NaN);
    }
    double all = b.machineAll() - a.machineAll();
    double client = (b.client() - a.client()) / all;
    double server = (b.server() - a.server()) / all;
    double busy = (b.machineBusy() - a.machineBusy()) / all;
    return new CpuShares(client, server, Math.max(0, busy - client - server));
  }
}
