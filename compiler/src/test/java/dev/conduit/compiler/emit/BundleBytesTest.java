package dev.conduit.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.source.DirectorySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emitter's bytes are the codec's, byte for byte, whatever the bundle holds. */
class BundleBytesTest {

  @TempDir
  Path temp;

  private static Bundle compile(Path repo) throws Exception {
    try (var tree = DirectorySource.open(repo)) {
      return new Compiler(CodeSyntax.NONE).compile(tree).bundle().orElseThrow();
    }
  }

  @Test
  void theExampleRepository() throws Exception {
    Bundle bundle = compile(TestRepos.EXAMPLE);
    assertArrayEquals(BundleCodec.write(bundle), BundleBytes.of(bundle));
  }

  @Test
  void withACommit() throws Exception {
    Bundle bundle = compile(TestRepos.EXAMPLE).withSource(new Bundle.Source("0123456789abcdef", null));
    assertArrayEquals(BundleCodec.write(bundle), BundleBytes.of(bundle));
  }

  @Test
  void withCharactersOutsideTheBasicPlaneAndALoneSurrogate() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path api = repo.resolve("connections/demo/apis/get-weather.json");
    String original = Files.readString(api);
    // JSON escapes, as a file may hold them: a pair (a cloud), CJK, a backslash-u, a lone surrogate
    for (String text : new String[] {"Weather \\ud83c\\udf24 and \\u4e2d\\u6587, a backslash-u: \\\\uD800",
        "A lone surrogate: \\ud800."}) {
      Files.writeString(api, original.replaceFirst("\"description\"\\s*:\\s*\"[^\"]*\"",
          Matcher.quoteReplacement("\"description\": \"" + text + "\"")));
      Bundle bundle = compile(repo);
      assertArrayEquals(BundleCodec.write(bundle), BundleBytes.of(bundle), text);
    }
  }
}
