package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.code.python.Sandbox;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Installer;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.compiler.worker.CompileWorker;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.runtime.gitops.CommitCompiler.Compiled;
import dev.conduit.runtime.store.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile worker kept warm (conduit.git.compile-in=worker) as GitOps runs it: a real child JVM
 * compiling commits of real Git repositories, one after the other. The second commit goes to the
 * same process; a worker killed in the middle of a commit, or one that does not answer within the
 * time limit, is replaced and the last good bundle keeps serving with the reason; two sources never
 * share a worker or its folder; under bubblewrap it sees its own source's copy only, and no
 * network.
 */
class WarmCompileWorkerTest {

  @TempDir Path temp;

  private final Map<String, String> config = new HashMap<>();

  private GitSettings settings() {
    return GitSettings.read(k -> Optional.ofNullable(config.get(k)));
  }

  private static final Path WHOAMI = Path.of("connections/basic/apis/whoami.json");

  private static String rename(GitRemote remote, String name) throws Exception {
    Path whoami = remote.workTree().resolve(WHOAMI);
    return remote.push(
        "rename whoami to " + name,
        w ->
            Files.writeString(
                whoami,
                Files.readString(whoami)
                    .replaceFirst("\"name\": \"[^\"]*\"", "\"name\": \"" + name + "\"")));
  }

