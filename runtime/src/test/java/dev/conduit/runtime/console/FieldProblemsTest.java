package dev.conduit.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one mapping from a compiler diagnostic (file + JSON pointer) to an edit form's field. */
class FieldProblemsTest {

  static final String API = "connections/demo/apis/create-order.json";

  static final List<FieldProblems.Target> TARGETS =
      List.of(
          new FieldProblems.Target(API, "/name", "name"),
          new FieldProblems.Target(API, "/inputs", "inputs"),
          new FieldProblems.Target(API, "/inputs/1", "in.1.alias"),
          new FieldProblems.Target(API, "/inputs/1/type", "in.1.type"),
          new FieldProblems.Target(API, "/inputs/1/fields/0/alias", "in.1.f.0.alias"),
          new FieldProblems.Target(API, "/request/body", "request.body"),
          new FieldProblems.Target(API, "/outputs/0/path", "out.2.path"));

  static Diagnostic at(String file, String pointer, Code code, String message) {
    return new Diagnostic(code, Severity.ERROR, file, 3, 5, pointer, message, null);
  }

  @Test
  void eachDiagnosticGoesToTheFieldWithTheLongestPointerAboveIt() {
    FieldProblems p =
        FieldProblems.map(
            List.of(
                at(API, "/inputs/1/fields/0/alias", Code.C104, "invalid alias"),
                at(API, "/inputs/1/type", Code.C104, "not a type"),
                at(API, "/inputs/1/description", Code.C103, "wrong type"),
                at(API, "/request/body/json/customer", Code.C104, "unknown input"),
                at(
                    API,
                    "/outputs/0",
                    Code.C102,
                    "missing required property \"path\" at /outputs/0")),
            TARGETS);
    assertEquals(List.of("invalid alias"), p.forField("in.1.f.0.alias"));
    assertEquals(List.of("not a type"), p.forField("in.1.type"));
    assertEquals(List.of("wrong type"), p.forField("in.1.alias"), "the row's own field");
    assertEquals(List.of("unknown input"), p.forField("request.body"), "inside the body's JSON");
    assertEquals(
        List.of("missing required property \"path\" at /outputs/0"),
        p.forField("out.2.path"),
        "a missing property belongs to the field that would hold it (its form row may differ)");
    assertTrue(p.unmapped().isEmpty(), p.unmapped().toString());
  }

  @Test
  void segmentsAreWholeAndWhatNoFieldClaimsGoesToTheSummary() {
    Diagnostic tenth = at(API, "/inputs/10/alias", Code.C104, "tenth");
    Diagnostic root = at(API, "", Code.C105, "the whole file");
    Diagnostic elsewhere = at("connections/demo/connection.json", "/name", Code.C104, "other file");
    FieldProblems p = FieldProblems.map(List.of(tenth, root, elsewhere), TARGETS);
    assertEquals(List.of("tenth"), p.forField("inputs"), "/inputs/10 is not under /inputs/1");
    assertEquals(List.of(root, elsewhere), p.unmapped());
    String summary = p.summary(Map.of("inputs", "Inputs"));
    assertTrue(summary.contains("3 problems: nothing was committed"), summary);
    assertTrue(summary.contains("<a href=\"#f-inputs\">Inputs</a>: tenth"), summary);
    assertTrue(
        summary.contains("<code>connections/demo/connection.json:3:5</code>"), "file and place");
  }

  @Test
  void aHintFollowsTheMessageAndNothingIsEscapedTwiceOrNotAtAll() {
    var d =
        new Diagnostic(Code.C101, Severity.ERROR, API, 1, 1, "/name", "bad <name>", "use \"x\"");
    FieldProblems p = FieldProblems.map(List.of(d), TARGETS);
    assertEquals(List.of("bad <name> (use \"x\")"), p.forField("name"));
    assertTrue(p.summary(Map.of()).contains("bad &lt;name&gt;"), p.summary(Map.of()));
  }

  @Test
  void aCodeFileIsOneFieldThatTakesItsProblemsWithTheirLineAndColumn() {
    String code = "connections/demo/code/sign.js";
    var targets = new java.util.ArrayList<>(TARGETS);
    targets.add(FieldProblems.Target.wholeFile(code, "before.source"));
    Diagnostic syntax =
        new Diagnostic(Code.C216, Severity.ERROR, code, 2, 11, null, "syntax", null);
    Diagnostic other =
        new Diagnostic(
            Code.C216, Severity.ERROR, "connections/demo/code/x.js", 1, 1, null, "x", null);
    FieldProblems p = FieldProblems.map(List.of(syntax, other), targets);
    assertEquals(List.of("line 2, column 11: syntax"), p.forField("before.source"));
    assertEquals(List.of(other), p.unmapped(), "another code file is not that field's");
  }
}
