package dev.conduit.compiler.cli;

import dev.conduit.seal.SealingKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** {@code conduit keys}: the runtime's sealing key pair. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage the runtime's sealing key pair.")
final class KeysCommand {

  /** {@code conduit keys init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Make the runtime's key pair: the public key goes into organization.json (commit it),",
        "the private key into --private-key, which must stay OUT of Git (give it to the runtime)."
      })
  static final class Init extends Conduit.Base implements Callable<Integer> {

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "DIR",
        description = "The organization repository. Default: the current directory.")
    Path directory;

    @Option(
        names = "--private-key",
        paramLabel = "FILE",
        required = true,
        description = "Where to write the private key (created with owner-only permissions).")
    Path privateKey;

    @Option(
        names = "--force",
        description = "Replace an existing key: every sealed value must then be sealed again.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      Path repo = directory == null ? Path.of(".") : directory;
      Path orgFile = repo.resolve("organization.json");
      ObjectNode org = JsonFileEdit.read(orgFile);
      if (org.has("sealing") && !force) {
        throw new UsageProblem(
            "organization.json already has a sealing key (keyId "
                + org.path("sealing").path("keyId").asString("?")
                + "); --force replaces it, and then every sealed value must be sealed again");
      }
      if (Files.exists(privateKey)) {
        throw new UsageProblem(privateKey + " exists: refusing to overwrite a private key");
      }
      Path absoluteRepo = repo.toAbsolutePath().normalize();
      if (privateKey.toAbsolutePath().normalize().startsWith(absoluteRepo)) {
        err.println(
            "warning: " + privateKey + " is inside the repository: make sure Git ignores it");
      }
      SealingKeys keys = SealingKeys.generate();
      Path parent = privateKey.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      try {
        Files.createFile(
            privateKey,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(privateKey);
      }
      Files.writeString(privateKey, keys.privateKeyset());
      ObjectNode sealing = org.putObject("sealing");
      sealing.put("publicKey", keys.publicKey());
      sealing.put("keyId", keys.keyId());
      JsonFileEdit.write(orgFile, org);
      out.println(
          "key "
              + keys.keyId()
              + ": public key written to "
              + orgFile
              + ", private key to "
              + privateKey);
      out.println(
          "give the runtime the private key (conduit.sealing.private-key) and keep it out of Git");
      return Conduit.OK;
    }
  }
}
