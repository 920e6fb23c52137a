package dev.conduit.runtime.bench;

import dev.conduit.runtime.identity.IdentityStore.Code;
import dev.conduit.runtime.identity.IdentityStore.Grant;
import dev.conduit.runtime.identity.IdentityStore.Token;
import dev.conduit.runtime.store.GroupCommit;
import dev.conduit.runtime.store.JdbcIdentityStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A code exchange's database step (issue 16): redeeming codes through {@link JdbcIdentityStore} on
 * the embedded H2 with durable commits (WRITE_DELAY=0), each redeem committing alone (the runtime
 * before) or sharing commits through a {@link GroupCommit} (now), in turns in one JVM (A, B, A, B,
 * ...) so a burst of load hits both. T threads redeem their own codes (made before each round, not
 * timed): mark the code used, read it with its grant, store an access and a refresh token. Run:
 * bench/runtime/redeem.sh (or java -cp ... RedeemBench DIR [rounds] [seconds] [threads])
 */
public final class RedeemBench {

  /** Codes made per thread and round: more than a thread redeems in a round. */
  static final int CODES = 2000;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    JdbcConnectionPool aloneDb = DurabilityBench.pool(dir.resolve("alone-" + UUID.randomUUID()), 0);
    JdbcConnectionPool groupedDb =
        DurabilityBench.pool(dir.resolve("grouped-" + UUID.randomUUID()), 0);
    List<Double> ratios = new ArrayList<>();
    List<DurabilityBench.Result> alone = new ArrayList<>();
    List<DurabilityBench.Result> grouped = new ArrayList<>();
    System.out.printf(
        "%d rounds of %d s per setting, %d threads, %d cores, H2 WRITE_DELAY=0%n",
        rounds, seconds, threads, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%-6s %-8s %12s %10s %10s%n", "round", "setting", "redeems/s", "p50 us", "p99 us");
    try (GroupCommit commits = new GroupCommit(groupedDb, "bench")) {
      JdbcIdentityStore aloneStore = new JdbcIdentityStore(aloneDb);
      JdbcIdentityStore groupedStore = new JdbcIdentityStore(groupedDb, commits);
      for (int r = 0; r <= rounds; r++) { // round 0 warms up and is not counted
        DurabilityBench.Result a = redeems(aloneStore, aloneDb, threads, seconds);
        DurabilityBench.Result g = redeems(groupedStore, groupedDb, threads, seconds);
        print(r, "alone", a);
        print(r, "grouped", g);
        if (r > 0) {
          alone.add(a);
          grouped.add(g);
          ratios.add(g.perSecond() / a.perSecond());
        }
      }
    }
    System.out.printf(
        "median alone %.0f/s p50 %.0f us, grouped %.0f/s p50 %.0f us; grouped/alone (median of"
            + " per-round ratios) %.2f%n",
        DurabilityBench.med(
            alone.stream().mapToDouble(DurabilityBench.Result::perSecond).toArray()),
        DurabilityBench.med(
            alone.stream().mapToDouble(DurabilityBench.Result::p50Micros).toArray()),
        DurabilityBench.med(
            grouped.stream().mapToDouble(DurabilityBench.Result::perSecond).toArray()),
        DurabilityBench.med(
            grouped.stream().mapToDouble(DurabilityBench.Result::p50Micros).toArray()),
        DurabilityBench.med(ratios.stream().mapToDouble(Double::doubleValue).toArray()));
    aloneDb.dispose();
    groupedDb.dispose();
  }

  static void print(int round, String setting, DurabilityBench.Result r) {
    System.out.printf(
        "%-6s %-8s %12.0f %10.0f %10.0f%n",
        round == 0 ? "warm" : round, setting, r.perSecond(), r.p50Micros(), r.p99Micros());
  }

  /** Each thread redeems its own codes as fast as it can, as a code exchange does. */
  static DurabilityBench.Result redeems(
      JdbcIdentityStore store, JdbcConnectionPool db, int threads, int seconds)
      throws InterruptedException {
    return DurabilityBench.run(
        threads,
        seconds,
        () -> {
          Instant now = Instant.now();
          String grant = UUID.randomUUID().toString();
          store.saveGrant(new Grant(grant, "APP", "org", "carol", now, null));
          String[] codes = codes(db, grant, now);
          int[] next = {0};
          return () -> {
            Instant at = Instant.now();
            boolean first =
                store
                    .redeemCode(
                        codes[next[0]++],
                        found ->
                            List.of(
                                new Token(
                                    UUID.randomUUID().toString(),
                                    Token.Kind.ACCESS,
                                    grant,
                                    at.plusSeconds(600),
                                    null,
                                    null),
                                new Token(
                                    UUID.randomUUID().toString(),
                                    Token.Kind.REFRESH,
                                    grant,
                                    at.plusSeconds(3600),
                                    null,
                                    null)))
                    .map(found -> !found.value().used())
                    .orElse(false);
            if (!first) {
              throw new IllegalStateException("a fresh code was refused");
            }
          };
        });
  }

  /** {@link #CODES} unused codes of a grant, inserted in one transaction. */
  static String[] codes(JdbcConnectionPool db, String grant, Instant now) throws Exception {
    String[] codes = new String[CODES];
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO idp_code (hash, grant_id, redirect_uri, code_challenge, expires_ms,"
                    + " used) VALUES (?, ?, ?, NULL, ?, FALSE)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < CODES; i++) {
        Code code =
            new Code(
                UUID.randomUUID().toString(),
                grant,
                "http://localhost:8000/callback",
                null,
                now.plusSeconds(600),
                false);
        codes[i] = code.hash();
        ps.setString(1, code.hash());
        ps.setString(2, grant);
        ps.setString(3, code.redirectUri());
        ps.setLong(4, code.expiresAt().toEpochMilli());
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
      c.setAutoCommit(true);
    }
    return codes;
  }
}
