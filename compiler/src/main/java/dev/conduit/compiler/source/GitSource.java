package dev.conduit.compiler.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One commit of a Git repository, read with JGit straight from the object database: no checkout, so
 * CI can validate a pull request's head and base side by side.
 */
public final class GitSource implements SourceTree {

  private final String origin;
  private final String commit;
  private final Map<String, ObjectId> blobs;
  private final Repository repository;
  private boolean ownsRepository;

  private GitSource(
      String origin, String commit, Map<String, ObjectId> blobs, Repository repository) {
    this.origin = origin;
    this.commit = commit;
    this.blobs = blobs;
    this.repository = repository;
  }

  /**
   * Opens {@code ref} (a branch, tag, commit id or expression such as HEAD~1) of the repository at
   * {@code gitDir} (a work tree or a bare repository).
   */
  public static GitSource open(Path gitDir, String ref) throws SourceException {
    Repository repo;
    try {
      FileRepositoryBuilder builder =
          new FileRepositoryBuilder().setMustExist(true).findGitDir(gitDir.toFile());
      if (builder.getGitDir() == null) {
        builder.setGitDir(gitDir.toFile()); // a bare repository
      }
      repo = builder.build();
    } catch (RepositoryNotFoundException e) {
      throw new SourceException(gitDir + " is not a Git repository");
    } catch (IOException | IllegalArgumentException e) {
      throw new SourceException("cannot open the Git repository " + gitDir + ": " + e.getMessage());
    }
    GitSource source = open(repo, gitDir + "@" + ref, ref);
    source.ownsRepository = true;
    return source;
  }

  /** Opens {@code ref} of an already open repository (tests use in-memory ones). */
  public static GitSource open(Repository repo, String origin, String ref) throws SourceException {
    try {
      ObjectId id = repo.resolve(ref + "^{commit}");
      if (id == null) {
        throw new SourceException(
            "no commit \"" + ref + "\" in " + origin.replaceFirst("@[^@]*$", ""));
      }
      Map<String, ObjectId> blobs = new LinkedHashMap<>();
      try (RevWalk walk = new RevWalk(repo);
          TreeWalk tree = new TreeWalk(repo)) {
        RevCommit commit = walk.parseCommit(id);
        tree.addTree(commit.getTree());
        tree.setRecursive(true);
        while (tree.next()) {
          String path = tree.getPathString();
          if (!DirectorySource.isHidden(path)) {
            blobs.put(path, tree.getObjectId(0));
          }
        }
        return new GitSource(origin, commit.getName(), blobs, repo);
      }
    } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
      throw new SourceException("cannot read \"" + ref + "\" of " + origin + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (ownsRepository) {
      repository.close();
    }
  }

  @Override
  public String origin() {
    return origin;
  }

  @Override
  public Optional<String> commit() {
    return Optional.of(commit);
  }

  @Override
  public List<String> paths() {
    List<String> sorted = new ArrayList<>(blobs.keySet());
    Collections.sort(sorted);
    return sorted;
  }

  @Override
  public long size(String path) throws IOException {
    try (ObjectReader reader = repository.newObjectReader()) {
      return reader.getObjectSize(blobs.get(path), org.eclipse.jgit.lib.Constants.OBJ_BLOB);
    }
  }

  @Override
  public byte[] read(String path) throws IOException {
    try (ObjectReader reader = repository.newObjectReader()) {
      return reader.open(blobs.get(path)).getBytes();
    }
  }
}
