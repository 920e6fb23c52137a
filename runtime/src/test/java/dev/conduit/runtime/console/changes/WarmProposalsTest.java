package dev.conduit.runtime.console.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.runtime.gitops.GitSettings;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proposals made with the organization's repository kept in memory and the base's bundle kept
 * (RemoteCopies, BaseBundles), against real bare remotes over file://: a page made stale by a
 * commit on main is still refused before anything is written, two proposals at once both land on
 * their own branches, each organization's copy serves only that organization (its proposals and its
 * edit forms), an edit form opened again fetches only when main moved, and a served bundle gives
 * the same diff as compiling the base.
 */
class WarmProposalsTest {

  static final String ACME = ExampleRemote.ACME;
  static final String GLOBEX = ExampleRemote.GLOBEX;
  static final String WEATHER = "connections/demo/apis/get-weather.json";
  static final String CONVERT = "connections/exchange-rates/apis/convert.json";

  @TempDir Path tmp;
  ExampleRemote acme;
  RemoteCopies copies;
  ChangeBranches changes;

  @BeforeEach
  void acmeRemote() throws Exception {
    acme = ExampleRemote.in(tmp.resolve("acme"));
    copies = RemoteCopies.warm();
    changes = branches(copies, BaseBundles.warm(BaseBundles.Served.NOTHING));
  }

  @Test
  void aPageMadeStaleByACommitOnMainIsRefusedWithAWarmCopy() throws Exception {
    String first = changes.head(acme.source);
    propose(acme.source, ACME, first, WEATHER, "Weather, renamed"); // the copy is warm now
    String moved = acme.commitOnMain("README.md", "moved on\n");

    ChangeBranches.Refused stale =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> propose(acme.source, ACME, first, WEATHER, "Weather, again"));
    assertTrue(stale.stale(), stale.getMessage());
    assertTrue(stale.getMessage().contains(moved.substring(0, 10)), stale.getMessage());
    assertEquals(2, acme.branches().size(), "main and the first proposal's branch only");

