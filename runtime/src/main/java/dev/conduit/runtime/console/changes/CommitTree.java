package dev.conduit.runtime.console.changes;

import dev.conduit.compiler.cli.JsonFileEdit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/** A commit of the repository fetched into memory, read as a {@link BaseTree}. */
final class CommitTree implements BaseTree {
  private final Repository repo;
  private final RevCommit commit;
  private final ObjectNode organization;

  CommitTree(Repository repo, RevCommit commit, ObjectNode organization) {
    this.repo = repo;
    this.commit = commit;
    this.organization = organization;
  }

  @Override
  public Optional<ObjectNode> json(String path) throws ChangeBranches.Refused {
    Optional<byte[]> bytes = bytes(repo, commit, path);
    return bytes.isEmpty() ? Optional.empty() : Optional.of(object(path, bytes.get()));
  }

  @Override
  public Optional<String> text(String path) throws ChangeBranches.Refused {
    return bytes(repo, commit, path).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  @Override
  public List<String> paths(String folder) throws ChangeBranches.Refused {
    List<String> paths = new ArrayList<>();
    try (TreeWalk walk = TreeWalk.forPath(repo, folder, commit.getTree())) {
      if (walk == null || !walk.isSubtree()) {
        return paths;
      }
      walk.enterSubtree();
      while (walk.next()) {
        if (!walk.isSubtree()) {
          paths.add(walk.getPathString());
        }
      }
    } catch (IOException e) {
      throw new ChangeBranches.Refused("cannot read " + folder + ": " + e.getMessage(), false);
    }
    return paths;
  }

  @Override
  public ObjectNode organization() {
    return organization.deepCopy();
  }

  /** The bytes of a file at a commit, when it is there. */
  static Optional<byte[]> bytes(Repository repo, RevCommit commit, String path)
      throws ChangeBranches.Refused {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      return walk == null || walk.isSubtree()
          ? Optional.empty()
          : Optional.of(repo.open(walk.getObjectId(0)).getBytes());
    } catch (IOException e) {
      throw new ChangeBranches.Refused("cannot read " + path + ": " + e.getMessage(), false);
    }
  }

  /** A JSON object's bytes read, or refused naming the file. */
  static ObjectNode object(String path, byte[] bytes) throws ChangeBranches.Refused {
    try {
      if (JsonFileEdit.mapper().readTree(new String(bytes, StandardCharsets.UTF_8))
          instanceof ObjectNode o) {
        return o;
      }
    } catch (JacksonException e) {
      // falls through
    }
    throw new ChangeBranches.Refused(
        path + " is not a JSON object (run conduit validate on the branch)", false);
  }
}
