package dev.conduit.runtime.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Api.Input;
import dev.conduit.bundle.Api.InputType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every input type and rule of the product, as a caller sees them: values in, problems out. */
class InputValidatorTest {

  static Input in(String alias, InputType type, boolean required) {
    return new Input(alias, alias.toUpperCase(), null, type, required, null, List.of());
  }

  static Input withDefault(String alias, InputType type, Object dflt) {
    return new Input(alias, alias.toUpperCase(), null, type, false, dflt, List.of());
  }

  static Input objects(String alias, boolean required, Input... fields) {
    return new Input(
        alias, alias.toUpperCase(), null, InputType.ObjectArray, required, null, List.of(fields));
  }

  static Map<String, Object> given(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Map<String, Object> valid(List<Input> inputs, Map<String, Object> given) {
    InputValidator.Result r = InputValidator.validate(inputs, given);
    assertTrue(r.ok(), () -> "expected valid, got " + r.problems());
    return r.values();
  }

  /** The problems as "path: message" lines, in order. */
  static List<String> problems(List<Input> inputs, Map<String, Object> given) {
    InputValidator.Result r = InputValidator.validate(inputs, given);
    assertFalse(r.ok(), "expected problems");
    return r.problems().stream().map(d -> d.path() + ": " + d.message()).toList();
  }

  static List<String> paths(List<Input> inputs, Map<String, Object> given) {
    return InputValidator.validate(inputs, given).problems().stream()
        .map(Outcome.Detail::path)
        .toList();
  }

  @Nested
  class Types {

    @Test
    void textTakesStringsAndTurnsNumbersAndBooleansIntoText() {
      List<Input> ins =
          List.of(
              in("a", InputType.Text, false),
              in("b", InputType.Text, false),
              in("c", InputType.Text, false));
      assertEquals(
          Map.of("a", "hello", "b", "12.5", "c", "true"),
          valid(ins, given("a", "hello", "b", new BigDecimal("12.50"), "c", true)));
      assertEquals(
          List.of("a: must be text, not an object", "b: must be text, not an array"),
          problems(ins, given("a", Map.of("x", 1), "b", List.of("x"))));
    }

    @Test
    void numberTakesJsonNumbersAndNumericText() {
      List<Input> ins =
          List.of(
              in("n", InputType.Number, false),
              in("m", InputType.Number, false),
              in("k", InputType.Number, false));
      assertEquals(
          Map.of(
              "n", new BigDecimal("3"), "m", new BigDecimal("-12.75"), "k", new BigDecimal("1E+3")),
          valid(ins, given("n", 3, "m", " -12.75 ", "k", "1e3")));
      assertEquals(
          List.of(
              "n: must be a number", "m: must be a number, not a boolean", "k: must be a number"),
          problems(ins, given("n", "twelve", "m", true, "k", "12abc")));
    }

    @Test
    void aNumberWhoseTextWouldBeEnormousIsRefused() {
      // 1e999999999 is 11 characters of JSON but a billion digits as text: a memory bomb
      List<Input> ins =
          List.of(
              in("n", InputType.Number, false),
              in("t", InputType.Text, false),
              in("a", InputType.Array, false));
      List<String> p =
          problems(
              ins,
              given(
                  "n",
                  new BigDecimal("1e999999999"),
                  "t",
                  new BigDecimal("1e-999999999"),
                  "a",
                  List.of(new BigDecimal("9e99999"))));
      assertEquals(
          List.of("n", "t", "a[0]"), p.stream().map(s -> s.substring(0, s.indexOf(':'))).toList());
      assertEquals(
          Map.of("n", new BigDecimal("1E+300")), valid(ins, given("n", new BigDecimal("1e300"))));
    }

    @Test
    void dateTimeIsIso8601DateOrDateTimeWithOrWithoutOffset() {
      for (String ok :
          List.of(
              "2026-11-23",
              "2026-11-23T09:30",
              "2026-11-23T09:30:00",
              "2026-11-23T09:30:00.123",
              "2026-11-23T09:30:00Z",
              "2026-11-23T09:30:00+08:00")) {
        assertEquals(
            Map.of("d", ok), valid(List.of(in("d", InputType.DateTime, true)), given("d", ok)), ok);
      }
      for (Object bad :
          List.of("23/11/2026", "2026-13-01", "2026-11-23 09:30:00", "yesterday", 1700000000000L)) {
        assertEquals(
            List.of("d"),
            paths(List.of(in("d", InputType.DateTime, true)), given("d", bad)),
            String.valueOf(bad));
      }
    }

    @Test
    void membersAndDepartmentsAreListsOfIdsAndOneIdIsAListOfOne() {
      List<Input> ins =
          List.of(in("who", InputType.Members, false), in("dept", InputType.Department, false));
      assertEquals(
          Map.of("who", List.of("u-1", "u-2"), "dept", List.of("d-9")),
          valid(ins, given("who", List.of("u-1", " u-2 "), "dept", "d-9")));
      assertEquals(
          List.of(
              "who[1]: must be a member id (non-empty text of at most 128 characters)",
              "dept[0]: must be a department id (non-empty text of at most 128 characters)"),
          problems(ins, given("who", List.of("u-1", ""), "dept", List.of(42))));
    }

    @Test
    void attachmentsAreArraysOfHttpUrls() {
      List<Input> ins = List.of(in("files", InputType.Attachment, true));
      assertEquals(
          Map.of("files", List.of("https://f.example/a.pdf", "http://f.example/b.png")),
          valid(ins, given("files", List.of("https://f.example/a.pdf", "http://f.example/b.png"))));
      assertEquals(
          Map.of("files", List.of("https://f.example/a.pdf")),
          valid(ins, given("files", "https://f.example/a.pdf")));
      assertEquals(
          List.of("files[0]", "files[1]", "files[2]"),
          paths(
              ins,
              given(
                  "files",
                  List.of("ftp://f.example/a", "not a url", Map.of("url", "https://x.example")))));
    }

    @Test
    void arraysHoldScalarsOnly() {
      List<Input> ins = List.of(in("tags", InputType.Array, true));
      assertEquals(
          Map.of("tags", List.of("a", 1, true)), valid(ins, given("tags", List.of("a", 1, true))));
      assertEquals(
          List.of("tags[1]: must be text, a number or a boolean, not an object"),
          problems(ins, given("tags", List.of("a", Map.of("k", 1)))));
      assertEquals(List.of("tags"), paths(ins, given("tags", "a")));
    }

    @Test
    void objectArrayElementsAreKeyedBySubElementAliases() {
      List<Input> ins =
          List.of(
              objects(
                  "items",
                  true,
                  in("sku", InputType.Text, true),
                  in("qty", InputType.Number, false)));
      assertEquals(
          Map.of(
              "items", List.of(Map.of("sku", "A", "qty", new BigDecimal("2")), Map.of("sku", "B"))),
          valid(ins, given("items", List.of(Map.of("sku", "A", "qty", "2"), Map.of("sku", "B")))));
      assertEquals(
          List.of(
              "items[0]: must be an object keyed by sub-element aliases [sku, qty]",
              "items[1].colour: unknown sub-element: use the aliases [sku, qty]"),
          problems(ins, given("items", List.of("A", Map.of("sku", "B", "colour", "red")))));
      assertEquals(List.of("items"), paths(ins, given("items", Map.of("sku", "A"))));
    }
  }

  @Nested
  class RequiredAndDefaults {

    @Test
    void requiredValuesCannotBeNullBlankOrEmpty() {
      List<Input> ins =
          List.of(
              in("a", InputType.Text, true),
              in("b", InputType.Text, true),
              in("c", InputType.Array, true),
              in("d", InputType.Number, true),
              in("e", InputType.Members, true));
      Map<String, Object> g = new HashMap<>();
      g.put("a", null);
      g.put("b", "  ");
      g.put("c", List.of());
      assertEquals(
          List.of(
              "a: A is required",
              "b: B is required",
              "c: C is required",
              "d: D is required",
              "e: E is required"),
          problems(ins, g));
    }

    @Test
    void defaultsFillEmptyOptionalValuesIncludingSubElements() {
      List<Input> ins =
          List.of(
              withDefault("n", InputType.Number, 5),
              withDefault("t", InputType.Text, "x"),
              in("none", InputType.Text, false),
              objects(
                  "items",
                  false,
                  in("sku", InputType.Text, true),
                  withDefault("note", InputType.Text, "n/a")));
      assertEquals(
          Map.of(
              "n",
              new BigDecimal("5"),
              "t",
              "x",
              "items",
              List.of(Map.of("sku", "A", "note", "n/a"))),
          valid(ins, given("t", "", "items", List.of(Map.of("sku", "A")))));
      assertEquals(
          Map.of("n", new BigDecimal("7"), "t", "given"), valid(ins, given("n", 7, "t", "given")));
    }

    @Test
    void anObjectArrayDefaultIsNormalizedLikeAPassedValue() {
      Input items =
          new Input(
              "items",
              "Items",
              null,
              InputType.ObjectArray,
              false,
              List.of(Map.of("sku", "D")),
              List.of(in("sku", InputType.Text, true), withDefault("qty", InputType.Number, 1)));
      assertEquals(
          Map.of("items", List.of(Map.of("sku", "D", "qty", new BigDecimal("1")))),
          valid(List.of(items), given()));
    }

    @Test
    void unknownInputsAreReported() {
      assertEquals(
          List.of("colour: unknown input: this API's inputs are [a]"),
          problems(List.of(in("a", InputType.Text, false)), given("a", "x", "colour", "red")));
    }
  }

  /** The product's four object-array rules, one test each. */
  @Nested
  class ObjectArrayRules {

    final Input sku = in("sku", InputType.Text, true);
    final Input note = in("note", InputType.Text, false);

    @Test
    void rule1ARequiredObjectArrayMustBePassed() {
      assertEquals(
          List.of("items: ITEMS is required"),
          problems(List.of(objects("items", true, note)), given()));
    }

    @Test
    void rule2ARequiredObjectArrayWithoutRequiredSubElementsMayBeEmpty() {
      assertEquals(
          Map.of("items", List.of()),
          valid(List.of(objects("items", true, note)), given("items", List.of())));
    }

    @Test
    void rule3ARequiredObjectArrayWithRequiredSubElementsHasThemChecked() {
      List<Input> ins = List.of(objects("items", true, sku, note));
      assertEquals(
          List.of("items: ITEMS needs at least one element: its sub-elements [sku] are required"),
          problems(ins, given("items", List.of())));
      assertEquals(
          List.of("items[1].sku: SKU is required"),
          problems(ins, given("items", List.of(Map.of("sku", "A"), Map.of("note", "no sku")))));
    }

    @Test
    void rule4AnOptionalObjectArrayIsCheckedOnlyWhenPassed() {
      List<Input> ins = List.of(objects("items", false, sku));
      assertEquals(Map.of(), valid(ins, given()));
      assertEquals(Map.of("items", List.of()), valid(ins, given("items", List.of())));
      assertEquals(
          List.of("items[0].sku: SKU is required"),
          problems(ins, given("items", List.of(Map.of()))));
    }
  }

  @Test
  void everyInvalidFieldIsListedNotJustTheFirst() {
    List<Input> ins =
        List.of(
            in("name", InputType.Text, true),
            in("count", InputType.Number, true),
            in("when", InputType.DateTime, false),
            in("files", InputType.Attachment, false),
            objects(
                "items", true, in("sku", InputType.Text, true), in("qty", InputType.Number, true)));
    List<String> paths =
        paths(
            ins,
            given(
                "count",
                "many",
                "when",
                "soon",
                "files",
                List.of("https://ok.example/a", "x"),
                "items",
                List.of(
                    Map.of("sku", "A", "qty", 1),
                    Map.of("qty", 2),
                    Map.of("sku", "C", "qty", "three")),
                "extra",
                1));
    assertEquals(
        List.of("name", "count", "when", "files[1]", "items[1].sku", "items[2].qty", "extra"),
        paths);
  }

  @Nested
  class HostilePayloads {

    @Test
    void deepNestingIsRefusedWithItsPath() {
      Object deep = "bottom";
      for (int i = 0; i < 40; i++) {
        deep = List.of(deep);
      }
      List<String> p = problems(List.of(in("tags", InputType.Array, false)), given("tags", deep));
      assertEquals(1, p.size());
      assertTrue(p.getFirst().startsWith("tags[0]"), p.getFirst());
      assertTrue(p.getFirst().contains("nested deeper than 32 levels"), p.getFirst());
    }

    @Test
    void tooManyValuesAreRefused() {
      List<Object> many = new ArrayList<>();
      for (int i = 0; i < InputValidator.MAX_VALUES + 1; i++) {
        many.add(i);
      }
      assertEquals(
          List.of("(body): more than 10000 values in the inputs: they are not checked further"),
          problems(List.of(in("tags", InputType.Array, false)), given("tags", many)));
    }
  }
}
