package dev.conduit.compiler.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit library submit: the seed's submission guidelines as errors, values stripped. */
class SubmitCommandTest {

  @TempDir Path temp;

  @Test
  void guidelinesNotMetWriteNothingAndAMetSubmissionCompiles() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run missing = Run.conduit("library", "submit", "openweather", repo.toString());
    assertEquals(1, missing.exit());
    assertTrue(
        missing.err().contains("no logo")
            && missing.err().contains("official website is missing")
            && missing.err().contains("integration overview is missing")
            && missing.err().contains("warning: no contact"),
        missing.err());
    assertFalse(
        Files.exists(repo.resolve("library/openweather")),
        "nothing written while an error remains");

    Run ok =
        Run.conduit(
            "library",
            "submit",
            "jira",
            repo.toString(),
            "--website",
            "https://www.atlassian.com/software/jira",
            "--overview",
            "Create an API token at id.atlassian.com, seal it, enable the APIs you need.",
            "--contact",
            "integrations@acme.example",
            "--publisher",
            "alice");
    assertEquals(0, ok.exit(), ok.err());
    String template = Files.readString(repo.resolve("library/jira/connection.json"));
    assertFalse(
        template.contains("\"sealed\"") || template.contains("\"value\""),
        "values are stripped: " + template);
    assertTrue(Files.isRegularFile(repo.resolve("library/jira/logo.svg")));
    Run validate = Run.conduit("validate", repo.toString());
    assertFalse(
        validate.out().contains("library/jira/") && validate.out().contains("error["),
        validate.out());
  }
}
