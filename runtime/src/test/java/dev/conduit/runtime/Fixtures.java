package dev.conduit.runtime;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import dev.conduit.seal.SealingKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runtime tests' organization: src/test/resources/fixture-repo, a repository in the real file
 * format with placeholders (${BASE} for the local upstream, ${PUBLIC_KEY},
 * ${SEAL:connection:parameter:value}, ${HASH:secret}), filled in and compiled by the real compiler
 * into a bundle.
 */
public final class Fixtures {

  /** The runtime key pair of the unit tests (made per test run, never stored). */
  public static final SealingKeys KEYS = SealingKeys.generate();

  public static final String ORG = "11111111-2222-4333-8444-555555555555";
  public static final Path TEMPLATE = Path.of("src", "test", "resources", "fixture-repo");

  private static final Pattern SEAL = Pattern.compile("\\$\\{SEAL:([^:]+):([^:]+):([^}]+)}");
  private static final Pattern HASH = Pattern.compile("\\$\\{HASH:([^}]+)}");

  private Fixtures() {}

  /** Writes the filled-in repository to {@code dir}, sealed to the unit tests' key. */
  public static Path repository(Path dir, String baseUrl) throws Exception {
    return repository(dir, baseUrl, KEYS.publicKey());
  }

  /** Writes the filled-in repository to {@code dir}, sealed to {@code publicKey}. */
  public static Path repository(Path dir, String baseUrl, String publicKey) throws Exception {
    return repository(TEMPLATE, dir, baseUrl, publicKey);
  }

  /** The same, from a template folder given explicitly (when the working directory differs). */
  public static Path repository(Path template, Path dir, String baseUrl, String publicKey)
      throws Exception {
    Sealer sealer = new Sealer(publicKey);
    try (Stream<Path> files = Files.walk(template)) {
      for (Path p : files.toList()) {
        Path target = dir.resolve(template.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
          continue;
        }
        String text =
            Files.readString(p).replace("${BASE}", baseUrl).replace("${PUBLIC_KEY}", publicKey);
        Matcher m = SEAL.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(
              sb,
              Matcher.quoteReplacement(
                  sealer.seal(m.group(3), new SealContext(ORG, m.group(1), m.group(2)))));
        }
        m.appendTail(sb);
        Matcher h = HASH.matcher(sb.toString());
        StringBuilder sb2 = new StringBuilder();
        while (h.find()) {
          h.appendReplacement(sb2, BundleCodec.sha256(h.group(1).getBytes(StandardCharsets.UTF_8)));
        }
        h.appendTail(sb2);
        Files.writeString(target, sb2.toString());
      }
    }
    return dir;
  }

  /** Compiles the fixture for an upstream at {@code baseUrl}; fails on any compile error. */
  public static Bundle bundle(Path dir, String baseUrl) throws Exception {
    return read(BundleCodec.write(compile(repository(dir, baseUrl))));
  }

  public static Bundle compile(Path repo) throws IOException, Exception {
    try (var tree = DirectorySource.open(repo)) {
      Compiler.Result r = new Compiler(CodeSyntax.NONE).compile(tree);
      List<Diagnostic> errors = r.diagnostics().stream().filter(Diagnostic::isError).toList();
      if (!errors.isEmpty()) {
        throw new AssertionError("the fixture does not compile: " + errors);
      }
      return r.bundle().orElseThrow();
    }
  }

  /**
   * Gives {@code connection}'s sealed value the ciphertext of {@code donor}'s, keeping the place it
   * shows: what someone who copies a value and edits its place to pass the compiler makes. The
   * repository still compiles clean; the value does not open at load.
   */
  public static void swapInCiphertextOf(Path repo, String connection, String donor)
      throws IOException {
    Pattern sealed = Pattern.compile("(\"sealed:v2:[^\":]+:)([A-Za-z0-9_-]+)\"");
    Matcher from =
        sealed.matcher(Files.readString(repo.resolve("connections/" + donor + "/connection.json")));
    if (!from.find()) {
      throw new AssertionError(donor + " has no sealed value");
    }
    Path file = repo.resolve("connections/" + connection + "/connection.json");
    String text = Files.readString(file);
    String swapped =
        sealed.matcher(text).replaceFirst("$1" + Matcher.quoteReplacement(from.group(2)) + "\"");
    if (swapped.equals(text)) {
      throw new AssertionError(connection + " has no sealed value");
    }
    Files.writeString(file, swapped);
  }

  private static Bundle read(byte[] bytes) throws Exception {
    return BundleCodec.read(new ByteArrayInputStream(bytes));
  }

  /** A folder copied, everything below it (a repository, a library entry); returns {@code to}. */
  public static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
