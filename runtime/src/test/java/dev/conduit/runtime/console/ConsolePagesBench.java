package dev.conduit.runtime.console;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.bundle.Member;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.registry.LoadedOrganization;
import dev.conduit.runtime.store.Database;
import dev.conduit.runtime.store.Jdbc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Server time of every console page (bench/console/run.sh; docs/benchmarks.md, "Console pages"):
 * each page rendered as its resource renders it, from the loaded bundle and the store, on a large
 * organization (the compiler bench's generated repository, 10,000 APIs) and, in the same run, on
 * the example organization (connections-repo) as the baseline. The store is an H2 file database
 * with the request logs and alerts given; the page's SQL is part of its time. Not included: the
 * servlet container and JAX-RS around the method (the same for every page, and measured by the
 * runtime bench).
 *
 * <pre>
 * java -cp ... dev.conduit.runtime.console.ConsolePagesBench LARGE_REPO EXAMPLE_REPO DB_DIR
 *      [--runs 7] [--calls 30] [--logs 20000] [--alerts 2000]
 * </pre>
 */
public final class ConsolePagesBench {

  record Org(String label, LoadedOrganization org, View admin, View owner) {}

  public static void main(String[] args) throws Exception {
    Path large = Path.of(args[0]);
    Path example = Path.of(args[1]);
    Path dbDir = Path.of(args[2]);
    int runs = option(args, "--runs", 7);
    int calls = option(args, "--calls", 30);
    int logs = option(args, "--logs", 20_000);
    int alertCount = option(args, "--alerts", 2_000);

    Org big = load("generated", large);
    Org small = load("example", example);
    DataSource db = database(dbDir);
    RequestLogStore store = new RequestLogStore(db);
    Alerts alerts = new Alerts(db, Clock.systemUTC(), noRecipients());
    long now = System.currentTimeMillis();
    for (Org o : List.of(big, small)) {
      fill(db, store, o, logs, alertCount, now);
    }
    System.err.printf(
        Locale.ROOT,
        "generated: %d connections, %d APIs; %d request logs and %d alerts per organization%n",
        big.org().bundle().connections().size(),
        big.org().bundle().connections().stream().mapToInt(c -> c.apis().size()).sum(),
        logs,
        alertCount);

    Map<String, double[]> bigTimes = new LinkedHashMap<>();
    Map<String, double[]> smallTimes = new LinkedHashMap<>();
    for (Org o : List.of(big, small)) {
      Map<String, Supplier<String>> pages = pages(o, store, alerts, now);
      Map<String, double[]> into = o == big ? bigTimes : smallTimes;
      for (var e : pages.entrySet()) {
        for (int i = 0; i < Math.max(20, calls * 2); i++) {
          e.getValue().get(); // warm-up
        }
        double[] perRun = new double[runs];
        for (int r = 0; r < runs; r++) {
          long t0 = System.nanoTime();
          int bytes = 0;
          for (int i = 0; i < calls; i++) {
            bytes += e.getValue().get().length();
          }
          perRun[r] = (System.nanoTime() - t0) / 1e6 / calls;
          if (bytes == 0) {
            throw new AssertionError(e.getKey() + " rendered nothing");
          }
        }
        into.put(e.getKey(), perRun);
        System.err.printf(
            Locale.ROOT, "  %s, %s: %.2f ms%n", o.label(), e.getKey(), median(perRun));
      }
    }
    System.out.println(
        "| page | generated org: median ms (min-max of "
            + runs
            + " runs) | example org: median ms | ratio | page size (generated) |");
    System.out.println("|---|---|---|---|---|");
    Map<String, Supplier<String>> bigPages = pages(big, store, alerts, now);
    for (var e : bigTimes.entrySet()) {
      double[] b = e.getValue();
      double[] s = smallTimes.get(e.getKey());
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f (%.2f-%.2f) | %s | %s | %d KB |%n",
          e.getKey(),
          median(b),
          Arrays.stream(b).min().orElse(0),
          Arrays.stream(b).max().orElse(0),
          s == null ? "—" : String.format(Locale.ROOT, "%.2f", median(s)),
          s == null ? "—" : String.format(Locale.ROOT, "%.1f", median(b) / median(s)),
          bigPages.get(e.getKey()).get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              / 1024);
    }
  }

  /** The pages, each as its resource method renders it. */
  static Map<String, Supplier<String>> pages(
      Org o, RequestLogStore store, Alerts alerts, long now) {
    View admin = o.admin();
    View owner = o.owner();
    List<Connection> all = o.org().bundle().connections();
    Connection c =
        all.stream()
            .filter(x -> x.installedFrom() == null && !x.apis().isEmpty())
            .reduce((a, b) -> b)
            .orElseThrow();
    Api api = c.apis().getLast();
    int lastPage = (all.size() + ConnectionPages.PAGE_SIZE - 1) / ConnectionPages.PAGE_SIZE;
    String someLog =
        store
            .list(
                new RequestLogStore.Filter(
                    o.org().id(), null, null, null, false, null, null, 1, 0, null))
            .getFirst()
            .id();
    Map<String, Supplier<String>> p = new LinkedHashMap<>();
    p.put("connections, page 1 (admin)", () -> ConnectionPages.list(admin, null, 1));
    p.put("connections, last page", () -> ConnectionPages.list(admin, null, lastPage));
    p.put("connections, search", () -> ConnectionPages.list(admin, c.id(), 1));
    p.put("connection page (admin)", () -> ConnectionPages.connection(admin, c, null));
    p.put(
        "connection page (owner)",
        () -> ConnectionPages.connection(owner, ownerConnection(o), null));
    p.put("API page with Test API form", () -> ApiPage.html(admin, c, api, null));
    p.put(
        "logs, newest 50 + chart (admin, all)",
        () ->
            LogPages.page(
                admin,
                LogPages.Filters.read(admin, null, null, null, null, null, null, 1),
                store,
                now));
    p.put(
        "logs, one connection, 5xx",
        () ->
            LogPages.page(
                admin,
                LogPages.Filters.read(admin, c.id(), null, null, "5xx", null, null, 1),
                store,
                now));
    p.put(
        "logs, page 100 (admin)",
        () ->
            LogPages.page(
                admin,
                LogPages.Filters.read(admin, null, null, null, null, null, null, 100),
                store,
                now));
    p.put(
        "log detail",
        () ->
            LogPages.detail(
                admin,
                store.get(o.org().id(), someLog).orElseThrow(),
                LogExchange.of(store.get(o.org().id(), someLog).orElseThrow())));
    p.put("alerts, page 1 (admin)", () -> LogPages.alerts(admin, alerts, 1));
    p.put("alerts, page 1 (owner)", () -> LogPages.alerts(owner, alerts, 1));
    p.put(
        "changes: edit connection form",
        () ->
            ConnectionForm.html(
                admin,
                c,
                "0".repeat(40),
                "org (main)",
                ConnectionForm.valuesOf(c),
                FieldProblems.NONE));
    p.put(
        "changes: edit API form",
        () ->
            ApiForm.html(
                admin,
                c,
                api,
                "0".repeat(40),
                "org (main)",
                ApiForm.valuesOf(api),
                FieldProblems.NONE));
    p.put(
        "changes: new connection form",
        () ->
            ConnectionForm.html(
                admin,
                null,
                "0".repeat(40),
                "org (main)",
                ConnectionForm.valuesOfNew("a"),
                FieldProblems.NONE));
    return p;
  }

  private static Connection ownerConnection(Org o) {
    return o.org().bundle().connections().stream()
        .filter(x -> o.owner().login().equals(x.owner()))
        .findFirst()
        .orElseThrow();
  }

  static Org load(String label, Path repo) throws Exception {
    Bundle bundle;
    try (var tree = DirectorySource.open(repo)) {
      Compiler.Result r = new Compiler(dev.conduit.compiler.check.CodeSyntax.NONE).compile(tree);
      List<Diagnostic> errors = r.diagnostics().stream().filter(Diagnostic::isError).toList();
      if (!errors.isEmpty()) {
        throw new IllegalStateException(
            repo + " does not compile: " + errors.subList(0, Math.min(5, errors.size())));
      }
      bundle = r.bundle().orElseThrow();
    }
    Map<String, Member> members = new LinkedHashMap<>();
    bundle.members().forEach(m -> members.put(m.login(), m));
    LoadedOrganization org =
        new LoadedOrganization(
            bundle, label, Instant.now(), Map.of(), Map.of(), Map.of(), Map.copyOf(members));
    String adminLogin =
        bundle.members().stream().map(Member::login).filter(org::isAdmin).findFirst().orElseThrow();
    String ownerLogin =
        bundle.connections().stream()
            .map(Connection::owner)
            .filter(l -> l != null && !org.isAdmin(l) && members.containsKey(l))
            .findFirst()
            .orElseThrow();
    return new Org(
        label, org, new View(org, adminLogin, "csrf"), new View(org, ownerLogin, "csrf"));
  }

  static DataSource database(Path dir) throws Exception {
    Files.createDirectories(dir);
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("console").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("conduit");
    ds.setPassword("conduit");
    Database.migrate(ds);
    return ds;
  }

  /** Request logs spread over the last 24 hours across the connections and APIs; alerts. */
  static void fill(
      DataSource ds, RequestLogStore store, Org o, int logs, int alertCount, long now) {
    Random random = new Random(42);
    List<Connection> cs = o.org().bundle().connections();
    List<RequestLog> batch = new ArrayList<>();
    for (int i = 0; i < logs; i++) {
      Connection c = cs.get(random.nextInt(cs.size()));
      String api = c.apis().isEmpty() ? null : c.apis().get(random.nextInt(c.apis().size())).id();
      boolean failed = random.nextInt(20) == 0;
      batch.add(
          new RequestLog(
              UUID.randomUUID().toString(),
              now - random.nextLong(24 * 3_600_000L),
              o.org().id(),
              c.id(),
              api,
              "invoke",
              "app-" + random.nextInt(20),
              "app-" + random.nextInt(20),
              failed ? 502 : 200,
              failed ? "UPSTREAM_ERROR" : "ok",
              5 + random.nextInt(300),
              false,
              "{\"method\":\"POST\",\"url\":\"https://example.invalid/x\",\"headers\":{\"Authorization\":\"******\"}}",
              "{\"status\":200,\"body\":{\"ok\":true}}",
              failed ? "the upstream answered 503" : null));
      if (batch.size() == 1000) {
        store.insert(batch);
        batch.clear();
      }
    }
    store.insert(batch);
    Jdbc db = new Jdbc(ds);
    for (int i = 0; i < alertCount; i++) {
      Connection c = cs.get(random.nextInt(cs.size()));
      db.update(
          "INSERT INTO alert (id, at_ms, organization_id, connection_id, owner, error_type, message,"
              + " request_id, kind, suppressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          UUID.randomUUID().toString(),
          now - random.nextLong(7 * 24 * 3_600_000L),
          o.org().id(),
          c.id(),
          c.owner(),
          "UPSTREAM_ERROR",
          "API " + c.id() + " failed: the upstream answered 503",
          null,
          "error",
          0);
    }
  }

  static Alerts.Recipients noRecipients() {
    return new Alerts.Recipients() {
      @Override
      public Optional<String> email(String organizationId, String login) {
        return Optional.empty();
      }

      @Override
      public Optional<String> webhookUrl(String organizationId, String connectionId) {
        return Optional.empty();
      }
    };
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 3; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  private ConsolePagesBench() {}
}
