package dev.conduit.compiler.cli;

import dev.conduit.compiler.portable.PortableConnection;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import dev.conduit.seal.SealingKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit export CONNECTION -o FILE}: a connection as one portable file, secrets left
 * behind.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a connection (its settings, APIs and code) as one portable file.",
      "Sealed values never leave: they are dropped and listed, to be sealed again where the file is imported.",
      "Grants and the owner stay behind (they belong to this organization)."
    })
final class ExportCommand extends Conduit.Base implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONNECTION", description = "The connection id.")
  String connection;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      required = true,
      description = "The file to write.")
  Path output;

  @Option(
      names = "--to-key",
      paramLabel = "KEY",
      description = {
        "Seal the hidden values again for the target organization's public key (its organization.json",
        "sealing.publicKey) so they travel; needs --to-organization and --private-key."
      })
  String toKey;

  @Option(
      names = "--to-organization",
      paramLabel = "ID",
      description = "With --to-key: the target organization's id (its organization.json id).")
  String toOrganization;

  @Option(
      names = "--private-key",
      paramLabel = "FILE",
      description = "With --to-key: this organization's runtime private key, to open the values.")
  Path privateKey;

  @Override
  public Integer call() throws Exception {
    Path repo = directory == null ? Path.of(".") : directory;
    PortableConnection.Reseal reseal = toKey == null ? null : resealer(repo);
    PortableConnection.Exported e;
    try {
      e = PortableConnection.export(repo, connection, reseal);
    } catch (IllegalArgumentException ex) {
      throw new UsageProblem(ex.getMessage());
    }
    Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".export", ".json");
    JsonFileEdit.write(tmp, e.file());
    Files.move(
        tmp,
        output,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    out.println(
        "exported "
            + connection
            + " to "
            + output
            + (reseal == null ? "" : ", hidden values sealed for organization " + toOrganization));
    for (String p : e.dropped()) {
      out.println("  the sealed value of " + p + " stayed behind: seal it again after import");
    }
    return Conduit.OK;
  }

  /**
   * Opens each sealed value with this organization's private key (bound where it stands) and seals
   * it for the target (the same connection id there); the plaintext stays in memory.
   */
  private PortableConnection.Reseal resealer(Path repo) throws Exception {
    if (toOrganization == null || privateKey == null) {
      throw new UsageProblem(
          "--to-key needs --to-organization ID (the target's organization.json id) and --private-key FILE (this runtime's key, to open the values)");
    }
    SealingTarget here = SealingTarget.of(repo, "its values cannot be opened");
    Opener opener;
    Sealer sealer;
    try {
      opener = new Opener(Files.readString(privateKey, StandardCharsets.UTF_8));
      sealer = new Sealer(toKey);
    } catch (NoSuchFileException ex) {
      throw new UsageProblem(privateKey + " does not exist");
    } catch (SealException ex) {
      throw new UsageProblem("--to-key / --private-key: " + ex.getMessage());
    }
    if (!opener.keyId().equals(SealingKeys.keyIdOf(here.publicKey()))) {
      throw new UsageProblem(
          "the private key " + privateKey + " is not the key of organization.json's public key");
    }
    return (parameter, value) -> {
      try {
        return sealer.seal(
            opener.open(value, new SealContext(here.organizationId(), connection, parameter)),
            new SealContext(toOrganization, connection, parameter));
      } catch (SealException ex) {
        throw new IllegalArgumentException(
            "the sealed value of " + parameter + " does not open here: " + ex.getMessage());
      }
    };
  }
}
