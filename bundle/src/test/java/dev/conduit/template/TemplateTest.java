package dev.conduit.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TemplateTest {

  static final Map<String, Object> VALUES =
      Map.of(
          "input.count",
          new BigDecimal("3"),
          "input.tags",
          List.of("a", "b"),
          "input.items",
          List.of(Map.of("sku", "A-1")),
          "input.city",
          "São Paulo & Rio",
          "connection.base",
          "https://api.example.com",
          "auth.access_token",
          "tok");

  static final Function<Template.Ref, Object> LOOKUP =
      r -> VALUES.get(r.scope().key() + "." + r.name());

  @Test
  void aWholeValueReferenceKeepsItsType() throws Exception {
    assertEquals(new BigDecimal("3"), Template.parse("{{input.count}}").renderValue(LOOKUP));
    assertEquals(List.of("a", "b"), Template.parse("{{ input.tags }}").renderValue(LOOKUP));
    assertEquals(
        List.of(Map.of("sku", "A-1")), Template.parse("{{input.items}}").renderValue(LOOKUP));
  }

  @Test
  void insideTextAReferenceIsText() throws Exception {
    assertEquals(
        "3 items: a,b",
        Template.parse("{{input.count}} items: {{input.tags}}").renderValue(LOOKUP));
    assertEquals("[{\"sku\":\"A-1\"}]!", Template.parse("{{input.items}}!").renderValue(LOOKUP));
  }

  @Test
  void anEncoderAppliesToInsertedValuesOnly() throws Exception {
    Template t = Template.parse("{{connection.base}}/cities/{{input.city}}");
    String url = t.renderText(LOOKUP, v -> URLEncoder.encode(v, StandardCharsets.UTF_8));
    assertEquals("https%3A%2F%2Fapi.example.com/cities/S%C3%A3o+Paulo+%26+Rio", url);
  }

  @Test
  void referencesAreListedWithScopesAndOffsets() throws Exception {
    Template t = Template.parse("Bearer {{auth.access_token}}");
    assertEquals(1, t.references().size());
    assertEquals(Scope.AUTH, t.references().getFirst().scope());
    assertEquals(7, t.references().getFirst().offset());
    assertFalse(t.isWholeReference());
    assertTrue(Template.parse("plain").isLiteral());
  }

  @Test
  void malformedReferencesAreRefusedWithWhere() {
    TemplateException e =
        assertThrows(TemplateException.class, () -> Template.parse("x {{input city}} y"));
    assertEquals(2, e.offset());
    assertTrue(e.getMessage().contains("malformed reference {{input city}}"), e.getMessage());
    TemplateException scope =
        assertThrows(TemplateException.class, () -> Template.parse("{{env.HOME}}"));
    assertTrue(scope.getMessage().contains("unknown reference scope \"env\""), scope.getMessage());
    assertThrows(TemplateException.class, () -> Template.parse("{{input.x"));
  }

  @Test
  void plainTextOfNumbersHasNoNoise() {
    assertEquals("10", PlainText.of(new BigDecimal("10.00")));
    assertEquals("0.5", PlainText.of(new BigDecimal("0.50")));
    assertEquals("7", PlainText.of(7.0));
    assertEquals("", PlainText.of(null));
  }
}
