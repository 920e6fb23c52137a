package dev.conduit.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.TestRepos;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** The command line as a contract: exit statuses with their output, help on every command. */
class CliTest {

  static final String EXAMPLE = TestRepos.EXAMPLE.toString();
  static final String GRANTS_WITH_GHOST =
      "{\"applications\": [{\"application\": \"demo-app\"},\n  {\"application\": \"ghost\"}]}\n";

  @TempDir Path temp;

  @Test
  void validateACleanRepositoryExitsZero() {
    Run run = Run.conduit("validate", EXAMPLE);
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().startsWith("ok: "), run.out());
  }

  @Test
  void validateABrokenRepositoryExitsOneAndPointsAtTheProblem() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Files.writeString(repo.resolve("connections/demo/grants.json"), GRANTS_WITH_GHOST);
    Run run = Run.conduit("validate", "--color=never", repo.toString());
    assertEquals(1, run.exit());
    assertTrue(
        run.out()
            .contains("connections/demo/grants.json:2:4: error[C210]: no application \"ghost\""),
        run.out());
    assertTrue(run.out().contains("2 |   {\"application\": \"ghost\"}]}"), run.out());
    assertTrue(run.out().contains("  |    ^"), run.out());
    assertFalse(run.out().contains("Exception"), "no stack trace for users");
  }

  @Test
  void aRepositoryReachedThroughALinkIsValidatedWhole() throws Exception {
    Path link =
        Files.createSymbolicLink(temp.resolve("linked"), TestRepos.EXAMPLE.toAbsolutePath());
    Run direct = Run.conduit("validate", EXAMPLE);
    Run linked = Run.conduit("validate", link.toString());
    assertEquals(0, linked.exit(), linked.out());
    assertEquals(direct.out(), linked.out(), "the same files, the same report");
  }

  /**
   * A checkout of someone's pull request is hostile input: a link in it may name a file of the
   * machine that builds it. That file is refused by name and never read into the report or a
   * bundle; a link to a file inside the repository still reads as that file.
   */
  @Test
  void aLinkToAFileOutsideTheRepositoryIsRefusedAndNeverRead() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path token =
        Files.writeString(
            temp.resolve("ci-token.js"), "function main(i) { return 'CI-TOKEN-4711'; }\n");
    Path code = repo.resolve("connections/exchange-rates/code/restructure-rates.js");
    Files.delete(code);
    Files.createSymbolicLink(code, token);
    Path bundle = temp.resolve("leak.bundle.json");
    Run run = Run.conduit("compile", "--color=never", repo.toString(), "-o", bundle.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(
        (run.out() + run.err())
            .contains(
                "connections/exchange-rates/code/restructure-rates.js: error[C001]: cannot read the"
                    + " file: it is a link to a file outside the repository"),
        run.out() + run.err());
    assertFalse((run.out() + run.err()).contains("CI-TOKEN"), run.out() + run.err());
    assertFalse(Files.exists(bundle), "no bundle");

    Path inside = repo.resolve("rates.js.txt");
    Files.copy(
        TestRepos.EXAMPLE.resolve("connections/exchange-rates/code/restructure-rates.js"), inside);
    Files.delete(code);
    Files.createSymbolicLink(code, Path.of("../../../rates.js.txt"));
    Run linked = Run.conduit("compile", repo.toString(), "-o", bundle.toString());
    assertEquals(0, linked.exit(), "a link inside the repository is read: " + linked.out());
  }

  /** A JSON bomb of nesting: refused by name where it is, no stack overflow, the rest checked. */
  @Test
  void aFileNestedHundredsOfThousandsDeepIsAClearError() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Files.writeString(
        repo.resolve("connections/demo/apis/deep.json"), "[".repeat(200_000) + "]".repeat(200_000));
    Run run = Run.conduit("validate", "--color=never", repo.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(
        run.out()
            .contains(
                "connections/demo/apis/deep.json: error[C002]: invalid JSON: it nests deeper than"
                    + " 500 levels"),
        run.out());
    assertFalse((run.out() + run.err()).contains("Exception"), run.out() + run.err());
    assertFalse((run.out() + run.err()).contains("StackOverflow"), run.out() + run.err());
  }

  @Test
  void aMissingDirectoryIsBadUsage() {
    Run run = Run.conduit("validate", temp.resolve("nope").toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a directory"), run.err());
  }

  @Test
  void anUnknownOptionIsBadUsage() {
    Run run = Run.conduit("validate", "--frobnicate", EXAMPLE);
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("Unknown option"), run.err());
  }

  @Test
  void anUnknownFormatIsBadUsage() {
    assertEquals(2, Run.conduit("validate", "--format", "yaml", EXAMPLE).exit());
  }

  /**
   * Every command of the tree picocli builds, at any depth, answers --help with its usage and exit
   * 0: a command whose options clash with the standard ones (picocli then drops -h/--help) or that
   * demands its parameters first would fail here, whichever command it is.
   */
  @Test
  void everyCommandHasHelp() {
    List<String> paths = new ArrayList<>();
    commands(CommandTree.full(CommandLine.defaultFactory()), "", paths);
    assertTrue(paths.size() > 25, "the whole tree: " + paths);
    for (String path : paths) {
      List<String> args = new ArrayList<>(List.of(path.split(" ")));
      args.removeIf(String::isEmpty);
      args.add("--help");
      Run run = Run.conduit(args.toArray(String[]::new));
      assertEquals(0, run.exit(), "conduit " + path + " --help: " + run.err());
      assertTrue(run.out().contains(("Usage: conduit " + path).strip()), path + ":\n" + run.out());
      assertTrue(run.out().contains("--help"), path + ": the option is listed\n" + run.out());
    }
  }

  /**
   * A run builds only the commands its arguments name (picocli's model of each costs start-up
   * time), and where they name none, the whole branch, so help and suggestions still see all.
   */
  @Test
  void aRunBuildsOnlyTheCommandsItNames() {
    CommandLine search =
        CommandTree.forArguments(
            CommandLine.defaultFactory(), new String[] {"library", "search", "wecom"});
    assertEquals(List.of("library"), List.copyOf(search.getSubcommands().keySet()));
    assertEquals(
        List.of("search"),
        List.copyOf(search.getSubcommands().get("library").getSubcommands().keySet()));

    CommandLine group =
        CommandTree.forArguments(CommandLine.defaultFactory(), new String[] {"library", "--help"});
    assertEquals(8, group.getSubcommands().get("library").getSubcommands().size());

    Run typo = Run.conduit("library", "serch", "wecom");
    assertEquals(2, typo.exit());
    assertTrue(typo.err().contains("search"), "did you mean, from the whole branch: " + typo.err());
    Run help = Run.conduit("help", "library");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().contains("Usage: conduit library"), help.out());
    assertTrue(help.out().contains("search"), "its subcommands listed: " + help.out());
  }

  private static void commands(CommandLine command, String path, List<String> into) {
    into.add(path);
    command
        .getSubcommands()
        .forEach((name, sub) -> commands(sub, (path + " " + name).strip(), into));
  }

  @Test
  void jsonFormatListsDiagnosticsWithTheirPositions() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Files.writeString(repo.resolve("connections/demo/grants.json"), GRANTS_WITH_GHOST);
    Run run = Run.conduit("validate", "--format", "json", repo.toString());
    assertEquals(1, run.exit());
    JsonNode d = TestRepos.mapper().readTree(run.out()).get("diagnostics").get(0);
    assertEquals("C210", d.get("code").asString());
    assertEquals("error", d.get("severity").asString());
    assertEquals("connections/demo/grants.json", d.get("file").asString());
    assertEquals(2, d.get("line").asInt());
    assertEquals(4, d.get("column").asInt());
    assertEquals("/applications/1/application", d.get("pointer").asString());
  }

  @Test
  void validateAndCompilePrintTheRedirectUriOfEachAuthorizationCodeConnection() {
    Run validate = Run.conduit("validate", EXAMPLE);
    assertEquals(0, validate.exit(), validate.out() + validate.err());
    assertTrue(
        validate
            .err()
            .contains(
                "demo-github: register the redirect URI "
                    + "{conduit.public-url}/api/v1/connections/demo-github/oauth2/callback at the provider"),
        validate.err());
    assertTrue(validate.err().contains("github: register the redirect URI"), validate.err());
    assertFalse(
        validate.err().contains("wecom: register"),
        "client-credentials connections have no redirect URI");
    assertFalse(validate.out().contains("redirect URI"), "stdout stays the report");

    Run compile =
        Run.conduit(
            "compile",
            EXAMPLE,
            "--runtime-url",
            "https://conduit.example.com/",
            "-o",
            temp.resolve("b.json").toString());
    assertEquals(0, compile.exit(), compile.err());
    assertTrue(
        compile
            .err()
            .contains(
                "demo-github: register the redirect URI "
                    + "https://conduit.example.com/api/v1/connections/demo-github/oauth2/callback at the provider"),
        compile.err());
  }

  @Test
  void compileWritesAVerifiableBundleAndNothingOnErrors() throws Exception {
    Path out = temp.resolve("out/acme.bundle.json");
    Run run = Run.conduit("compile", EXAMPLE, "-o", out.toString());
    assertEquals(0, run.exit(), run.err());
    Bundle bundle;
    try (InputStream in = Files.newInputStream(out)) {
      bundle = BundleCodec.read(in);
    }
    assertEquals("f0dc6a74-854a-46cb-ab8c-909b7846d34c", bundle.organization().id());
    assertEquals(9, bundle.connections().size());

    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Files.writeString(repo.resolve("members.json"), "{");
    Path broken = temp.resolve("broken.bundle.json");
    Run failed = Run.conduit("compile", repo.toString(), "-o", broken.toString());
    assertEquals(1, failed.exit());
    assertFalse(Files.exists(broken), "no bundle is written when there are errors");
  }

  @Test
  void warningsAsErrorsTurnsWarningsIntoExitOne() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    TestRepos.apply(
        repo,
        TestRepos.mapper()
            .readTree(
                "{\"file\":\"connections/exchange-rates/connection.json\",\"pointer\":\"/parameters/-\",\"value\":{\"name\":\"unused\",\"value\":1}}"));
    assertEquals(0, Run.conduit("validate", repo.toString()).exit());
    assertEquals(1, Run.conduit("validate", "--warnings-as-errors", repo.toString()).exit());
  }
}
