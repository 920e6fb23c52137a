package dev.conduit.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.bundle.Member;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.runtime.console.changes.ExampleRemote;
import dev.conduit.runtime.registry.LoadedOrganization;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code blocks in the API form, end to end without a server: the form filled from the repository's
 * head, rendered, posted as a browser posts it ({@link PostedForm}: a textarea's lines ended by CR
 * LF), read back into a commit on a real bare remote over file:// and checked by the compiler. An
 * edited block is the commit's new code file and nothing else; an untouched form makes no branch; a
 * syntax error is a problem beside the block's source and pushes nothing; a block added or removed
 * writes or removes its file.
 */
class CodeBlockFormsTest {

  static LoadedOrganization acme;

  @TempDir Path tmp;
  ExampleRemote example;
  ChangeBranches changes;

  @BeforeAll
  static void example() throws Exception {
    Bundle bundle = Fixtures.compile(ExampleRemote.EXAMPLE);
    Map<String, Member> members = new LinkedHashMap<>();
    bundle.members().forEach(m -> members.put(m.login(), m));
    acme =
        new LoadedOrganization(
            bundle, "acme", Instant.EPOCH, Map.of(), Map.of(), Map.of(), Map.copyOf(members));
  }

  @BeforeEach
  void remote() throws Exception {
    example = ExampleRemote.in(tmp);
    changes = new ChangeBranches(new Compiler(CodeSyntaxes.engines()), ExampleRemote.CLOCK);
  }

  private static View carol() {
    return new View(acme, "carol", "csrf");
  }

  /** The page as EditResource renders it: the served API, its blocks read at the head. */
  private record Page(String base, String html) {}

  private Page page(String connection, String api, MultivaluedMap<String, String> changed)
      throws Exception {
    Connection c = acme.bundle().connection(connection).orElseThrow();
    Api a = c.api(api).orElseThrow();
    MultivaluedMap<String, String> values = ApiForm.valuesOf(a);
    var code =
        changes.readHead(
            example.source,
            ExampleRemote.ACME,
            tree -> CodeBlockFields.valuesAt(tree, c.id(), api));
    code.value().forEach(values::putSingle);
    if (changed != null) {
      values.putAll(changed);
    }
    return new Page(
        code.commit(),
        ApiForm.html(carol(), c, a, code.commit(), "acme", values, FieldProblems.NONE));
  }

  private ChangeBranches.Proposal propose(
      String connection, String api, String base, MultivaluedMap<String, String> posted)
      throws ChangeBranches.Refused {
    var read = ApiForm.read(connection, api, base, posted);
    assertEquals(Map.of(), read.problems());
    return changes.proposeIfValid(
        example.source, ExampleRemote.ACME, "carol", "Carol", base, read.draft());
  }

  /** As a browser sends a textarea: its lines ended by CR LF. */
  private static String typed(String text) {
    return text.replace("\n", "\r\n");
  }

  @Test
  void theFormShowsEachBlocksLanguageAndSourceInALabelledMonospaceTextarea() throws Exception {
    String html = page("sms-gateway", "send-sms", null).html();
    assertTrue(html.contains("<legend>Before block (JavaScript)</legend>"), html);
    assertTrue(
        html.contains(
            "<label for=\"f-before-source\">Source (JavaScript)</label>"
                + "<textarea class=\"code\""),
        html);
    assertTrue(html.contains("value=\"code/sign-request.js\""), html);
    assertTrue(html.contains("conduit.hmacSha256(input.connection.app_secret, payload)"), html);
    assertTrue(html.contains("id=\"f-add-after-python\""), "an after block can be added");
    String python = page("sms-gateway", "delivery-report", null).html();
    assertTrue(python.contains("<legend>After block (Python)</legend>"), python);
  }

