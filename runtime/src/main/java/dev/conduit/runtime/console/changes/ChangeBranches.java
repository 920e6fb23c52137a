package dev.conduit.runtime.console.changes;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.JsonFileEdit;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diff.BundleDiff;
import dev.conduit.compiler.diff.Change;
import dev.conduit.compiler.diff.DiffReport;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.compiler.source.SourceException;
import dev.conduit.runtime.gitops.GitSettings;
import dev.conduit.runtime.gitops.RemoteAccess;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes made in the console become a commit on a new branch of the organization's repository
 * (GitSettings: the same remote the runtime follows), pushed for review; nothing served changes
 * until that branch is merged. Before the commit is made, the branch the page was rendered from
 * must not have moved on (a stale page is refused, nothing written). A hidden value is sealed here
 * with the organization's public key (organization.json of that commit), bound to its place, and
 * never written in plaintext. The result carries the {@code conduit diff} of the change and the
 * compiler's validation of the new branch.
 */
public final class ChangeBranches {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Compiler compiler;
  private final Clock clock;
  private final IntSupplier timeoutSeconds;
  private final RemoteCopies copies;
  private final BaseBundles bases;

  /**
   * @param timeoutSeconds {@code conduit.git.fetch-timeout-seconds} as it is now (GitOps' setting:
   *     a remote that stays silent fails the console's page as it fails a fetch)
   * @param copies the organizations' repositories kept between proposals
   * @param bases the base commits' bundles kept between proposals
   */
  public ChangeBranches(
      Compiler compiler,
      Clock clock,
      IntSupplier timeoutSeconds,
      RemoteCopies copies,
      BaseBundles bases) {
    this.compiler = compiler;
    this.clock = clock;
    this.timeoutSeconds = timeoutSeconds;
    this.copies = copies;
    this.bases = bases;
  }

  /** With the default timeout, copies and base bundles kept, nothing served (tests and tools). */
  public ChangeBranches(Compiler compiler, Clock clock) {
    this(
        compiler,
        clock,
        () -> GitSettings.DEFAULT_FETCH_TIMEOUT_SECONDS,
        RemoteCopies.warm(),
        BaseBundles.warm(BaseBundles.Served.NOTHING));
  }

  /** Refused: the page is stale, the remote cannot be reached, or the edit does not apply. */
  public static class Refused extends Exception {
    private final boolean stale;

    private final String field;

    Refused(String message, boolean stale) {
      this(message, stale, null);
    }

    Refused(String message, boolean stale, String field) {
      super(message);
      this.stale = stale;
      this.field = field;
    }

    public boolean stale() {
      return stale;
    }

    /** The form's field the refusal is about (an id already taken), or null. */
    public String field() {
      return field;
    }
  }

  /**
   * The change leaves every file as it was (an untouched form posted as it is): nothing is
   * committed and no branch is made; the page says "No changes", not an error.
   */
  public static final class Unchanged extends Refused {
    Unchanged() {
      super("nothing was changed: no branch made", false);
    }
  }

  /**
   * A branch made and pushed.
   *
   * @param diff the {@code conduit diff} of the change, markdown
   * @param problems the new branch's errors and warnings as {@code file:line:col: message}
   * @param diagnostics the same as values (the edit forms place them beside their fields)
   */
  public record Proposal(
      String branch,
      String commit,
      String baseCommit,
      String diff,
      List<String> problems,
      boolean valid,
      List<Diagnostic> diagnostics) {}

  /** The commit the source's branch is at now (a cheap ls-remote), for the page's base. */
  public String head(GitSettings.Source source) throws Refused {
    try (RemoteAccess access = access(source)) {
      for (Ref r :
          access
              .configure(Git.lsRemoteRepository().setRemote(source.url().toString()))
              .setHeads(true)
              .call()) {
        if (r.getName().equals(source.ref())) {
          return r.getObjectId().name();
        }
      }
      throw new Refused("the repository has no branch " + source.branch(), false);
    } catch (GitAPIException e) {
      throw new Refused(
          "cannot reach the repository of " + source.label() + ": " + e.getMessage(), false);
    }
  }

