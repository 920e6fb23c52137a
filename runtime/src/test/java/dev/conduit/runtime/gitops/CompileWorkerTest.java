package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.worker.CompileWorker;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.gitops.CommitCompiler.Compiled;
import dev.conduit.runtime.store.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The compile worker (conduit.git.compile-in=process) as GitOps runs it: a real child JVM compiling
 * a commit of a real Git repository. It gives the bytes the in-server compile gives, leaves nothing
 * behind, and when it dies (killed here, as the kernel's OOM killer or an operator would) the last
 * good bundle keeps serving with the reason shown to admins; the commit is tried again after a poll
 * interval and then served.
 */
class CompileWorkerTest {

  @TempDir Path temp;

  private final Map<String, String> config = new HashMap<>();

  private GitSettings settings() {
    return GitSettings.read(k -> Optional.ofNullable(config.get(k)));
  }

  @Test
  void theWorkerGivesTheBundleTheServerGives() throws Exception {
    workerGivesTheBundleTheServerGives(Files.createDirectories(temp.resolve("copies")));
  }

  @Test
  void aWorkFolderGivenAsARelativePathWorksToo() throws Exception {
    // the worker runs in a folder of its own: relative paths handed to it would point nowhere
    Path relative = Path.of("target", "compile-worker-relative-" + System.nanoTime());
    try {
      workerGivesTheBundleTheServerGives(Files.createDirectories(relative));
    } finally {
      try (Stream<Path> all = Files.walk(relative)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void workerGivesTheBundleTheServerGives(Path copies) throws Exception {
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      String head = remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      try (GitMirror mirror =
          new GitMirror(settings().sources().getFirst(), copies.resolve("fixture"))) {
        assertEquals(head, mirror.fetch(30));
        CommitCompiler compiler = new CommitCompiler(CodeSyntaxes.engines(), Optional.empty());
        GitSettings.Compile process = settings().compile();
        assertEquals(GitSettings.CompileIn.WORKER, process.in(), "the default");
        process =
            new GitSettings.Compile(
                GitSettings.CompileIn.PROCESS, process.timeoutSeconds(), process.workerHeapMb());
        Compiled inWorker = compiler.compile(mirror, head, process);
        Compiled here =
            compiler.compile(
                mirror,
                head,
                new GitSettings.Compile(
                    GitSettings.CompileIn.SERVER,
                    process.timeoutSeconds(),
                    process.workerHeapMb()));
        assertNull(inWorker.failure(), String.valueOf(inWorker.diagnostics()));
        assertTrue(compiler.workerUnavailable().isEmpty());
        assertEquals(here.diagnostics(), inWorker.diagnostics());
        assertEquals(
            here.bundle().orElseThrow().source().contentHash(),
            inWorker.bundle().orElseThrow().source().contentHash());
        assertTrue(
            CompileWorkerProcess.plainHiddenValue(inWorker.bundle().get()).isEmpty(),
            "hidden values came back sealed");
        try (Stream<Path> left = Files.list(copies)) {
          assertEquals(
              0,
              left.filter(p -> p.getFileName().toString().startsWith(".compile-")).count(),
              "the worker's private folder is removed");
        }
      }
    }
  }

  @Test
  void aKilledWorkerLeavesTheLastGoodBundleServingAndTheReasonForAdmins() throws Exception {
    DataSource db = Databases.h2(Files.createDirectories(temp.resolve("h2")));
    try (GitRemote remote = new GitRemote(temp.resolve("remote.git"), temp.resolve("work"))) {
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.compile-in", "process");
      config.put("conduit.git.poll-seconds", "1");
      String first = remote.push("first", w -> Fixtures.repository(w, "http://127.0.0.1:9"));
      GitOpsInstance here =
          GitOpsInstance.start(
              db,
              this::settings,
              new CommitCompiler(CodeSyntax.NONE, Optional.empty()),
              Files.createDirectories(temp.resolve("copies")));
      Reconciler reconciler = here.reconciler();
      reconciler.pass(Set.of("fixture"));
      assertEquals(first, here.serving());

      Path whoami = remote.workTree().resolve("connections/basic/apis/whoami.json");
      String second =
          remote.push(
              "rename whoami",
              w ->
                  Files.writeString(
                      whoami,
                      Files.readString(whoami)
                          .replace("\"name\": \"Whoami\"", "\"name\": \"Who am I\"")));
      Thread pass = Thread.ofPlatform().start(() -> reconciler.pass(Set.of("fixture")));
      ProcessHandle worker = awaitWorker(pass);
      worker.destroyForcibly();
      pass.join();

      here.servesAgainAfterAKilledWorker(first, second);
      reconciler.close();
    }
  }

  /** The compile worker the running pass started (a child of this JVM). */
  private static ProcessHandle awaitWorker(Thread pass) throws InterruptedException {
    while (pass.isAlive()) {
      Optional<ProcessHandle> worker =
          ProcessHandle.current()
              .descendants()
              .filter(
                  p ->
                      List.of(p.info().arguments().orElse(new String[0]))
                          .contains(CompileWorker.class.getName()))
              .findFirst();
      if (worker.isPresent()) {
        return worker.get();
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the pass ended without starting a compile worker");
  }
}
