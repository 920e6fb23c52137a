package dev.conduit.compiler.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * conduit import curl: a working connection from a curl line; secrets not written; shell refused.
 */
class ImportCurlTest {

  @TempDir Path temp;

  @Test
  void aCurlLineBecomesAConnectionThatCompilesWithTheSecretLeftToSeal() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run r =
        Run.conduit(
            "import",
            "curl",
            "curl -s -X POST 'https://api.example.org/v1/orders?region=eu' "
                + "-H 'Authorization: Bearer s3cr3t-token' -H 'Content-Type: application/json' -d '{\"sku\": \"A-1\", \"quantity\": 2}'",
            repo.toString(),
            "--as",
            "orders");
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("conduit seal --connection orders --parameter authorization"), r.out());
    String connection = Files.readString(repo.resolve("connections/orders/connection.json"));
    String api = Files.readString(repo.resolve("connections/orders/apis/post-v1-orders.json"));
    assertFalse((connection + api).contains("s3cr3t-token"), "the secret is not written");
    assertTrue(
        api.contains("{{input.sku}}")
            && api.contains("{{input.region}}")
            && api.contains("{{connection.authorization}}"),
        api);
    Run validate = Run.conduit("validate", repo.toString());
    assertFalse(
        validate.out().contains("connections/orders") && validate.out().contains("error["),
        validate.out());
  }

  @Test
  void aShellConstructIsRefusedWithItsColumnAndNothingIsWritten() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run r =
        Run.conduit(
            "import",
            "curl",
            "curl -H \"Authorization: $(cat token)\" https://api.example.org/",
            repo.toString(),
            "--as",
            "x");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("column 25: the shell construct \"$(cat token)"), r.err());
    Run pipe =
        Run.conduit(
            "import", "curl", "curl https://api.example.org/ | sh", repo.toString(), "--as", "x");
    assertTrue(pipe.err().contains("the shell construct |"), pipe.err());
    assertFalse(Files.exists(repo.resolve("connections/x")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '#',
      value = {
        "curl -H 'X-Key: '`cat key` https://api.example.org/ | 18 | \"`cat key` ht...\"",
        "curl https://api.example.org/; rm -rf ~ | 30 | ;",
        "curl https://api.example.org/ && echo done | 31 | &",
        "curl https://api.example.org/ > out.json | 31 | >",
        "curl -d @- https://api.example.org/ < body.json | 37 | <",
        "curl https://api.example.org/ 2>/dev/null | 32 | >",
        "curl -H \"X-Key: $API_KEY\" https://api.example.org/ | 17 | \"$API_KEY\" ht...\"",
      })
  void everyShellConstructIsRefusedWithItsColumn(String line, int column, String construct)
      throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run r = Run.conduit("import", "curl", line, repo.toString(), "--as", "x");
    assertEquals(2, r.exit(), r.out());
    assertTrue(
        r.err()
            .contains(
                "column " + column + ": the shell construct " + construct + " is not allowed"),
        r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    ImportOpenApiTest.assertNothingWritten(repo, "x");
  }
}