  /** What a page read from the repository, and the commit it read it at (the form's base). */
  public record AtHead<T>(String commit, T value) {}

  /** Reads what a page needs from the repository's files (a code block's source). */
  @FunctionalInterface
  public interface TreeReader<T> {
    T read(BaseTree tree) throws Refused;
  }

  /**
   * The source's branch as it is now, read by {@code reader} from the organization's warm copy
   * ({@link RemoteCopies#atHead}: fetched only when the branch moved since the copy was last
   * fetched): a form shows what is in the repository where the bundle does not carry it (the code
   * of a block, without its shared files), and its base is the commit read.
   *
   * @param organizationId the organization the form is of: only its copy is read, and a repository
   *     whose organization.json names another is refused (that copy is not kept)
   */
  public <T> AtHead<T> readHead(
      GitSettings.Source source, String organizationId, TreeReader<T> reader) throws Refused {
    rootOnly(source);
    ObjectId now = ObjectId.fromString(head(source)); // the remote's, credentials checked
    try (RemoteCopies.Lease lease =
        copies.atHead(organizationId, source, now, r -> fetch(source, r))) {
      Repository repo = lease.repo();
      ObjectId head = lease.head();
      if (head == null) {
        throw new Refused("the repository has no branch " + source.branch(), false);
      }
      RevCommit commit;
      try (RevWalk walk = new RevWalk(repo)) {
        commit = walk.parseCommit(head);
      }
      ObjectNode organization = ofOrganization(lease, commit, organizationId);
      BaseTree tree = new CommitTree(repo, commit, organization);
      return new AtHead<>(commit.name(), reader.read(tree));
    } catch (IOException | GitAPIException e) {
      throw new Refused(
          "cannot read " + source.label() + "'s repository: " + e.getMessage(), false);
    }
  }

  /**
   * The commit's organization.json, when it is the organization's: a copy kept under its name that
   * holds another's repository is dropped, and the page refused.
   */
  private static ObjectNode ofOrganization(
      RemoteCopies.Lease lease, RevCommit commit, String organizationId) throws Refused {
    ObjectNode organization = object(lease.repo(), commit, "organization.json");
    if (!organizationId.equals(organization.path("id").asString(""))) {
      lease.discard();
      throw new Refused("this repository is not the organization " + organizationId + "'s", false);
    }
    return organization;
  }

  /** The console edits repositories whose organization is at the root. */
  private static void rootOnly(GitSettings.Source source) throws Refused {
    if (!source.path().isEmpty()) {
      throw new Refused(
          "the console edits repositories whose organization is at the root; "
              + source.label()
              + "'s is in "
              + source.path(),
          false);
    }
  }

  /**
   * A change of the repository's files as a commit on the source's branch as it was at {@code
   * baseCommit}: with {@code push}, on a new branch ({@link #branchName}) pushed to the remote;
   * without, only worked out in memory (a preview: its diff and validation, nothing written
   * anywhere).
   *
   * @param organizationId the organization the page is of (checked against the repository's)
   */
  public Proposal change(
      GitSettings.Source source,
      String organizationId,
      String login,
      String authorName,
      String baseCommit,
      TreeChange change,
      boolean push)
      throws Refused {
    return make(
        source,
        organizationId,
        login,
        authorName,
        baseCommit,
        change,
        push ? Push.ALWAYS : Push.NEVER);
  }

  /** Whether the commit worked out is pushed as a branch. */
  private enum Push {
    NEVER,
    ALWAYS,
    IF_VALID
  }

