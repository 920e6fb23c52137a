package dev.conduit.runtime.console.changes;

import dev.conduit.compiler.cli.JsonFileEdit;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * The commit a change starts from, as a {@link FileChange} reads it: its JSON files, and a sealer
 * for the organization's public key of that commit (organization.json).
 */
public final class BaseTree {
  private final Repository repo;
  private final RevCommit commit;
  private final String organizationId;
  private final String login;
  private Sealer sealer;

  BaseTree(Repository repo, RevCommit commit, String organizationId, String login) {
    this.repo = repo;
    this.commit = commit;
    this.organizationId = organizationId;
    this.login = login;
  }

  /** Who makes the change (a new grant names them). */
  public String login() {
    return login;
  }

  public String organizationId() {
    return organizationId;
  }

  public boolean exists(String path) throws ChangeBranches.Refused {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      return walk != null;
    } catch (IOException e) {
      throw new ChangeBranches.Refused("cannot read " + path + ": " + e.getMessage(), false);
    }
  }

  /** A file's bytes in the commit, if there is one at the path. */
  public Optional<byte[]> bytes(String path) throws ChangeBranches.Refused {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      return walk == null
          ? Optional.empty()
          : Optional.of(repo.open(walk.getObjectId(0)).getBytes());
    } catch (IOException e) {
      throw new ChangeBranches.Refused("cannot read " + path + ": " + e.getMessage(), false);
    }
  }

  /** A JSON object file of the commit, if there is one at the path. */
  public Optional<ObjectNode> object(String path) throws ChangeBranches.Refused {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      if (walk == null) {
        return Optional.empty();
      }
      byte[] bytes = repo.open(walk.getObjectId(0)).getBytes();
      try {
        if (JsonFileEdit.mapper().readTree(new String(bytes, StandardCharsets.UTF_8))
            instanceof ObjectNode o) {
          return Optional.of(o);
        }
      } catch (JacksonException e) {
        // falls through
      }
      throw new ChangeBranches.Refused(
          path + " is not a JSON object (run conduit validate on the branch)", false);
    } catch (IOException e) {
      throw new ChangeBranches.Refused("cannot read " + path + ": " + e.getMessage(), false);
    }
  }

  /** Seals a hidden value to the organization's key, bound to its place. */
  public String seal(String plaintext, String connectionId, String parameter)
      throws ChangeBranches.Refused {
    if (sealer == null) {
      ObjectNode organization =
          object("organization.json")
              .orElseThrow(() -> new ChangeBranches.Refused("no organization.json", false));
      try {
        sealer = new Sealer(organization.path("sealing").path("publicKey").asString(""));
      } catch (SealException e) {
        throw new ChangeBranches.Refused(
            "organization.json has no usable sealing public key: " + e.getMessage(), false);
      }
    }
    return sealer.seal(plaintext, new SealContext(organizationId, connectionId, parameter));
  }

  /** A file's bytes as the repository keeps JSON: two-space indentation, a final newline. */
  public static byte[] text(ObjectNode node) {
    return (JsonFileEdit.mapper().writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