  @Test
  void commitsCompileInOneWorkerThatStaysWarm() throws Exception {
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.compile-in", "worker");
      String first = remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      Path copies = Files.createDirectories(temp.resolve("copies"));
      CommitCompiler compiler = new CommitCompiler(CodeSyntaxes.engines(), Optional.empty());
      try (GitMirror mirror =
          new GitMirror(settings().sources().getFirst(), copies.resolve("fixture"))) {
        assertEquals(first, mirror.fetch(30));
        GitSettings.Compile worker = settings().compile();
        assertEquals(GitSettings.CompileIn.WORKER, worker.in());
        Compiled inWorker = compiler.compile(mirror, first, worker);
        assertNull(inWorker.failure(), String.valueOf(inWorker.diagnostics()));
        long pid = compiler.warm().pid("fixture").orElseThrow();
        assertAsInTheServer(compiler, mirror, first, worker, inWorker);
        assertTrue(CompileWorkerProcess.plainHiddenValue(inWorker.bundle().get()).isEmpty());

        String second = rename(remote, "Who am I");
        assertEquals(second, mirror.fetch(30));
        Bundle served = inWorker.bundle().orElseThrow();
        Compiled next = compiler.compile(mirror, second, worker, served);
        assertNull(next.failure(), String.valueOf(next.diagnostics()));
        assertEquals(second, next.bundle().orElseThrow().source().commit());
        // read back sharing what the served bundle holds: only the changed connection is new
        for (Connection c : next.bundle().get().connections()) {
          Connection before = served.connection(c.id()).orElseThrow();
          if (c.id().equals("basic")) {
            assertNotSame(before, c);
          } else {
            assertSame(before, c, c.id());
          }
        }
        assertTrue(
            next.bundle().get().connections().stream()
                .flatMap(c -> c.apis().stream())
                .anyMatch(a -> a.name().equals("Who am I")),
            "the second commit's change is in its bundle");
        assertEquals(pid, compiler.warm().pid("fixture").orElseThrow(), "the same worker process");

        Path folder = compiler.warm().folder("fixture").orElseThrow();
        assertEquals(
            "rwx------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)),
            "the worker's folder is its own");
        try (Stream<Path> left = Files.list(folder)) {
          assertEquals(
              0,
              left.filter(p -> p.getFileName().toString().startsWith("commit-")).count(),
              "each commit's answer is removed once read");
        }
        compiler.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(folder), "the worker's folder goes with it");
      }
    }
  }

  /**
   * A library assembled from links (as the integration tests' is, and as a Kubernetes ConfigMap
   * mounts one): the worker sees the entries the server sees. Before, under bubblewrap the worker
   * saw the links but not where they lead, and refused every commit that installs from the library
   * (C223 "the public library has no entry") while the same commit compiled in the server.
   */
  @Test
  void aLibraryOfLinksReadsInTheWorkerAsInTheServer() throws Exception {
    Path real = Path.of("..", "library").toAbsolutePath().normalize();
    Path library = Files.createDirectories(temp.resolve("library/entries"));
    Files.createSymbolicLink(library.resolveSibling("index.json"), real.resolve("index.json"));
    Files.createSymbolicLink(
        library.resolve("archive-search"), real.resolve("entries/archive-search"));
    PublicLibrary linked = PublicLibrary.at(library.getParent());
    Catalog.Entry archive = new Catalog(linked).show("archive-search@1.0.0");
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.compile-in", "worker");
      String commit =
          remote.push(
              "installs archive-search",
              w -> {
                Fixtures.repository(w, "http://127.0.0.1:9");
                Path dir = Files.createDirectories(w.resolve("connections/archive"));
                Files.write(
                    dir.resolve("connection.json"),
                    ChangeBranches.text(Installer.connection(archive, "archive", List.of())));
              });
      CommitCompiler compiler = new CommitCompiler(CodeSyntaxes.engines(), Optional.of(linked));
      try (GitMirror mirror =
          new GitMirror(
              settings().sources().getFirst(),
              Files.createDirectories(temp.resolve("copies")).resolve("fixture"))) {
        assertEquals(commit, mirror.fetch(30));
        GitSettings.Compile worker = settings().compile();
        Compiled inWorker = compiler.compile(mirror, commit, worker);
        assertNull(inWorker.failure(), String.valueOf(inWorker.diagnostics()));
        assertTrue(inWorker.bundle().isPresent(), String.valueOf(inWorker.diagnostics()));
        assertAsInTheServer(compiler, mirror, commit, worker, inWorker);
      } finally {
        compiler.close();
      }
    }
  }

  @Test
  void aWorkerKilledMidCompileIsReplacedAndTheLastGoodBundleServesMeanwhile() throws Exception {
    DataSource db = Databases.h2(Files.createDirectories(temp.resolve("h2")));
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.compile-in", "worker");
      config.put("conduit.git.poll-seconds", "1");
      String first = remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      CommitCompiler compiler = new CommitCompiler(CodeSyntax.NONE, Optional.empty());
      GitOpsInstance here =
          GitOpsInstance.start(
              db, this::settings, compiler, Files.createDirectories(temp.resolve("copies")));
      Reconciler reconciler = here.reconciler();
      reconciler.pass(Set.of("fixture"));
      assertEquals(first, here.serving());
      long pid = compiler.warm().pid("fixture").orElseThrow();

      String second = rename(remote, "Who am I");
      // held still, so that it is surely in the middle of the commit when it is killed
      ProcessHandle jvm = workerJvm(pid);
      signal("STOP", jvm);
      Thread pass = Thread.ofPlatform().start(() -> reconciler.pass(Set.of("fixture")));
      awaitRequest(compiler.warm().folder("fixture").orElseThrow(), pass);
      jvm.destroyForcibly();
      pass.join();

      here.servesAgainAfterAKilledWorker(first, second);
      assertNotEquals(pid, compiler.warm().pid("fixture").orElseThrow(), "a new worker");
      reconciler.close();
    }
  }

  @Test
  void aWorkerThatDoesNotAnswerWithinTheTimeLimitIsKilled() throws Exception {
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"));
        GitMirror mirror = fixture(remote)) {
      String first = remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      CommitCompiler compiler = new CommitCompiler(CodeSyntax.NONE, Optional.empty());
      mirror.fetch(30);
      assertNull(compiler.compile(mirror, first, settings().compile()).failure());
      long pid = compiler.warm().pid("fixture").orElseThrow();

      // a worker that hangs: stopped, it takes the request and never answers
      signal("STOP", workerJvm(pid));
      config.put("conduit.git.compile-timeout-seconds", "2");
      Compiled hung = compiler.compile(mirror, first, settings().compile());
      assertTrue(
          hung.failure()
              .contains("did not finish within 2 s (conduit.git.compile-timeout-seconds)"),
          hung.failure());
      assertTrue(hung.bundle().isEmpty());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed");

      config.remove("conduit.git.compile-timeout-seconds"); // a cold start takes longer
      Compiled again = compiler.compile(mirror, first, settings().compile());
      assertNull(again.failure(), "a new worker takes the next commit");
      assertNotEquals(pid, compiler.warm().pid("fixture").orElseThrow());
      compiler.close();
    }
  }

  @Test
  void twoOrganizationsNeverShareAWorkerOrItsFolder() throws Exception {
    try (GitRemote alpha = new GitRemote(temp.resolve("alpha.git"), temp.resolve("alpha"));
        GitRemote beta = new GitRemote(temp.resolve("beta.git"), temp.resolve("beta"))) {
      config.put("conduit.git.organizations", "alpha,beta");
      config.put("conduit.git.alpha.url", alpha.url());
      config.put("conduit.git.beta.url", beta.url());
      config.put("conduit.git.compile-in", "worker");
      String a = alpha.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      String b = beta.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:8"));
      Path copies = Files.createDirectories(temp.resolve("copies"));
      CommitCompiler compiler = new CommitCompiler(CodeSyntax.NONE, Optional.empty());
      List<GitSettings.Source> sources = settings().sources();
      try (GitMirror ma = new GitMirror(sources.get(0), copies.resolve("alpha"));
          GitMirror mb = new GitMirror(sources.get(1), copies.resolve("beta"))) {
        ma.fetch(30);
        mb.fetch(30);
        assertNull(compiler.compile(ma, a, settings().compile()).failure());
        long pidA = compiler.warm().pid("alpha").orElseThrow();
        Path folderA = compiler.warm().folder("alpha").orElseThrow();
        ProcessHandle jvmA = workerJvm(pidA);
        if (Sandbox.detect(true).bubblewrap()) {
          // what the worker sees of the host: its own copy, not the other organization's
          Path root = Path.of("/proc/" + jvmA.pid() + "/root");
          assertTrue(Files.isDirectory(under(root, ma.repository().getDirectory().toPath())));
          assertFalse(Files.exists(under(root, mb.repository().getDirectory().toPath())));
          assertFalse(Files.exists(root.resolve("etc/passwd")), "no host files");
          assertEquals(
              List.of("lo"),
              Files.readAllLines(Path.of("/proc/" + jvmA.pid() + "/net/dev")).stream()
                  .skip(2)
                  .map(l -> l.strip().split(":")[0])
                  .toList(),
              "no network but its own loopback");
        }

        assertNull(compiler.compile(mb, b, settings().compile()).failure());
        long pidB = compiler.warm().pid("beta").orElseThrow();
        Path folderB = compiler.warm().folder("beta").orElseThrow();
        assertNotEquals(pidA, pidB, "another worker for beta");
        assertNotEquals(folderA, folderB);
        assertTrue(
            folderA.getFileName().toString().startsWith(".compile-alpha-"), folderA.toString());
        assertTrue(
            folderB.getFileName().toString().startsWith(".compile-beta-"), folderB.toString());
        assertEquals(pidA, compiler.warm().pid("alpha").orElseThrow(), "alpha's stays warm");
        compiler.close();
        assertFalse(Files.exists(folderA), "alpha's folder went with alpha's worker");
        assertFalse(Files.exists(folderB), "beta's folder went with beta's worker");
      }
    }
  }

  @Test
  void aPoolOfTwoKeepsTheTwoMostRecentlyUsedSourcesWarm() throws Exception {
    List<String> labels = List.of("alpha", "beta", "gamma");
    config.put("conduit.git.organizations", String.join(",", labels));
    config.put("conduit.git.compile-in", "worker");
    config.put("conduit.git.worker.pool", "2");
    Map<String, GitRemote> remotes = new HashMap<>();
    Map<String, GitMirror> mirrors = new HashMap<>();
    Map<String, String> commits = new HashMap<>();
    CommitCompiler compiler = new CommitCompiler(CodeSyntax.NONE, Optional.empty());
    try {
      Path copies = Files.createDirectories(temp.resolve("copies"));
      for (String label : labels) {
        GitRemote remote =
            new GitRemote(temp.resolve(label + ".git"), temp.resolve(label + "-work"));
        remotes.put(label, remote);
        config.put("conduit.git." + label + ".url", remote.url());
        commits.put(label, remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9")));
      }
      for (GitSettings.Source source : settings().sources()) {
        GitMirror mirror = new GitMirror(source, copies.resolve(source.label()));
        mirrors.put(source.label(), mirror);
        mirror.fetch(30);
      }
      GitSettings.Compile pool = settings().compile();
      assertEquals(2, pool.warm().pool());
      java.util.function.Function<String, Long> compile =
          label -> {
            try {
              Compiled c = compiler.compile(mirrors.get(label), commits.get(label), pool);
              assertNull(c.failure(), String.valueOf(c.diagnostics()));
              assertTrue(c.bundle().isPresent(), String.valueOf(c.diagnostics()));
            } catch (Exception e) {
              throw new AssertionError(e);
            }
            return compiler.warm().pid(label).orElseThrow();
          };

      long alpha = compile.apply("alpha");
      long beta = compile.apply("beta");
      assertNotEquals(alpha, beta);
      assertEquals(alpha, compile.apply("alpha"), "alpha's worker is reused");
      // gamma needs a worker: beta's, the least recently used, is stopped; alpha's stays
      long gamma = compile.apply("gamma");
      assertFalse(alive(beta), "beta's worker was stopped for gamma's");
      assertTrue(compiler.warm().pid("beta").isEmpty());
      assertTrue(alive(alpha), "alpha's worker, used after beta's, stays");
      assertEquals(alpha, compile.apply("alpha"));
      // beta again: a new worker, in place of gamma's (now the least recently used)
      long betaAgain = compile.apply("beta");
      assertNotEquals(beta, betaAgain);
      assertFalse(alive(gamma), "gamma's worker was stopped for beta's");
      assertTrue(alive(alpha));
      assertEquals(
          List.of(alpha, betaAgain), List.of(live(compiler, "alpha"), live(compiler, "beta")));
      assertEquals(2, workerJvms().size(), "two worker JVMs, the pool's size");
    } finally {
      compiler.close();
      mirrors.values().forEach(GitMirror::close);
      remotes.values().forEach(GitRemote::close);
    }
    assertEquals(0, workerJvms().size(), "none left once closed");
  }

  @Test
  void aWorkerIsStartedAgainAfterMaxCommitsAndComesBackWarm() throws Exception {
    config.put("conduit.git.worker.max-commits", "2");
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"));
        GitMirror mirror = fixture(remote)) {
      String first = remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      CommitCompiler compiler = new CommitCompiler(CodeSyntax.NONE, Optional.empty());
      mirror.fetch(30);
      GitSettings.Compile limited = settings().compile();
      assertEquals(2, limited.warm().maxCommits());
      assertNull(compiler.compile(mirror, first, limited).failure());
      long pid = compiler.warm().pid("fixture").orElseThrow();
      assertNull(compiler.compile(mirror, first, limited).failure());
      // its second commit was its last: a new worker, given the same commit to warm up
      long next = compiler.warm().pid("fixture").orElseThrow();
      assertNotEquals(pid, next);
      assertFalse(alive(pid));
      String second = rename(remote, "Who am I");
      assertEquals(second, mirror.fetch(30));
      Compiled c = compiler.compile(mirror, second, limited);
      assertNull(c.failure(), String.valueOf(c.diagnostics()));
      assertEquals(second, c.bundle().orElseThrow().source().commit());
      assertEquals(next, compiler.warm().pid("fixture").orElseThrow(), "the warmed-up one");
      compiler.close();
    }
  }

  /** The source "fixture" following {@code remote}, compiled in kept-warm workers: its copy. */
  private GitMirror fixture(GitRemote remote) throws Exception {
    config.put("conduit.git.organizations", "fixture");
    config.put("conduit.git.fixture.url", remote.url());
    config.put("conduit.git.compile-in", "worker");
    return new GitMirror(
        settings().sources().getFirst(),
        Files.createDirectories(temp.resolve("copies")).resolve("fixture"));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static long live(CommitCompiler compiler, String label) {
    long pid = compiler.warm().pid(label).orElseThrow();
    assertTrue(alive(pid));
    return pid;
  }

  @Test
  void withoutBubblewrapTheWorkerRunsUnconfinedAndTheLogSaysSoOnce() throws Exception {
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"));
        GitMirror mirror = fixture(remote);
        LogCapture log = new LogCapture()) {
      String first = remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      // a machine without bubblewrap: none where it is looked for
      Sandbox none = Sandbox.detect(true, temp.resolve("no-such-bwrap"));
      assertFalse(none.bubblewrap());
      CommitCompiler compiler = new CommitCompiler(CodeSyntax.NONE, Optional.empty(), none);
      mirror.fetch(30);
      Compiled c = compiler.compile(mirror, first, settings().compile());
      assertNull(c.failure(), String.valueOf(c.diagnostics()));
      assertEquals(first, c.bundle().orElseThrow().source().commit());
      long pid = compiler.warm().pid("fixture").orElseThrow();
      assertEquals(pid, workerJvm(pid).pid(), "the worker's JVM itself: no bubblewrap in between");
      assertTrue(Files.exists(Path.of("/proc/" + pid + "/root/etc/passwd")), "it sees the host");
      assertNull(compiler.compile(mirror, first, settings().compile()).failure());
      assertEquals(pid, compiler.warm().pid("fixture").orElseThrow(), "and stays warm");
      assertTrue(compiler.confinement().startsWith("not confined: bubblewrap (bwrap) is not"));
      List<String> said =
          log.records().stream()
              .map(LogCapture::text)
              .filter(t -> t.contains("compile workers are not confined"))
              .toList();
      assertEquals(1, said.size(), "said once, not per commit: " + said);
      assertTrue(said.getFirst().contains("bubblewrap (bwrap) is not installed"), said.getFirst());
      compiler.close();
    }
  }

  @Test
  void workersAreConfinedWhereBubblewrapWorks() {
    Sandbox sandbox = Sandbox.detect(true);
    assumeTrue(
        sandbox.bubblewrap(), "bubblewrap does not work here: " + sandbox.bubblewrapAbsence());
    assertTrue(new WorkerLaunch(Optional.empty(), sandbox).confinement().startsWith("bubblewrap"));
  }

  /** The commit compiled in this JVM gives the worker's diagnostics and the same bundle bytes. */
  private static void assertAsInTheServer(
      CommitCompiler compiler,
      GitMirror mirror,
      String commit,
      GitSettings.Compile worker,
      Compiled inWorker) {
    Compiled here =
        compiler.compile(
            mirror,
            commit,
            new GitSettings.Compile(
                GitSettings.CompileIn.SERVER, worker.timeoutSeconds(), worker.workerHeapMb()));
    assertEquals(here.diagnostics(), inWorker.diagnostics());
    assertEquals(
        here.bundle().orElseThrow().source().contentHash(),
        inWorker.bundle().orElseThrow().source().contentHash(),
        "the same bytes as the compile in the server");
  }

  private static Path under(Path root, Path absolute) {
    return root.resolve(absolute.toAbsolutePath().toString().substring(1));
  }

  /** The JVM of the worker started as process {@code pid} (itself, or under bubblewrap). */
  private static ProcessHandle workerJvm(long pid) {
    ProcessHandle started = ProcessHandle.of(pid).orElseThrow();
    return Stream.concat(Stream.of(started), started.descendants())
        .filter(WarmCompileWorkerTest::isWorkerJvm)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no compile worker runs as " + pid));
  }

  /** Every compile worker JVM this test's JVM runs. */
  private static List<ProcessHandle> workerJvms() {
    return ProcessHandle.current()
        .descendants()
        .filter(WarmCompileWorkerTest::isWorkerJvm)
        .toList();
  }

  private static boolean isWorkerJvm(ProcessHandle p) {
    return p.isAlive()
        && p.info().command().orElse("").endsWith("/java")
        && List.of(p.info().arguments().orElse(new String[0]))
            .contains(CompileWorker.class.getName());
  }

  private static void signal(String signal, ProcessHandle p) throws Exception {
    assertEquals(
        0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
  }

  /** Waits until the pass has handed the worker a commit (its answer folder exists). */
  private static void awaitRequest(Path folder, Thread pass) throws Exception {
    while (pass.isAlive()) {
      try (Stream<Path> files = Files.list(folder)) {
        if (files.anyMatch(p -> p.getFileName().toString().startsWith("commit-"))) {
          return;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the pass ended without handing the worker a commit");
  }
}