  private Proposal make(
      GitSettings.Source source,
      String organizationId,
      String login,
      String authorName,
      String baseCommit,
      TreeChange change,
      Push push)
      throws Refused {
    rootOnly(source);
    try (RemoteCopies.Lease lease = copies.fetch(organizationId, source, r -> fetch(source, r))) {
      Repository repo = lease.repo();
      Git git = Git.wrap(repo);
      ObjectId head = lease.head(); // as this proposal's fetch found it, whatever came since
      if (head == null) {
        throw new Refused("the repository has no branch " + source.branch(), false);
      }
      if (!head.name().equals(baseCommit)) {
        throw new Refused(
            "the repository moved on since this page was opened (it showed "
                + shortId(baseCommit)
                + ", the branch "
                + source.branch()
                + " is now at "
                + shortId(head.name())
                + "): open the page again; nothing was changed",
            true);
      }
      RevCommit base;
      try (RevWalk walk = new RevWalk(repo)) {
        base = walk.parseCommit(head);
      }
      ObjectNode organization = ofOrganization(lease, base, organizationId);
      BaseTree tree = new CommitTree(repo, base, organization);
      Map<String, byte[]> files = unlessSameJson(repo, base, change.files(tree));
      ObjectId commit = commit(repo, base, files, login, authorName, change.message());
      if (repo.parseCommit(commit).getTree().equals(base.getTree())) {
        throw new Unchanged(); // every file as it was: no commit worth a branch
      }
      String branch = branchName(login, commit);
      Proposal checked =
          check(
              repo,
              source,
              organizationId,
              push == Push.NEVER ? "(not made yet)" : branch,
              base,
              commit);
      if (push == Push.NEVER) {
        return checked;
      }
      if (push == Push.IF_VALID && !checked.valid()) {
        return new Proposal(
            "(not made)",
            checked.commit(),
            checked.baseCommit(),
            checked.diff(),
            checked.problems(),
            false,
            checked.diagnostics());
      }
      push(git, source, commit, branch);
      return checked;
    } catch (IOException | GitAPIException e) {
      throw new Refused(
          "cannot make the change in " + source.label() + "'s repository: " + e.getMessage(),
          false);
    }
  }

  /**
   * {@code console/LOGIN-YYYYMMDD-HHMMSS-COMMIT8}: who and when for a person reading the list of
   * branches, and the commit's first 8 hex digits so two proposals in the same second (two tabs,
   * two quick edits) get two branches instead of the second push being refused.
   */
  String branchName(String login, ObjectId commit) {
    return "console/"
        + login.replaceAll("[^A-Za-z0-9._-]", "-")
        + "-"
        + STAMP.format(clock.instant())
        + "-"
        + commit.name().substring(0, 8);
  }

  /**
   * The organization's sealer (its public key in organization.json), for a hidden value: the
   * plaintext is sealed here, bound to its place, and never written.
   */
  public static String seal(
      ObjectNode organization,
      String organizationId,
      String connectionId,
      String parameter,
      String plaintext)
      throws Refused {
    Sealer sealer;
    try {
      sealer = new Sealer(organization.path("sealing").path("publicKey").asString(""));
    } catch (SealException e) {
      throw new Refused(
          "organization.json has no usable sealing public key: " + e.getMessage(), false);
    }
    return sealer.seal(plaintext, new SealContext(organizationId, connectionId, parameter));
  }

  /**
   * Checks the change, and pushes it as a new branch only when it validates: a change with errors
   * writes nothing anywhere (its proposal says why, diagnostics included).
   */
  public Proposal proposeIfValid(
      GitSettings.Source source,
      String organizationId,
      String login,
      String authorName,
      String baseCommit,
      TreeChange change)
      throws Refused {
    // one fetch and one compile of each side: the commit checked is the commit pushed
    return make(source, organizationId, login, authorName, baseCommit, change, Push.IF_VALID);
  }

