package dev.conduit.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Member;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.console.changes.ApiDraft;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.runtime.console.changes.ConnectionDraft;
import dev.conduit.runtime.console.changes.ExampleRemote;
import dev.conduit.runtime.console.changes.TreeChange;
import dev.conduit.runtime.gitops.GitSettings;
import dev.conduit.runtime.registry.LoadedOrganization;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edit forms end to end without a server: the form's values (as the page starts from the served
 * bundle, then as a person changes them) read back into a change, committed on a real bare remote
 * over file://, checked by the compiler; a valid change is pushed with the expected diff, an
 * invalid one is not, and its problems land beside the fields that caused them with the values
 * kept.
 */
class EditFormsTest {

  static final String ACME = ExampleRemote.ACME;
  static final Path EXAMPLE = ExampleRemote.EXAMPLE;
  static LoadedOrganization acme;

  @TempDir Path tmp;
  ExampleRemote example;
  Path remote;
  GitSettings.Source source;
  ChangeBranches changes;

  @BeforeAll
  static void example() throws Exception {
    Bundle bundle = Fixtures.compile(EXAMPLE);
    Map<String, Member> members = new LinkedHashMap<>();
    bundle.members().forEach(m -> members.put(m.login(), m));
    acme =
        new LoadedOrganization(
            bundle, "acme", Instant.EPOCH, Map.of(), Map.of(), Map.of(), Map.copyOf(members));
  }

  @BeforeEach
  void remote() throws Exception {
    example = ExampleRemote.in(tmp);
    remote = example.remote;
    source = example.source;
    changes = new ChangeBranches(new Compiler(CodeSyntaxes.engines()), ExampleRemote.CLOCK);
  }

  private static View alice() {
    return new View(acme, "alice", "csrf");
  }

  private String file(String branch, String path) throws Exception {
    return example.file(branch, path);
  }

  @Test
  void theServedConnectionAndApiReadBackUnchangedSoAnUntouchedFormMakesNoBranch() throws Exception {
    String base = changes.head(source);
    var demo = acme.bundle().connection("demo").orElseThrow();
    var read = ConnectionForm.read(demo, base, ConnectionForm.valuesOf(demo), "alice");
    assertEquals(Map.of(), read.problems());
    var same =
        assertThrows(
            ChangeBranches.Refused.class, () -> propose(ACME, "alice", null, read.draft()));
    assertTrue(same.getMessage().contains("nothing was changed"), same.getMessage());
    var api = demo.api("create-order").orElseThrow();
    var apiRead = ApiForm.read("demo", "create-order", base, ApiForm.valuesOf(api));
    var unchanged =
        assertThrows(
            ChangeBranches.Refused.class, () -> propose(ACME, "alice", null, apiRead.draft()));
    assertTrue(unchanged.getMessage().contains("nothing was changed"), unchanged.getMessage());
  }

