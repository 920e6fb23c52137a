package dev.conduit.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.compiler.TestRepos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Golden files: one broken repository (an error with a hint, a warning, a syntax error) printed in
 * every format, compared byte for byte with src/test/resources/golden/validate.FORMAT. Regenerate
 * after an intended change with -Dgolden.update=true and review the diff.
 */
class GoldenOutputTest {

  static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  @TempDir static Path temp;
  static Path repo;

  @BeforeAll
  static void brokenRepository() throws Exception {
    repo = TestRepos.copyExample(temp.resolve("repo"));
    String[] edits = {
      "{\"file\":\"connections/demo/apis/get-weather.json\",\"pointer\":\"/request/query/city\",\"value\":\"{{input.citty}}\"}",
      "{\"file\":\"connections/exchange-rates/connection.json\",\"pointer\":\"/parameters/-\",\"value\":{\"name\":\"region\",\"value\":\"eu\"}}",
      "{\"file\":\"connections/jira/apis/search-issues.json\",\"text\":\"{\\n  \\\"id\\\": \\\"search-issues\\\",,\\n}\\n\"}",
    };
    for (String e : edits) {
      TestRepos.apply(repo, TestRepos.mapper().readTree(e));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "json", "sarif", "junit"})
  void outputMatchesGoldenFile(String format) throws Exception {
    Run run = Run.conduit("validate", "--format", format, "--color=never", repo.toString());
    assertEquals(1, run.exit());
    Path golden = GOLDEN.resolve("validate." + format);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, run.out(), StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), run.out());
  }

  @Test
  void sarifHasWhatGithubCodeScanningNeeds() throws Exception {
    JsonNode sarif =
        TestRepos.mapper()
            .readTree(Run.conduit("validate", "--format", "sarif", repo.toString()).out());
    assertEquals("2.1.0", sarif.get("version").asString());
    JsonNode run = sarif.get("runs").get(0);
    assertEquals("conduit", run.at("/tool/driver/name").asString());
    for (JsonNode result : run.get("results")) {
      String ruleId = result.get("ruleId").asString();
      assertEquals(
          ruleId,
          run.at("/tool/driver/rules/" + result.get("ruleIndex").asInt() + "/id").asString());
      JsonNode region = result.at("/locations/0/physicalLocation/region");
      if (!region.isMissingNode()) {
        assertEquals(true, region.get("startLine").asInt() >= 1);
      }
    }
  }

  @Test
  void junitIsWellFormedXmlWithOneCasePerFile() throws Exception {
    String xml = Run.conduit("validate", "--format", "junit", repo.toString()).out();
    var doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    var cases = doc.getElementsByTagName("testcase");
    var failures = doc.getElementsByTagName("failure");
    assertEquals(2, failures.getLength(), "two files have errors");
    assertEquals(true, cases.getLength() > 40, "every file is a test case");
  }
}