  @Test
  void anEditedBlockIsTheCommitsNewCodeFileAndNothingElse() throws Exception {
    Page page = page("sms-gateway", "send-sms", null);
    MultivaluedMap<String, String> posted = PostedForm.of(page.html());
    String source = example.file("main", "connections/sms-gateway/code/sign-request.js");
    String edited = source.replace("/^\\+86\\s*/", "/^(\\+86|0086)\\s*/");
    assertFalse(edited.equals(source));
    posted.putSingle("before.source", typed(edited));
    ChangeBranches.Proposal p = propose("sms-gateway", "send-sms", page.base(), posted);
    assertTrue(p.valid(), p.problems().toString());
    assertTrue(p.diff().contains("before block changed"), p.diff());
    assertEquals(
        edited,
        example.file(p.branch(), "connections/sms-gateway/code/sign-request.js"),
        "the file's own newlines (LF), not the browser's");
    assertEquals(
        List.of("connections/sms-gateway/code/sign-request.js"), changed("main", p.branch()));
  }

  @Test
  void anUntouchedFormWithBlocksSaysNoChanges() throws Exception {
    for (String[] api :
        List.of(
            new String[] {"sms-gateway", "send-sms"},
            new String[] {"sms-gateway", "delivery-report"},
            new String[] {"sms-gateway", "send-bulk-sms"},
            new String[] {"exchange-rates", "latest-rates"},
            new String[] {"wecom", "send-app-message"})) {
      Page page = page(api[0], api[1], null);
      MultivaluedMap<String, String> posted = PostedForm.of(page.html());
      assertTrue(posted.containsKey("before.source") || posted.containsKey("after.source"));
      var read = ApiForm.read(api[0], api[1], page.base(), posted);
      assertThrows(
          ChangeBranches.Unchanged.class,
          () ->
              changes.proposeIfValid(
                  example.source, ExampleRemote.ACME, "carol", null, page.base(), read.draft()),
          api[1]);
    }
    assertEquals(List.of("refs/heads/main"), example.branches());
  }

  @Test
  void aSyntaxErrorIsAProblemBesideItsBlockAndPushesNothing() throws Exception {
    Page js = page("sms-gateway", "send-sms", null);
    MultivaluedMap<String, String> posted = PostedForm.of(js.html());
    posted.putSingle("before.source", typed("function main(input) {\n  return {;\n}\n"));
    var read = ApiForm.read("sms-gateway", "send-sms", js.base(), posted);
    ChangeBranches.Proposal p =
        changes.proposeIfValid(
            example.source, ExampleRemote.ACME, "carol", null, js.base(), read.draft());
    assertFalse(p.valid());
    FieldProblems problems =
        FieldProblems.map(
            p.diagnostics().stream().filter(Diagnostic::isError).toList(), read.targets());
    List<String> beside = problems.forField("before.source");
    assertEquals(1, beside.size(), problems.byField() + " " + problems.unmapped());
    assertTrue(beside.getFirst().startsWith("line 2, column "), beside.getFirst());
    assertTrue(beside.getFirst().contains("JavaScript syntax error"), beside.getFirst());
    Connection c = acme.bundle().connection("sms-gateway").orElseThrow();
    String again =
        ApiForm.html(
            carol(), c, c.api("send-sms").orElseThrow(), js.base(), "acme", posted, problems);
    assertTrue(again.contains("id=\"f-before-source-error\""), again);
    assertTrue(again.contains("aria-describedby=\"f-before-source-help f-before-source-error\""));
    assertTrue(again.contains("  return {;"), "the source typed is kept");

    Page py = page("sms-gateway", "delivery-report", null);
    MultivaluedMap<String, String> postedPy = PostedForm.of(py.html());
    postedPy.putSingle("after.source", typed("def main(input):\n    return f'{input}'\n"));
    var readPy = ApiForm.read("sms-gateway", "delivery-report", py.base(), postedPy);
    ChangeBranches.Proposal q =
        changes.proposeIfValid(
            example.source, ExampleRemote.ACME, "carol", null, py.base(), readPy.draft());
    assertFalse(q.valid());
    FieldProblems pyProblems =
        FieldProblems.map(
            q.diagnostics().stream().filter(Diagnostic::isError).toList(), readPy.targets());
    assertTrue(
        String.join(" ", pyProblems.forField("after.source")).contains("Python syntax error"),
        pyProblems.byField().toString());
    assertEquals(List.of("refs/heads/main"), example.branches(), "nothing pushed");
  }

