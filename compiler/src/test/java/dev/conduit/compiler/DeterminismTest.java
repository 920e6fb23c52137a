package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.bundle.BundleException;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.emit.BundleFile;
import dev.conduit.compiler.source.DirectorySource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same tree gives the same bytes; the hash covers the content; tampering is caught. */
class DeterminismTest {

  @TempDir Path temp;

  static byte[] compile(Path repo) throws Exception {
    try (var tree = DirectorySource.open(repo)) {
      return BundleCodec.write(
          new Compiler(CodeSyntaxes.engines()).compile(tree).bundle().orElseThrow());
    }
  }

  @Test
  void twoCompilationsGiveTheSameBytes() throws Exception {
    byte[] first = compile(TestRepos.EXAMPLE);
    byte[] second = compile(TestRepos.EXAMPLE);
    assertArrayEquals(first, second);
    byte[] copy = compile(TestRepos.copyExample(temp.resolve("copy")));
    assertArrayEquals(first, copy, "the location of the tree does not matter");
  }

  @Test
  void theContentHashChangesWithTheContentOnly() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Bundle before = BundleCodec.read(new ByteArrayInputStream(compile(repo)));
    TestRepos.apply(
        repo,
        TestRepos.mapper()
            .readTree(
                "{\"file\":\"connections/demo/apis/get-weather.json\",\"pointer\":\"/description\",\"value\":\"Changed.\"}"));
    Bundle after = BundleCodec.read(new ByteArrayInputStream(compile(repo)));
    assertNotEquals(before.source().contentHash(), after.source().contentHash());
    assertTrue(after.source().contentHash().matches("sha256:[0-9a-f]{64}"));
  }

  @Test
  void aLoneSurrogateInAFileCompilesAndTheBundleReadsBackWithItsHash() throws Exception {
    // a JSON file may hold a lone UTF-16 surrogate as an escape: the bundle keeps it as the same
    // escape, and the hash the runtime checks covers exactly that
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path api = repo.resolve("connections/demo/apis/get-weather.json");
    Files.writeString(
        api,
        Files.readString(api)
            .replaceFirst(
                "\"description\"\\s*:\\s*\"[^\"]*\"",
                Matcher.quoteReplacement("\"description\": \"A lone surrogate: \\ud800.\"")));
    Path file = temp.resolve("out/bundle.json");
    try (var tree = DirectorySource.open(repo)) {
      BundleFile.write(
          new Compiler(CodeSyntaxes.engines()).compile(tree).bundle().orElseThrow(), file);
    }
    assertTrue(Files.readString(file).contains("A lone surrogate: \\uD800."));
    try (InputStream in = Files.newInputStream(file)) {
      Bundle bundle =
          BundleCodec.read(in); // what the runtime's BundleRegistry does: the hash check passes
      assertEquals(
          "A lone surrogate: \ud800.",
          bundle.connection("demo").orElseThrow().api("get-weather").orElseThrow().description());
    }
  }

  @Test
  void aTamperedBundleIsRefused() throws Exception {
    String json =
        new String(compile(TestRepos.EXAMPLE), StandardCharsets.UTF_8)
            .replace("\"demo-app-key\"", "\"evil-key\"");
    BundleException e =
        assertThrows(
            BundleException.class,
            () ->
                BundleCodec.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("does not match its hash"), e.getMessage());
  }

  @Test
  void hiddenParametersStaySealedInTheBundle() throws Exception {
    String json = new String(compile(TestRepos.EXAMPLE), StandardCharsets.UTF_8);
    assertEquals(false, json.contains("demo-client-secret"));
    assertTrue(
        json.contains("\"sealed\" : \"sealed:v2:") || json.contains("\"sealed\": \"sealed:v2:"));
  }
}
