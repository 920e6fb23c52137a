package it.dev.conduit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.TokenStore;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Database;
import dev.conduit.runtime.store.JdbcTokenStore;
import dev.conduit.seal.Opener;
import dev.conduit.seal.Sealer;
import jakarta.inject.Inject;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In-container tests: Arquillian deploys this class, with the runtime's state, registry and
 * configuration classes, into the running test server (the one the black-box tests use), and runs
 * it there, with CDI injection, the server's MicroProfile Config (its server.env) and the server's
 * own data source (jdbc/conduit, its pool and JDBC driver library).
 */
@ExtendWith(ArquillianExtension.class)
class InContainerIT {

  /** A tenant of its own, so these rows never meet the black-box tests' rows. */
  static final String ORG = "ic-" + UUID.randomUUID().toString().substring(0, 8);

  /**
   * Packages left out of the test WAR: wiring (RuntimeParts starts every part at the application's
   * start), gitops (its reconciler thread starts with the application too), web, console and health
   * (JAX-RS resources and health checks, whose paths the real application serves).
   */
  static final Set<String> NOT_IN_THE_TEST_WAR =
      Set.of("wiring", "gitops", "web", "console", "health");

  @Deployment
  static WebArchive deployment() {
    WebArchive war = ShrinkWrap.create(WebArchive.class, "conduit-in-container.war");
    // every runtime package (a new one comes along by itself) but the application's top: those
    // start a second runtime inside this WAR or serve HTTP next to the real one
    File runtime = new File("target/classes/dev/conduit/runtime");
    String[] packages = runtime.list((d, n) -> new File(d, n).isDirectory());
    assertNotNull(packages, "the compiled runtime at " + runtime);
    for (String p : packages) {
      if (!NOT_IN_THE_TEST_WAR.contains(p)) {
        war.addPackages(true, "dev.conduit.runtime." + p);
      }
    }
    war.addAsResource("db/migration/index.txt")
        .addAsResource("db/migration/flyway.location")
        .addAsResource("db/callback/flyway.location");
    for (String sql : new File("target/classes/db/migration").list((d, n) -> n.endsWith(".sql"))) {
      war.addAsResource("db/migration/" + sql);
    }
    // the libraries the application uses: the server's shared library (lib/app, server.xml's
    // conduitLibraries), which this test archive does not get; the code engines stay out (nothing
    // here runs a code block, and they are 74 MB)
    File lib =
        new File(
            System.getProperty("arquillian.wlp.home"),
            "usr/servers/" + System.getProperty("arquillian.server.name") + "/lib/app");
    File[] jars =
        lib.listFiles(
            (d, n) ->
                n.endsWith(".jar")
                    && !n.matches(
                        "(polyglot|truffle|js-language|regex|icu4j|collections|nativeimage|word"
                            + "|jniutils|xz|jython)-.*"));
    assertNotNull(jars, "the test server's libraries at " + lib + " (liberty:create copies them)");
    return war.addAsLibraries(jars);
  }

  @Inject RuntimeConfig config;

  @Inject Database database;

  @Test
  void theServersEnvironmentReachesMicroProfileConfig() {
    // server.env of the test server (written by ItFixtures) sets these as environment variables
    assertEquals(3, config.bundles().size(), config.bundles().toString());
    assertTrue(config.demoEnabled());
    assertTrue(config.privateKey().orElseThrow().endsWith("runtime-key.DEMO-ONLY.json"));
    // the organizations named for their private network (a list setting): those, no other
    assertTrue(config.privateNetwork().permits(ItSupport.FIXTURE));
    assertTrue(config.privateNetwork().permits(ItSupport.ACME));
    assertFalse(config.privateNetwork().permits(ItSupport.GLOBEX));
    // and the defaults hold where nothing is set
    assertEquals(30, config.logRetentionDays());
    assertEquals(1_048_576, config.maxRequestBytes());
  }

  @Test
  void theServersDataSourceIsMigrated() throws Exception {
    try (Connection c = database.connection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      List<String> versions = new ArrayList<>();
      while (rs.next()) {
        assertTrue(rs.getBoolean(2), "migration " + rs.getString(1) + " succeeded");
        versions.add(rs.getString(1));
      }
      assertEquals("1", versions.get(0), versions.toString());
      String product = c.getMetaData().getDatabaseProductName();
      assertTrue(product.equals("H2") || product.equals("PostgreSQL"), product);
    }
  }

  @Test
  void requestLogsGoThroughTheWriterIntoTheServersDatabase() {
    RequestLogStore store = new RequestLogStore(database.dataSource());
    try (RequestLogWriter writer = new RequestLogWriter(store, 100)) {
      long now = System.currentTimeMillis();
      for (int i = 0; i < 20; i++) {
        assertTrue(
            writer.offer(log(ORG + "-r" + i, "conn", now - i * 1000L, i % 4 == 0 ? 502 : 200)));
      }
      writer.flush(10_000);
      waitUntil(() -> writer.written() == 20, "20 logs written");
      var all =
          store.list(
              new RequestLogStore.Filter(ORG, "conn", null, null, false, null, null, 100, 0));
      assertEquals(20, all.size());
      assertEquals(ORG + "-r0", all.get(0).id(), "newest first");
      var failures =
          store.list(
              new RequestLogStore.Filter(
                  ORG, "conn", "api", 500, true, now - 9_500, now + 1, 100, 0));
      assertEquals(3, failures.size(), "the 5xx ones of the last 10 s (0, 4, 8 seconds ago)");
      var page =
          store.list(new RequestLogStore.Filter(ORG, "conn", null, null, false, null, null, 5, 15));
      assertEquals(5, page.size());
      assertTrue(store.get(ORG, ORG + "-r3").isPresent());
    }
  }

