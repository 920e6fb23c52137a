package dev.conduit.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A code block's shared files: checked on their own (no main needed), appended after the block in
 * the bundle, so the block calls their functions and keeps its own line numbers.
 */
class SharedCodeTest {

  @TempDir Path temp;

  @Test
  void aSharedFileIsAppendedAfterTheBlockAndNeedsNoMain() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path code = repo.resolve("connections/sms-gateway/code");
    String block = Files.readString(code.resolve("sign-request.js"));
    String shared =
        "// digits only\nfunction digits(s) {\n  return String(s).replace(/[^0-9]/g, '');\n}\n";
    Files.writeString(code.resolve("digits.js"), shared);
    TestRepos.apply(
        repo,
        TestRepos.mapper()
            .readTree(
                "{\"file\":\"connections/sms-gateway/apis/send-sms.json\",\"pointer\":\"/before\","
                    + "\"value\":{\"file\":\"code/sign-request.js\",\"shared\":[\"code/digits.js\"]}}"));
    Path out = temp.resolve("bundle.json");
    Run run = Run.conduit("compile", repo.toString(), "-o", out.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertFalse(run.out().contains("digits.js"), "no diagnostic for the shared file: " + run.out());
    Bundle bundle;
    try (InputStream in = Files.newInputStream(out)) {
      bundle = BundleCodec.read(in);
    }
    Api api =
        bundle.connection("sms-gateway").orElseThrow().apis().stream()
            .filter(a -> a.id().equals("send-sms"))
            .findFirst()
            .orElseThrow();
    assertEquals("connections/sms-gateway/code/sign-request.js", api.before().file());
    assertEquals(block + "\n" + shared, api.before().source());
  }
}
