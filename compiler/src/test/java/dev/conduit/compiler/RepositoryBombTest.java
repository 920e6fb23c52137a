package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.Run;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.compiler.source.SourceTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker's probe: a compile bomb. Git stores a blob once, however many paths name it, so a
 * commit of a few kilobytes can name one file of just under the 2 MB per-file limit under hundreds
 * of paths. The runtime compiles every pushed commit of every organization in its own JVM
 * (conduit.git.compile-in=server, the default), so a compiler that reads them all fills the heap
 * the other organizations' calls share. The whole repository has a budget, judged from the sizes
 * before anything is read.
 */
class RepositoryBombTest {

  private static final int COPIES = 80;
  private static final int BLOB_BYTES = 2_000_000;

  @TempDir static Path dir;
  static RevCommit bomb;

  @BeforeAll
  static void aCommitNamingOneBlobUnderManyPaths() throws Exception {
    Path work = TestRepos.copyExample(dir.resolve("org"));
    PersonIdent who = new PersonIdent("Mallory", "mallory@acme.example");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      RevCommit base =
          git.commit().setMessage("Acme integrations").setAuthor(who).setCommitter(who).call();
      Repository repo = git.getRepository();
      try (ObjectInserter inserter = repo.newObjectInserter()) {
        byte[] text = new byte[BLOB_BYTES];
        Arrays.fill(text, (byte) ' ');
        byte[] main = "function main(input) { return {}; }\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(main, 0, text, 0, main.length);
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, text);
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        builder.addTree(new byte[0], DirCacheEntry.STAGE_0, repo.newObjectReader(), base.getTree());
        for (int i = 0; i < COPIES; i++) {
          DirCacheEntry e = new DirCacheEntry("connections/demo/code/bomb-" + i + ".js");
          e.setFileMode(FileMode.REGULAR_FILE);
          e.setObjectId(blob);
          builder.add(e);
        }
        builder.finish();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(inserter));
        commit.setParentId(base);
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage("a small push");
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        RefUpdate ref = repo.updateRef("refs/heads/main");
        ref.setNewObjectId(id);
        ref.forceUpdate();
        bomb = repo.parseCommit(id);
      }
    }
  }

  @Test
  void theRepositoryIsRefusedAsAWholeBeforeItsFilesAreRead() throws Exception {
    long logical = (long) COPIES * BLOB_BYTES;
    assertTrue(logical > SourceTree.MAX_REPOSITORY_BYTES, "the bomb must pass the budget");
    try (GitSource git = GitSource.open(dir.resolve("org").resolve(".git"), bomb.getName())) {
      Counting tree = new Counting(git);
      Compiler.Result result = new Compiler(CodeSyntax.NONE).compile(tree);
      assertTrue(result.bundle().isEmpty(), "a bomb never compiles");
      List<Diagnostic> tooLarge =
          result.diagnostics().stream().filter(d -> d.code() == Code.C006).toList();
      assertEquals(1, tooLarge.size(), result.diagnostics().toString());
      assertTrue(
          tooLarge.getFirst().message().contains("the most the compiler reads of one repository"),
          tooLarge.getFirst().message());
      assertTrue(
          tree.bytesRead.get() <= SourceTree.MAX_REPOSITORY_BYTES,
          "read " + tree.bytesRead.get() + " of the bomb's " + logical + " bytes");
    }
  }

  @Test
  void thePullRequestAuthorSeesOneClearError() throws Exception {
    Run run =
        Run.conduit("validate", "--git", dir.resolve("org").toString(), "--ref", bomb.getName());
    assertEquals(1, run.exit(), run.err());
    String all = run.out() + run.err();
    assertTrue(all.contains("error[C006]"), all);
    assertTrue(all.contains("the most the compiler reads of one repository"), all);
    assertTrue(!all.contains("Exception") && !all.contains("\tat "), all);
  }

  @Test
  void theSameRepositoryWithoutTheBombStillCompiles() throws Exception {
    try (GitSource git =
        GitSource.open(dir.resolve("org").resolve(".git"), bomb.getParent(0).getName())) {
      Compiler.Result result = new Compiler(CodeSyntax.NONE).compile(git);
      assertTrue(result.bundle().isPresent(), result.diagnostics().toString());
    }
  }

  /** A tree that counts the bytes the compiler reads. */
  private static final class Counting implements SourceTree {
    private final SourceTree tree;
    final AtomicLong bytesRead = new AtomicLong();

    Counting(SourceTree tree) {
      this.tree = tree;
    }

    @Override
    public String origin() {
      return tree.origin();
    }

    @Override
    public Optional<String> commit() {
      return tree.commit();
    }

    @Override
    public List<String> paths() {
      return tree.paths();
    }

    @Override
    public long size(String path) throws IOException {
      return tree.size(path);
    }

    @Override
    public byte[] read(String path) throws IOException {
      byte[] b = tree.read(path);
      bytesRead.addAndGet(b.length);
      return b;
    }
  }
}