  /** The id in organization.json of the source's branch (which organization it holds). */
  public String organizationOf(GitSettings.Source source) throws Refused {
    try (RemoteCopies.Lease lease = RemoteCopies.fresh(source, r -> fetch(source, r))) {
      Repository repo = lease.repo();
      ObjectId head = lease.head();
      if (head == null) {
        throw new Refused("the repository has no branch " + source.branch(), false);
      }
      try (RevWalk walk = new RevWalk(repo)) {
        String prefix = source.path().isEmpty() ? "" : source.path() + "/";
        return object(repo, walk.parseCommit(head), prefix + "organization.json")
            .path("id")
            .asString("");
      }
    } catch (IOException | GitAPIException e) {
      throw new Refused(
          "cannot read " + source.label() + "'s repository: " + e.getMessage(), false);
    }
  }

  /**
   * The source's branch fetched into a repository in memory ({@link RemoteCopies}: a warm copy gets
   * only what is new): nothing of the organization's repository is left on this server's disk (the
   * file system is still needed by the file:// transport).
   */
  private void fetch(GitSettings.Source source, Repository repo) throws GitAPIException, Refused {
    try (RemoteAccess access = access(source)) {
      access
          .configure(Git.wrap(repo).fetch())
          .setRemote(source.url().toString())
          .setRefSpecs(new RefSpec("+" + source.ref() + ":" + source.ref()))
          .call();
    }
  }

  private ObjectId commit(
      Repository repo,
      RevCommit base,
      Map<String, byte[]> files,
      String login,
      String authorName,
      String message)
      throws IOException {
    try (ObjectInserter ins = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      for (var f : files.entrySet()) {
        if (f.getValue() == null) { // a file the change removes
          editor.add(new DirCacheEditor.DeletePath(f.getKey()));
          continue;
        }
        ObjectId blob = ins.insert(Constants.OBJ_BLOB, f.getValue());
        editor.add(
            new DirCacheEditor.PathEdit(f.getKey()) {
              @Override
              public void apply(DirCacheEntry ent) {
                ent.setFileMode(FileMode.REGULAR_FILE);
                ent.setObjectId(blob);
              }
            });
      }
      editor.finish();
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(index.writeTree(ins));
      c.setParentId(base);
      PersonIdent who =
          new PersonIdent(
              authorName == null ? login : authorName,
              login + "@console.conduit.invalid",
              clock.instant(),
              ZoneOffset.UTC);
      c.setAuthor(who);
      c.setCommitter(who);
      c.setMessage(message);
      ObjectId id = ins.insert(c);
      ins.flush();
      return id;
    }
  }

