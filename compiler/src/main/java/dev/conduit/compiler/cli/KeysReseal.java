package dev.conduit.compiler.cli;

import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.SealedValue;
import dev.conduit.seal.Sealer;
import dev.conduit.seal.SealingKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code conduit keys reseal}: the one-command migration of sealed:v1 values (which hide where they
 * belong) to sealed:v2 (which show it, so {@code conduit validate} catches a copy in the wrong
 * place). Only the holder of the runtime's private key can run it; a value that does not open where
 * it stands is reported and left as it is, so misplaced values are never re-bound. Values are
 * opened in memory only and never printed. Files are edited in place, value for value, so their
 * formatting stays.
 */
@Command(
    name = "reseal",
    mixinStandardHelpOptions = true,
    description = {
      "Seal every sealed:v1 value of the repository again as sealed:v2, bound to where it stands.",
      "Needs the runtime's private key; a value that does not open where it stands is reported and left unchanged."
    })
final class KeysReseal extends Conduit.Base implements Callable<Integer> {

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
      description =
          "The runtime's private key (Tink JSON keyset, as given to conduit.sealing.private-key).")
  Path privateKey;

  @Override
  public Integer call() throws Exception {
    SealingTarget target = SealingTarget.of(directory, "nothing can be sealed to it");
    Path repo = target.repo();
    String publicKey = target.publicKey();
    Opener opener;
    Sealer sealer;
    try {
      opener = new Opener(Files.readString(privateKey, StandardCharsets.UTF_8));
      sealer = new Sealer(publicKey);
      if (!opener.keyId().equals(SealingKeys.keyIdOf(publicKey))) {
        throw new UsageProblem(
            "the private key "
                + privateKey
                + " is key "
                + opener.keyId()
                + ", but organization.json's public key is key "
                + SealingKeys.keyIdOf(publicKey));
      }
    } catch (NoSuchFileException e) {
      throw new UsageProblem(privateKey + " does not exist");
    } catch (SealException e) {
      throw new UsageProblem(e.getMessage());
    }
    String orgId = target.organizationId();
    int resealed = 0;
    int refused = 0;
    for (Path file : connectionFiles(repo)) {
      String connection = file.getParent().getFileName().toString();
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String updated = text;
      for (JsonNode p : JsonFileEdit.read(file).path("parameters")) {
        String sealed = p.path("sealed").asString(null);
        if (sealed == null || !sealed.startsWith(SealedValue.V1)) {
          continue;
        }
        SealContext here = new SealContext(orgId, connection, p.path("name").asString());
        try {
          updated =
              updated.replace(
                  "\"" + sealed + "\"", "\"" + sealer.seal(opener.open(sealed, here), here) + "\"");
          resealed++;
        } catch (SealException e) {
          err.println(repo.relativize(file) + ": " + e.getMessage() + " (left unchanged)");
          refused++;
        }
      }
      if (!updated.equals(text)) {
        Files.writeString(file, updated, StandardCharsets.UTF_8);
      }
    }
    out.println(
        "resealed "
            + resealed
            + " value"
            + (resealed == 1 ? "" : "s")
            + " as "
            + SealedValue.V2
            + (refused == 0
                ? ""
                : "; " + refused + " could not be opened where they stand (listed above)"));
    return refused == 0 ? Conduit.OK : Conduit.ERRORS;
  }

  private static List<Path> connectionFiles(Path repo) throws java.io.IOException {
    Path dir = repo.resolve("connections");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> folders = Files.list(dir)) {
      return folders
          .map(f -> f.resolve("connection.json"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }
}
