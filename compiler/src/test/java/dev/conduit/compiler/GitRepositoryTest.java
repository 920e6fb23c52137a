package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.cli.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real Git repository on disk (JGit): two commits of the example organization, the second one a
 * typical pull request. The compiler reads commits without a checkout, and diff tells what the pull
 * request changes and what it breaks.
 */
class GitRepositoryTest {

  @TempDir static Path dir;
  static RevCommit base;
  static RevCommit head;

  @BeforeAll
  static void twoCommits() throws Exception {
    Path work = TestRepos.copyExample(dir.resolve("org"));
    PersonIdent who = new PersonIdent("Alice", "alice@acme.example");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      base = git.commit().setMessage("Acme integrations").setAuthor(who).setCommitter(who).call();
      String[] pullRequest = {
        // a required input: breaks callers that do not send it
        "{\"file\":\"connections/demo/apis/get-weather.json\",\"pointer\":\"/inputs/1/required\",\"value\":true}",
        // an output removed: breaks what reads it
        "{\"file\":\"connections/demo/apis/get-weather.json\",\"pointer\":\"/outputs/2\",\"remove\":true}",
        // a used API disabled
        "{\"file\":\"connections/tianyancha/connection.json\",\"pointer\":\"/enabledApis\",\"value\":[\"company-basic-info\"]}",
        "{\"file\":\"applications/sales-crm.json\",\"pointer\":\"/uses/1\",\"remove\":true}",
        // a secret rotated (its sealed value changes)
        "{\"file\":\"connections/wecom/connection.json\",\"pointer\":\"/parameters/1/sealed\",\"value\":\"sealed:v1:AQC4IhpVchanged\"}",
        // a grant added
        "{\"file\":\"connections/openweather/grants.json\",\"pointer\":\"/applications/-\",\"value\":{\"application\":\"sales-crm\"}}",
      };
      for (String e : pullRequest) {
        TestRepos.apply(work, TestRepos.mapper().readTree(e));
      }
      git.add().addFilepattern(".").call();
      head =
          git.commit().setMessage("Weather units required").setAuthor(who).setCommitter(who).call();
    }
  }

  @Test
  void compilesAnOlderCommitWithoutCheckingItOut() throws Exception {
    Path out = dir.resolve("base.bundle.json");
    Run run =
        Run.conduit(
            "compile",
            "--git",
            dir.resolve("org").toString(),
            "--ref",
            "HEAD~1",
            "-o",
            out.toString());
    assertEquals(0, run.exit(), run.err());
    try (InputStream in = Files.newInputStream(out)) {
      Bundle bundle = BundleCodec.read(in);
      assertEquals(base.getName(), bundle.source().commit());
      assertFalse(
          bundle
              .connection("demo")
              .orElseThrow()
              .api("get-weather")
              .orElseThrow()
              .inputs()
              .get(1)
              .required());
    }
  }

  @Test
  void validatesTheHeadFromGit() {
    Run run = Run.conduit("validate", "--git", dir.resolve("org").toString(), "--ref", "main");
    assertEquals(1, run.exit(), "the rotated value was not sealed to the organization's key");
    assertTrue(
        run.out().contains("connections/wecom/connection.json:")
            && run.out().contains("error[C221]"),
        run.out());
  }

  @Test
  void anUnknownRefIsBadUsage() {
    Run run =
        Run.conduit("validate", "--git", dir.resolve("org").toString(), "--ref", "no-such-branch");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("no commit \"no-such-branch\""), run.err());
  }

  @Test
  void diffTellsWhatThePullRequestChangesAndBreaks() {
    Run run =
        Run.conduit(
            "diff", "--git", dir.resolve("org").toString(), "--base", "HEAD~1", "--head", "HEAD");
    assertEquals(0, run.exit(), run.err());
    String md = run.out();
    assertTrue(md.contains("### ⚠️ Breaking changes"), md);
    assertTrue(
        md.contains(
            "API `demo/get-weather`**: input units made required; output observed_at removed"),
        md);
    assertTrue(md.contains("used by demo-app: workflow \"Try Conduit\""), md);
    assertTrue(md.contains("`tianyancha/search-companies`**: disabled"), md);
    assertTrue(md.contains("parameter corpsecret: sealed value changed"), md);
    assertFalse(md.contains("AQC4IhpVchanged"), "sealed values never show as ciphertext");
    assertTrue(md.contains("➕ added `openweather -> sales-crm`"), md);
  }

  @Test
  void diffAsJsonAndFailOnBreaking() throws Exception {
    Run run =
        Run.conduit(
            "diff",
            "--git",
            dir.resolve("org").toString(),
            "--base",
            base.getName(),
            "--format",
            "json",
            "--fail-on-breaking");
    assertEquals(1, run.exit(), run.err());
    JsonNode doc = TestRepos.mapper().readTree(run.out());
    assertEquals(base.getName(), doc.get("base").asString());
    assertEquals(head.getName(), doc.get("head").asString());
    assertEquals(2, doc.get("breaking").asInt());
  }
}