  /**
   * Pushes the commit as the new branch. No local branch is made: the copy may serve the next
   * proposal, and keeps only the followed branch.
   */
  private void push(Git git, GitSettings.Source source, ObjectId commit, String branch)
      throws GitAPIException, IOException, Refused {
    Iterable<PushResult> results;
    try (RemoteAccess access = access(source)) {
      results =
          access
              .configure(git.push())
              .setRemote(source.url().toString())
              .setRefSpecs(new RefSpec(commit.name() + ":" + Constants.R_HEADS + branch))
              .call();
    }
    for (PushResult r : results) {
      for (RemoteRefUpdate u : r.getRemoteUpdates()) {
        if (u.getStatus() != RemoteRefUpdate.Status.OK) {
          throw new IOException(
              "the push of "
                  + branch
                  + " was refused: "
                  + u.getStatus()
                  + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")"));
        }
      }
    }
  }

  /**
   * The new commit compiled, and diffed against the base's bundle (compiled once per base commit:
   * {@link BaseBundles}).
   */
  private Proposal check(
      Repository repo,
      GitSettings.Source source,
      String organizationId,
      String branch,
      RevCommit base,
      ObjectId commit)
      throws Refused {
    try (GitSource after = GitSource.open(repo, source.label(), commit.name())) {
      Bundle bb =
          bases
              .of(
                  organizationId,
                  source.url().toString(),
                  source.label(),
                  base.name(),
                  () -> resolved(repo, source, base))
              .orElse(null);
      Compiler.Result h = compiler.compile(after);
      List<String> problems =
          h.diagnostics().stream()
              .map(
                  d ->
                      d.file()
                          + ":"
                          + d.line()
                          + ":"
                          + d.column()
                          + ": "
                          + d.severity()
                          + "["
                          + d.code()
                          + "]: "
                          + d.message())
              .toList();
      boolean valid = h.diagnostics().stream().noneMatch(Diagnostic::isError);
      Bundle hb = h.resolved().orElse(null);
      String diff;
      if (bb == null || hb == null) {
        diff = "The change cannot be compared: one side does not resolve (see the problems).";
      } else {
        List<Change> changes = BundleDiff.between(bb, hb);
        List<String> errors =
            h.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::message).toList();
        diff =
            DiffReport.markdown(
                changes,
                source.branch() + " (" + shortId(base.name()) + ")",
                branch + " (" + shortId(commit.name()) + ")",
                errors);
      }
      return new Proposal(
          branch, commit.name(), base.name(), diff, problems, valid, h.diagnostics());
    } catch (SourceException e) {
      throw new Refused("cannot read the new branch back: " + e.getMessage(), false);
    }
  }

  /** The base commit's bundle as resolved (empty when it does not resolve). */
  private Optional<Bundle> resolved(Repository repo, GitSettings.Source source, RevCommit base)
      throws Refused {
    try (GitSource before = GitSource.open(repo, source.label(), base.name())) {
      return compiler.compile(before).resolved();
    } catch (SourceException e) {
      throw new Refused("cannot read the base commit back: " + e.getMessage(), false);
    }
  }

  private static ObjectNode object(Repository repo, RevCommit commit, String path) throws Refused {
    return CommitTree.object(
        path,
        CommitTree.bytes(repo, commit, path)
            .orElseThrow(() -> new Refused("the repository has no " + path, false)));
  }

  /**
   * The files that change: one whose JSON is what the file already holds (only its layout would
   * differ: an array on one line, keys in another order) is left as it is, bytes and all; so is a
   * code file posted with its own bytes, and a removal of a file that is not there.
   */
  private static Map<String, byte[]> unlessSameJson(
      Repository repo, RevCommit base, Map<String, byte[]> files) throws IOException, Refused {
    Map<String, byte[]> changed = new java.util.LinkedHashMap<>();
    for (var f : files.entrySet()) {
      var before = CommitTree.bytes(repo, base, f.getKey());
      boolean same =
          f.getValue() == null
              ? before.isEmpty()
              : before.isPresent() && same(f.getKey(), before.get(), f.getValue());
      if (!same) {
        changed.put(f.getKey(), f.getValue());
      }
    }
    return changed;
  }

  private static boolean same(String path, byte[] a, byte[] b) {
    return path.endsWith(".json") ? sameJson(a, b) : java.util.Arrays.equals(a, b);
  }

  private static boolean sameJson(byte[] a, byte[] b) {
    try {
      var mapper = JsonFileEdit.mapper();
      return mapper
          .readTree(new String(a, StandardCharsets.UTF_8))
          .equals(mapper.readTree(new String(b, StandardCharsets.UTF_8)));
    } catch (JacksonException e) {
      return java.util.Arrays.equals(a, b);
    }
  }

  private static ObjectNode emptyGrants() {
    ObjectNode o = JsonFileEdit.mapper().createObjectNode();
    o.put("$schema", "../../../schemas/grants.schema.json");
    o.putArray("applications");
    return o;
  }

  /** A JSON file as the console writes it: the CLI's layout, a newline at the end. */
  public static byte[] text(ObjectNode node) {
    return (JsonFileEdit.mapper().writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The source's remote as GitOps reaches it: its credentials (an ssh key through the same
   * SshConnector, strict host keys, a temporary empty ssh home) and its timeout.
   */
  private RemoteAccess access(GitSettings.Source source) throws Refused {
    try {
      return new RemoteAccess(source, timeoutSeconds.getAsInt(), null);
    } catch (RemoteAccess.Refused e) {
      throw new Refused(e.getMessage(), false);
    }
  }

  private static String shortId(String commit) {
    return commit == null ? "(none)" : commit.substring(0, Math.min(10, commit.length()));
  }
}
