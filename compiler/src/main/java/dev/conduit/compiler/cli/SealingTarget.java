package dev.conduit.compiler.cli;

import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/**
 * An organization repository about to get values sealed to its public key: where it is, its
 * organization id (part of every value's seal context) and the key. One reading of
 * organization.json for the commands that seal (seal, keys reseal).
 */
record SealingTarget(Path repo, String organizationId, String publicKey) {

  /**
   * Reads DIR/organization.json (DIR defaults to the current directory); without a sealing public
   * key, a usage problem that ends with {@code whenNoKey}, what the user should know.
   */
  static SealingTarget of(Path directory, String whenNoKey) throws UsageProblem {
    Path repo = directory == null ? Path.of(".") : directory;
    ObjectNode org = JsonFileEdit.read(repo.resolve("organization.json"));
    String publicKey = org.path("sealing").path("publicKey").asString(null);
    if (publicKey == null) {
      throw new UsageProblem("organization.json has no sealing public key: " + whenNoKey);
    }
    return new SealingTarget(repo, org.path("id").asString(), publicKey);
  }
}