  /**
   * Every connection and API of the example, its form rendered and posted as a browser would
   * without a change: each says "nothing was changed" and no branch is made (a value that does not
   * survive the round trip through the page would make a branch, or a 502).
   */
  @Test
  void everyEditFormPostedUntouchedSaysNoChangesAndMakesNoBranch() throws Exception {
    String base = changes.head(source);
    int forms = 0;
    for (var c : acme.bundle().connections()) {
      // as EditResource fills them: what the bundle does not carry is read at the head
      MultivaluedMap<String, String> values = ConnectionForm.valuesOf(c);
      changes
          .readHead(source, ACME, tree -> tree.json("connections/" + c.id() + "/connection.json"))
          .value()
          .ifPresent(json -> ConnectionForm.parameterTexts(values, json));
      String page = ConnectionForm.html(alice(), c, base, "acme", values, FieldProblems.NONE);
      var read = ConnectionForm.read(c, base, PostedForm.of(page), "alice");
      assertEquals(Map.of(), read.problems(), c.id());
      assertUnchanged(c.id(), read.draft());
      forms++;
      if (c.installedFrom() != null) {
        continue; // its APIs are the library entry's: no API form
      }
      for (var api : c.apis()) {
        MultivaluedMap<String, String> apiValues = ApiForm.valuesOf(api);
        changes
            .readHead(source, ACME, tree -> CodeBlockFields.valuesAt(tree, c.id(), api.id()))
            .value()
            .forEach(apiValues::putSingle);
        String apiPage = ApiForm.html(alice(), c, api, base, "acme", apiValues, FieldProblems.NONE);
        var apiRead = ApiForm.read(c.id(), api.id(), base, PostedForm.of(apiPage));
        assertEquals(Map.of(), apiRead.problems(), c.id() + "/" + api.id());
        assertUnchanged(c.id() + "/" + api.id(), apiRead.draft());
        forms++;
      }
    }
    assertTrue(forms > 20, forms + " forms");
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(1, repo.getRefDatabase().getRefsByPrefix("refs/heads/").size(), "only main");
    }
  }

  private void assertUnchanged(String what, TreeChange draft) throws Exception {
    try {
      ChangeBranches.Proposal p = propose(ACME, "alice", null, draft);
      List<String> files =
          draft instanceof ApiDraft a
              ? List.of(a.file())
              : List.of(
                  ((ConnectionDraft) draft).connectionFile(),
                  ((ConnectionDraft) draft).grantsFile());
      StringBuilder b = new StringBuilder(what + " posted untouched made " + p.branch() + ":");
      for (String f : files) {
        b.append("\n").append(f).append(" was:\n").append(file("main", f));
        b.append("\nand is:\n").append(file(p.branch(), f));
      }
      throw new AssertionError(b.toString());
    } catch (ChangeBranches.Unchanged expected) {
      assertTrue(expected.getMessage().contains("nothing was changed"), expected.getMessage());
    }
  }

  @Test
  void aParametersLabelAndDescriptionEditedAreTheOnlyChangeOfTheConnectionFile() throws Exception {
    String base = changes.head(source);
    var demo = acme.bundle().connection("demo").orElseThrow();
    MultivaluedMap<String, String> values = ConnectionForm.valuesOf(demo);
    String before = file("main", "connections/demo/connection.json");
    var mapper = dev.conduit.compiler.cli.JsonFileEdit.mapper();
    ConnectionForm.parameterTexts(values, mapper.readTree(before));
    String page = ConnectionForm.html(alice(), demo, base, "acme", values, FieldProblems.NONE);
    assertTrue(page.contains("value=\"Client ID\""), "the file's label is in the form");
    var posted = PostedForm.of(page);
    assertEquals("base_url", posted.getFirst("param.0.name"));
    posted.putSingle("param.0.label", "Gateway URL");
    posted.putSingle("param.0.description", "The gateway's address,\r\nwithout a trailing slash");
    posted.putSingle("param.1.label", "");
    var read = ConnectionForm.read(demo, base, posted, "alice");
    assertEquals(Map.of(), read.problems());
    ChangeBranches.Proposal p = propose(ACME, "alice", null, read.draft());
    assertTrue(p.valid(), p.problems().toString());
    String after = file(p.branch(), "connections/demo/connection.json");
    assertTrue(after.contains("\"label\": \"Gateway URL\""), after);
    assertTrue(
        after.contains("\"description\": \"The gateway's address,\\nwithout a trailing slash\""),
        after);
    var expected = (tools.jackson.databind.node.ObjectNode) mapper.readTree(before);
    var params = (tools.jackson.databind.node.ArrayNode) expected.get("parameters");
    ((tools.jackson.databind.node.ObjectNode) params.get(0))
        .put("label", "Gateway URL")
        .put("description", "The gateway's address,\nwithout a trailing slash");
    ((tools.jackson.databind.node.ObjectNode) params.get(1)).remove("label");
    assertEquals(expected, mapper.readTree(after), "nothing else of the file changed");
  }

  @Test
  void anObjectArrayOutputsFieldsAreEditedInTheFormAndNothingElseChanges() throws Exception {
    String base = changes.head(source);
    var demo = acme.bundle().connection("demo").orElseThrow();
    var api = demo.api("get-weather").orElseThrow();
    String page =
        ApiForm.html(alice(), demo, api, base, "acme", ApiForm.valuesOf(api), FieldProblems.NONE);
    assertTrue(page.contains("id=\"f-add-out-3\""), "Add a field to output 4");
    var posted = PostedForm.of(page);
    assertEquals("high", posted.getFirst("out.3.f.1.alias"));
    posted.putSingle("out.3.f.1.name", "Highest");
    posted.putSingle("out.3.f.2.alias", ""); // low removed
    posted.putSingle("out.3.f.2.name", "");
    posted.putSingle("add", "out.3"); // a row more, then typed into
    String more = ApiForm.html(alice(), demo, api, base, "acme", posted, FieldProblems.NONE);
    var again = PostedForm.of(more);
    assertEquals("4", again.getFirst("rows.out.3"));
    again.putSingle("out.3.f.3.alias", "rain");
    again.putSingle("out.3.f.3.name", "Rain");
    again.putSingle("out.3.f.3.path", "$.rain_mm");
    again.putSingle("out.3.f.3.type", "Number");
    var read = ApiForm.read("demo", "get-weather", base, again);
    assertEquals(Map.of(), read.problems());
    ChangeBranches.Proposal p = propose(ACME, "alice", null, read.draft());
    assertTrue(p.valid(), p.problems().toString());
    var mapper = dev.conduit.compiler.cli.JsonFileEdit.mapper();
    var expected =
        (tools.jackson.databind.node.ObjectNode)
            mapper.readTree(file("main", "connections/demo/apis/get-weather.json"));
    var fields =
        (tools.jackson.databind.node.ArrayNode) expected.get("outputs").get(3).get("fields");
    ((tools.jackson.databind.node.ObjectNode) fields.get(1)).put("name", "Highest");
    fields.remove(2);
    fields
        .addObject()
        .put("alias", "rain")
        .put("name", "Rain")
        .put("path", "$.rain_mm")
        .put("type", "Number");
    assertEquals(
        expected, mapper.readTree(file(p.branch(), "connections/demo/apis/get-weather.json")));
  }

  @Test
  void anApiEditedInItsFormBecomesABranchWithTheExpectedDiff() throws Exception {
    String base = changes.head(source);
    var api = acme.bundle().connection("demo").orElseThrow().api("create-order").orElseThrow();
    MultivaluedMap<String, String> form = ApiForm.valuesOf(api);
    form.putSingle("in.1.f.2.required", "true"); // items[].note now required
    form.putSingle("rows.out", "4"); // a fourth output, typed into the empty row
    form.putSingle("out.3.alias", "currency");
    form.putSingle("out.3.name", "Currency");
    form.putSingle("out.3.path", "$.currency");
    form.putSingle("out.3.type", "Text");
    form.putSingle("request.timeoutSeconds", "8");
    var read = ApiForm.read("demo", "create-order", base, form);
    ChangeBranches.Proposal p = propose(ACME, "alice", "Alice", read.draft());
    assertTrue(p.valid(), p.problems().toString());
    assertTrue(p.diff().contains("create-order"), p.diff());
    String after = file(p.branch(), "connections/demo/apis/create-order.json");
    assertTrue(after.contains("\"alias\": \"currency\""), after);
    assertTrue(after.contains("\"timeoutSeconds\": 8"), after);
    assertTrue(after.contains("\"icon\": \"cart\""), "what the form does not show is kept");
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(base, repo.resolve("refs/heads/main").name(), "main untouched");
    }
  }

  @Test
  void anInvalidApiFormIsNotPushedAndShowsEachProblemBesideItsFieldWithTheValuesKept()
      throws Exception {
    String base = changes.head(source);
    var api = acme.bundle().connection("demo").orElseThrow().api("create-order").orElseThrow();
    MultivaluedMap<String, String> form = ApiForm.valuesOf(api);
    form.putSingle("in.1.f.0.alias", "bad alias!");
    form.putSingle("request.timeoutSeconds", "soon");
    form.putSingle("out.1.path", "");
    var read = ApiForm.read("demo", "create-order", base, form);
    ChangeBranches.Proposal p = propose(ACME, "alice", null, read.draft());
    assertFalse(p.valid());
    List<Diagnostic> errors = p.diagnostics().stream().filter(Diagnostic::isError).toList();
    FieldProblems problems = FieldProblems.map(errors, read.targets());
    assertFalse(problems.forField("in.1.f.0.alias").isEmpty(), problems.byField().toString());
    assertFalse(
        problems.forField("request.timeoutSeconds").isEmpty(), problems.byField().toString());
    assertFalse(problems.forField("out.1.path").isEmpty(), problems.byField().toString());
    String page =
        ApiForm.html(
            alice(),
            acme.bundle().connection("demo").orElseThrow(),
            api,
            base,
            "acme",
            form,
            problems);
    assertTrue(
        page.contains(
            "id=\"f-in-1-f-0-alias\" name=\"in.1.f.0.alias\" aria-describedby=\"f-in-1-f-0-alias-error\" aria-invalid=\"true\" value=\"bad alias!\""),
        page);
    assertTrue(page.contains("id=\"f-out-1-path-error\""), page);
    assertTrue(page.contains("id=\"form-problems\""), page);

    // past the schema, the compiler's checks: a template naming no parameter, beside the URL
    MultivaluedMap<String, String> second = ApiForm.valuesOf(api);
    second.putSingle("request.url", "{{connection.nowhere}}/orders");
    var again = ApiForm.read("demo", "create-order", base, second);
    ChangeBranches.Proposal q = propose(ACME, "alice", null, again.draft());
    assertFalse(q.valid());
    FieldProblems urlProblems =
        FieldProblems.map(
            q.diagnostics().stream().filter(Diagnostic::isError).toList(), again.targets());
    assertFalse(urlProblems.forField("request.url").isEmpty(), urlProblems.byField().toString());
    assertTrue(urlProblems.unmapped().isEmpty(), urlProblems.unmapped().toString());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(1, repo.getRefDatabase().getRefsByPrefix("refs/heads/").size(), "only main");
    }
  }

  @Test
  void aJsonFieldThatDoesNotParseIsToldBeforeAnythingIsCommitted() {
    var api = acme.bundle().connection("demo").orElseThrow().api("create-order").orElseThrow();
    MultivaluedMap<String, String> form = ApiForm.valuesOf(api);
    form.putSingle("request.headers", "{\"Authorization\": ");
    var read = ApiForm.read("demo", "create-order", "base", form);
    assertTrue(read.problems().get("request.headers").getFirst().startsWith("not JSON"));
  }

  @Test
  void aNewConnectionWithASecretIsSealedAndGranted() throws Exception {
    String base = changes.head(source);
    MultivaluedMap<String, String> form = ConnectionForm.valuesOfNew("alice");
    form.putSingle("id", "billing");
    form.putSingle("name", "Billing");
    form.putSingle("auth.kind", "basic");
    form.putSingle("basic.username", "{{connection.user}}");
    form.putSingle("basic.password", "{{connection.password}}");
    form.putSingle("rows.param", "2");
    form.putSingle("param.0.name", "user");
    form.putSingle("param.0.value", "acme");
    form.putSingle("param.1.name", "password");
    form.putSingle("param.1.hidden", "true");
    form.putSingle("param.1.secret", "b1ll1ng-pw");
    form.add("grant", "demo-app");
    var read = ConnectionForm.read(null, base, form, "alice");
    ChangeBranches.Proposal p = propose(ACME, "alice", null, read.draft());
    assertTrue(p.valid(), p.problems().toString());
    String connection = file(p.branch(), "connections/billing/connection.json");
    assertTrue(connection.contains("sealed:v2:" + ACME + "/billing/password:"), connection);
    assertFalse(connection.contains("b1ll1ng-pw"), "never in plaintext");
    assertTrue(file(p.branch(), "connections/billing/grants.json").contains("demo-app"));
    assertTrue(p.diff().contains("billing"), p.diff());
  }

  @Test
  void anIdThatIsNotOneIsRefusedBesideTheField() {
    MultivaluedMap<String, String> form = ConnectionForm.valuesOfNew("alice");
    form.putSingle("id", "../organization");
    var read = ConnectionForm.read(null, "base", form, "alice");
    assertTrue(read.problems().containsKey("id"), "no path out of connections/");
  }

  private ChangeBranches.Proposal propose(String org, String login, String name, TreeChange d)
      throws ChangeBranches.Refused {
    String base = d instanceof ConnectionDraft c ? c.baseCommit() : ((ApiDraft) d).baseCommit();
    return changes.proposeIfValid(source, org, login, name, base, d);
  }
}