  @Test
  void aSlowDatabaseDropsLogsAndCountsThemWithoutBlockingTheCaller() throws Exception {
    DataSource real = database.dataSource();
    CountDownLatch stuckInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DataSource stuck =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection")) {
                    stuckInside.countDown();
                    release.await(); // the database does not answer
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    RequestLogWriter writer = new RequestLogWriter(new RequestLogStore(stuck), 4);
    try {
      assertTrue(writer.offer(log(ORG + "-d0", "slow-db", System.currentTimeMillis(), 200)));
      assertTrue(
          stuckInside.await(10, java.util.concurrent.TimeUnit.SECONDS),
          "the writer waits on the database");
      int accepted = 0;
      for (int i = 1; i <= 50; i++) {
        if (writer.offer(log(ORG + "-d" + i, "slow-db", System.currentTimeMillis(), 200))) {
          accepted++;
        }
      }
      assertEquals(4, accepted, "the queue's capacity, then nothing waits");
      assertEquals(46, writer.dropped());
    } finally {
      release.countDown();
      writer.close();
    }
  }

  @Test
  void oneRuntimeInstanceAtATimeRefreshesAConnectionsToken() throws Exception {
    Opener opener = new Opener(Files.readString(Path.of(config.privateKey().orElseThrow())));
    Sealer sealer = new Sealer(opener.publicKey());
    // two runtime instances sharing the server's database, eight callers each
    TokenStore a = new JdbcTokenStore(database.dataSource(), sealer, opener, Clock.systemUTC());
    TokenStore b = new JdbcTokenStore(database.dataSource(), sealer, opener, Clock.systemUTC());
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        TokenStore s = i % 2 == 0 ? a : b;
        tries.add(
            pool.submit(
                () -> {
                  start.await();
                  return s.tryLease(ORG, "cc", "", Duration.ofSeconds(30));
                }));
      }
      start.countDown();
      int holders = 0;
      for (Future<Boolean> f : tries) {
        holders += f.get() ? 1 : 0;
      }
      assertEquals(1, holders, "exactly one caller holds the refresh lease");
      a.put(
          ORG,
          "cc",
          "",
          new TokenStore.StoredToken("tok-" + ORG, java.time.Instant.now().plusSeconds(60)));
      a.releaseLease(ORG, "cc", "");
      assertEquals(
          "tok-" + ORG, b.get(ORG, "cc", "").orElseThrow().value(), "the other instance reads it");
      try (Connection c = database.connection();
          ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT sealed_token FROM connection_token WHERE organization_id = '"
                          + ORG
                          + "'")) {
        assertTrue(rs.next());
        assertTrue(!rs.getString(1).contains("tok-"), "stored sealed, never in plaintext");
      }
      assertTrue(
          b.tryLease(ORG, "cc", "", Duration.ofSeconds(30)),
          "released: the next refresh may start");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theConfiguredBundlesLoadAndATamperedOneIsRefusedWhileTheGoodOneServes() throws Exception {
    Opener opener = new Opener(Files.readString(Path.of(config.privateKey().orElseThrow())));
    BundleRegistry all = new BundleRegistry(opener, Clock.systemUTC(), config.privateNetwork());
    all.loadAll(config.bundles());
    assertEquals(3, all.organizations().size(), all.states().toString());

    Path copy = Files.createTempFile("in-container", ".bundle.json");
    try {
      String good = Files.readString(Path.of(config.bundles().get(0).strip()));
      Files.writeString(copy, good);
      BundleRegistry one = new BundleRegistry(opener, Clock.systemUTC(), config.privateNetwork());
      one.loadAll(List.of(copy.toString()));
      String org = one.organizations().iterator().next().id();
      Files.writeString(copy, good.replaceFirst("\"name\"\\s*:\\s*\"", "\"name\":\"X"));
      BundleRegistry.PathState refused = one.reload(org).orElseThrow();
      assertTrue(
          refused.lastError() != null && refused.lastError().contains("hash"),
          String.valueOf(refused.lastError()));
      assertEquals(org, refused.current().id(), "the last good bundle keeps serving");
      assertTrue(one.anyLoaded());
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private static RequestLog log(String id, String connection, long at, int status) {
    return new RequestLog(
        id,
        at,
        ORG,
        connection,
        "api",
        "invoke",
        "app",
        "app",
        status,
        status == 200 ? "ok" : "UPSTREAM_ERROR",
        12,
        false,
        "{\"url\":\"https://example.test/?key=******\"}",
        "{\"status\":" + status + "}",
        null);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    assertTrue(condition.getAsBoolean(), what);
  }
}