    ChangeBranches.Proposal again = propose(acme.source, ACME, moved, WEATHER, "Weather, again");
    assertEquals(moved, parentOf(acme, again.branch()), "made on main as it is now");
    assertEquals("moved on\n", acme.file("refs/heads/" + again.branch(), "README.md"));
    assertEquals(1, copies.size());
  }

  @Test
  void twoProposalsAtOnceOnTheSameOrganizationBothLandOnTheirOwnBranches() throws Exception {
    String base = changes.head(acme.source);
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<ChangeBranches.Proposal>> made = new ArrayList<>();
      for (String name : List.of("Weather one", "Weather two")) {
        made.add(
            two.submit(
                () -> {
                  together.await();
                  return propose(acme.source, ACME, base, WEATHER, name);
                }));
      }
      ChangeBranches.Proposal one = made.get(0).get();
      ChangeBranches.Proposal other = made.get(1).get();
      assertFalse(one.branch().equals(other.branch()), one.branch());
      for (var p : List.of(one, other)) {
        assertTrue(p.valid(), p.problems().toString());
        assertEquals(base, parentOf(acme, p.branch()));
      }
      assertTrue(acme.file("refs/heads/" + one.branch(), WEATHER).contains("Weather one"));
      assertTrue(acme.file("refs/heads/" + other.branch(), WEATHER).contains("Weather two"));
      assertEquals(base, headOf(acme), "main is left alone");
      assertEquals(3, acme.branches().size(), "main and the two proposals' branches");
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void eachOrganizationsCopyServesOnlyThatOrganization() throws Exception {
    ExampleRemote globex =
        ExampleRemote.in(tmp.resolve("globex"), ExampleRemote.GLOBEX_EXAMPLE, "globex");
    String acmeBase = changes.head(acme.source);
    String globexBase = changes.head(globex.source);
    for (int round = 0; round < 2; round++) { // the second round: both copies warm
      var a = propose(acme.source, ACME, acmeBase, WEATHER, "Acme weather " + round);
      var g = propose(globex.source, GLOBEX, globexBase, CONVERT, "Globex convert " + round);
      assertEquals(acmeBase, parentOf(acme, a.branch()));
      assertEquals(globexBase, parentOf(globex, g.branch()));
      assertTrue(g.diff().contains("exchange-rates"), g.diff());
      assertFalse(g.diff().contains("demo"), "nothing of Acme's in Globex's diff: " + g.diff());
    }
    assertEquals(2, copies.size());

    // Globex's name on Acme's remote: refused, and that copy is not kept
    ChangeBranches.Refused other =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> propose(acme.source, GLOBEX, acmeBase, WEATHER, "Not Globex's"));
    assertTrue(other.getMessage().contains("not the organization"), other.getMessage());
    assertEquals(2, copies.size());

    // the same remote under two organizations' names: two copies, never one
    RemoteCopies.Fetch nothing = repo -> {};
    try (var forAcme = copies.fetch(ACME, acme.source, nothing);
        var forGlobex = copies.fetch(GLOBEX, acme.source, nothing);
        var acmeAgain = copies.fetch(ACME, acme.source, nothing)) {
      assertNotSame(forAcme.repo(), forGlobex.repo());
      assertSame(forAcme.repo(), acmeAgain.repo());
    }
  }

  @Test
  void anEditFormOpenedAgainFetchesNothingUntilMainMovesThenShowsTheNewCommit() throws Exception {
    ChangeBranches.TreeReader<String> readme = tree -> tree.text("README.md").orElse(null);
    var first = changes.readHead(acme.source, ACME, readme);
    var again = changes.readHead(acme.source, ACME, readme);
    assertEquals(1, copies.fetches(), "the second open found the copy at the remote's head");
    assertEquals(first, again);
    assertEquals(headOf(acme), first.commit());

    String moved = acme.commitOnMain("README.md", "moved on\n");
    var after = changes.readHead(acme.source, ACME, readme);
    assertEquals(2, copies.fetches(), "main moved: fetched");
    assertEquals(moved, after.commit(), "the form's base is the new commit");
    assertEquals("moved on\n", after.value());
    assertEquals(1, copies.size());

    // a proposal from that form goes on from the same copy
    var p = propose(acme.source, ACME, after.commit(), WEATHER, "Weather, from the form");
    assertEquals(moved, parentOf(acme, p.branch()));
    assertEquals(1, copies.size());
  }

  @Test
  void anOrganizationsFormNeverReadsAnothersCopy() throws Exception {
    ExampleRemote globex =
        ExampleRemote.in(tmp.resolve("globex"), ExampleRemote.GLOBEX_EXAMPLE, "globex");
    ChangeBranches.TreeReader<String> name = tree -> tree.organization().path("name").asString();
    String acmeName = changes.readHead(acme.source, ACME, name).value();
    String globexName = changes.readHead(globex.source, GLOBEX, name).value();
    assertFalse(acmeName.equals(globexName), acmeName);
    assertEquals(2, copies.fetches(), "one copy each");
    assertEquals(acmeName, changes.readHead(acme.source, ACME, name).value());
    assertEquals(globexName, changes.readHead(globex.source, GLOBEX, name).value());
    assertEquals(2, copies.fetches(), "each warm copy served its own organization again");

    // Acme's remote opened under Globex's name: its own copy, fetched, refused, and not kept
    ChangeBranches.Refused other =
        assertThrows(
            ChangeBranches.Refused.class, () -> changes.readHead(acme.source, GLOBEX, name));
    assertTrue(other.getMessage().contains("not the organization " + GLOBEX), other.getMessage());
    assertEquals(3, copies.fetches(), "Acme's warm copy was not lent to Globex");
    assertEquals(2, copies.size(), "the refused copy is dropped");
    assertThrows(ChangeBranches.Refused.class, () -> changes.readHead(acme.source, GLOBEX, name));
    assertEquals(4, copies.fetches(), "fetched again: nothing of it was kept");
  }

  @Test
  void aCopyIsFetchedAfreshPastItsPacksAndTheLeastRecentlyUsedIsDropped() throws Exception {
    RemoteCopies small = new RemoteCopies(1, 2);
    ChangeBranches bounded = branches(small, BaseBundles.warm(BaseBundles.Served.NOTHING));
    String base = bounded.head(acme.source);
    Repository first;
    try (var lease = small.fetch(ACME, acme.source, repo -> fetch(repo, acme.source))) {
      first = lease.repo(); // one pack: the fetch
    }
    bounded.proposeIfValid(
        acme.source, ACME, "alice", null, base, rename(WEATHER, "one")); // a second: the commit
    try (var lease = small.fetch(ACME, acme.source, repo -> fetch(repo, acme.source))) {
      assertNotSame(first, lease.repo(), "two packs: fetched afresh");
      assertEquals(base, lease.head().name());
      first = lease.repo();
    }
    try (var lease = small.fetch(GLOBEX, acme.source, repo -> {})) {
      assertNotSame(first, lease.repo());
    }
    assertEquals(1, small.size(), "one copy kept at most");
  }

  @Test
  void aBaseIsCompiledOncePerOrganizationAndCommitAndAServedOneIsNotCompiled() throws Exception {
    AtomicInteger compiles = new AtomicInteger();
    BaseBundles.Compile compile =
        () -> {
          compiles.incrementAndGet();
          return Optional.empty();
        };
    BaseBundles bases = BaseBundles.warm(BaseBundles.Served.NOTHING);
    bases.of(ACME, "file:/a", "acme", "c1", compile);
    bases.of(ACME, "file:/a", "acme", "c1", compile);
    assertEquals(1, compiles.get(), "the same commit of the same organization: compiled once");
    bases.of(GLOBEX, "file:/a", "acme", "c1", compile);
    bases.of(ACME, "file:/b", "acme", "c1", compile);
    assertEquals(3, compiles.get(), "another organization or remote: its own compile");

    String base = headOf(acme);
    Bundle served = servedBundleOf(acme, base);
    BaseBundles fromServer =
        BaseBundles.warm(
            (org, label, commit) ->
                org.equals(ACME) && label.equals("acme") && commit.equals(base)
                    ? Optional.of(served)
                    : Optional.empty());
    assertSame(served, fromServer.of(ACME, "file:/a", "acme", base, compile).get());
    assertEquals(3, compiles.get(), "the served bundle is taken, nothing compiled");
    assertEquals(0, fromServer.size());

    // the diff against the served bundle is the diff against the compiled base
    ChangeBranches servedChanges = branches(RemoteCopies.warm(), fromServer);
    String withServed =
        servedChanges
            .change(acme.source, ACME, "alice", null, base, rename(WEATHER, "Served"), false)
            .diff();
    String compiled =
        changes
            .change(acme.source, ACME, "alice", null, base, rename(WEATHER, "Served"), false)
            .diff();
    assertEquals(compiled, withServed);
    assertTrue(compiled.contains("get-weather"), compiled);
  }

  /** The base's bundle as GitOps serves it: compiled, written and read back through the codec. */
  private static Bundle servedBundleOf(ExampleRemote remote, String commit) throws Exception {
    try (Repository repo = Git.open(remote.remote.toFile()).getRepository();
        GitSource tree = GitSource.open(repo, "acme", commit)) {
      Bundle compiled = new Compiler(CodeSyntaxes.engines()).compile(tree).bundle().orElseThrow();
      return BundleCodec.read(new ByteArrayInputStream(BundleCodec.write(compiled)));
    }
  }

  private ChangeBranches.Proposal propose(
      GitSettings.Source source, String org, String base, String path, String name)
      throws ChangeBranches.Refused {
    return changes.proposeIfValid(source, org, "alice", null, base, rename(path, name));
  }

  private static ChangeBranches branches(RemoteCopies copies, BaseBundles bases) {
    return new ChangeBranches(
        new Compiler(CodeSyntaxes.engines()),
        ExampleRemote.CLOCK,
        () -> GitSettings.DEFAULT_FETCH_TIMEOUT_SECONDS,
        copies,
        bases);
  }

  private static void fetch(Repository repo, GitSettings.Source source) throws GitAPIException {
    Git.wrap(repo)
        .fetch()
        .setRemote(source.url().toString())
        .setRefSpecs("+" + source.ref() + ":" + source.ref())
        .call();
  }

  /** An API's name changed, as the API form would. */
  static TreeChange rename(String path, String name) {
    return new TreeChange() {
      @Override
      public Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused {
        var api = base.json(path).orElseThrow();
        api.put("name", name);
        return Map.of(path, ChangeBranches.text(api));
      }

      @Override
      public String message() {
        return "rename " + path + "\n";
      }
    };
  }

  private static String headOf(ExampleRemote remote) throws Exception {
    try (Repository repo = Git.open(remote.remote.toFile()).getRepository()) {
      return repo.resolve("refs/heads/main").name();
    }
  }

  private static String parentOf(ExampleRemote remote, String branch) throws Exception {
    try (Repository repo = Git.open(remote.remote.toFile()).getRepository();
        RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(repo.resolve("refs/heads/" + branch)).getParent(0).name();
    }
  }
}