  @Test
  void aBlockAddedWritesItsFileAndOneRemovedTakesItsFileAlong() throws Exception {
    // "Add a JavaScript after block" posts the form back with the block and a main to start from
    Page page = page("sms-gateway", "send-sms", null);
    MultivaluedMap<String, String> added = PostedForm.of(page.html());
    added.putSingle("add", "after.javascript");
    Connection c = acme.bundle().connection("sms-gateway").orElseThrow();
    String withBlock =
        ApiForm.html(
            carol(),
            c,
            c.api("send-sms").orElseThrow(),
            page.base(),
            "acme",
            added,
            FieldProblems.NONE);
    MultivaluedMap<String, String> posted = PostedForm.of(withBlock);
    assertEquals("code/send-sms-after.js", posted.getFirst("after.file"));
    assertTrue(posted.getFirst("after.source").startsWith("function main(input) {"));
    // the console never runs a block: a top level that throws is only parsed
    String code =
        "throw new Error('never run by the console');\nfunction main(input) {\n"
            + "  return input.response.body;\n}\n";
    posted.putSingle("after.source", typed(code));
    ChangeBranches.Proposal p = propose("sms-gateway", "send-sms", page.base(), posted);
    assertTrue(p.valid(), p.problems().toString());
    assertTrue(p.diff().contains("after block added"), p.diff());
    assertEquals(code, example.file(p.branch(), "connections/sms-gateway/code/send-sms-after.js"));
    String api = example.file(p.branch(), "connections/sms-gateway/apis/send-sms.json");
    assertTrue(
        api.indexOf("\"request\"") < api.indexOf("\"after\"")
            && api.indexOf("\"after\"") < api.indexOf("\"outputs\""),
        "placed where the schema lists it: " + api);

    // removing delivery-report's after block removes wrap_in_array.py, which no other block uses
    Page report = page("sms-gateway", "delivery-report", null);
    MultivaluedMap<String, String> removed = PostedForm.of(report.html());
    removed.putSingle("after.remove", "true");
    ChangeBranches.Proposal q = propose("sms-gateway", "delivery-report", report.base(), removed);
    assertTrue(q.valid(), q.problems().toString());
    assertTrue(q.diff().contains("after block removed"), q.diff());
    assertNull(example.file(q.branch(), "connections/sms-gateway/code/wrap_in_array.py"));
    assertFalse(
        example
            .file(q.branch(), "connections/sms-gateway/apis/delivery-report.json")
            .contains("\"after\""));
  }

  @Test
  void aFileOutsideTheCodeFolderOrAnotherBlocksFileIsRefusedBesideTheFileField() throws Exception {
    Page page = page("sms-gateway", "send-sms", null);
    MultivaluedMap<String, String> posted = PostedForm.of(page.html());
    posted.putSingle("before.file", "../../organization.json");
    var read = ApiForm.read("sms-gateway", "send-sms", page.base(), posted);
    assertTrue(read.problems().containsKey("before.file"), read.problems().toString());

    posted.putSingle("before.file", "code/wrap_in_array.py"); // delivery-report's, other code
    var taken = ApiForm.read("sms-gateway", "send-sms", page.base(), posted);
    var refused =
        assertThrows(
            ChangeBranches.Refused.class,
            () ->
                changes.proposeIfValid(
                    example.source, ExampleRemote.ACME, "carol", null, page.base(), taken.draft()));
    assertEquals("before.file", refused.field());
    assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
    assertEquals(List.of("refs/heads/main"), example.branches());
  }

  /** The paths a branch changes from another. */
  private List<String> changed(String from, String to) throws Exception {
    try (Repository repo = Git.open(example.remote.toFile()).getRepository();
        TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(repo.parseCommit(repo.resolve(from)).getTree());
      walk.addTree(repo.parseCommit(repo.resolve(to)).getTree());
      walk.setRecursive(true);
      List<String> paths = new ArrayList<>();
      for (DiffEntry e : DiffEntry.scan(walk)) {
        paths.add(
            e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath());
      }
      return paths;
    }
  }
}
