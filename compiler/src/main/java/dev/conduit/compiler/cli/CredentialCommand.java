package dev.conduit.compiler.cli;

import dev.conduit.bundle.CredentialHash;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit credential}: makes a new secret for an application or a third-party application,
 * prints it once, and writes only its SHA-256 hash into the file.
 */
@Command(
    name = "credential",
    mixinStandardHelpOptions = true,
    description =
        "Generate application credentials: the secret is printed once; only its hash is stored.")
final class CredentialCommand {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** 256 random bits, base64url: far above the 128 bits that make a fast hash safe. */
  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String secret) {
    return CredentialHash.of(secret);
  }

  @Command(
      name = "application",
      mixinStandardHelpOptions = true,
      description =
          "New key (if it has none) and secret for applications/ID.json (HTTP Basic for invoke).")
  static final class Application extends Conduit.Base implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The application id.")
    String id;

    @Option(
        names = "--repo",
        paramLabel = "DIR",
        defaultValue = ".",
        description = "The organization repository. Default: the current directory.")
    Path repo;

    @Override
    public Integer call() throws Exception {
      Path file = repo.resolve("applications").resolve(id + ".json");
      ObjectNode app = JsonFileEdit.read(file);
      ObjectNode credential =
          app.has("credential") && app.get("credential") instanceof ObjectNode o
              ? o
              : app.putObject("credential");
      String key = credential.path("key").asString(null);
      if (key == null) {
        key = id + "-" + HexFormat.of().formatHex(randomBytes(4));
        credential.put("key", key);
      }
      String secret = newSecret();
      credential.put("secretHash", hash(secret));
      JsonFileEdit.write(file, app);
      out.println("key:    " + key);
      out.println("secret: " + secret);
      err.println("the secret is shown only now; " + file + " keeps only its hash");
      return Conduit.OK;
    }
  }

  @Command(
      name = "third-party-app",
      mixinStandardHelpOptions = true,
      description = "New app_key (if it has none) and app_secret for third-party-apps/ID.json.")
  static final class ThirdPartyApp extends Conduit.Base implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The third-party application id.")
    String id;

    @Option(
        names = "--repo",
        paramLabel = "DIR",
        defaultValue = ".",
        description = "The organization repository. Default: the current directory.")
    Path repo;

    @Override
    public Integer call() throws Exception {
      Path file = repo.resolve("third-party-apps").resolve(id + ".json");
      ObjectNode app = JsonFileEdit.read(file);
      String appKey = app.path("appKey").asString(null);
      if (appKey == null) {
        appKey = HexFormat.of().withUpperCase().formatHex(randomBytes(6));
        app.put("appKey", appKey);
      }
      String secret = newSecret();
      app.put("secretHash", hash(secret));
      JsonFileEdit.write(file, app);
      out.println("app_key:    " + appKey);
      out.println("app_secret: " + secret);
      err.println("the secret is shown only now; " + file + " keeps only its hash");
      return Conduit.OK;
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
