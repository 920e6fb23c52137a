package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.conduit.compiler.model.ApiFile;
import dev.conduit.compiler.model.ApplicationFile;
import dev.conduit.compiler.model.ConnectionFile;
import dev.conduit.compiler.model.GrantsFile;
import dev.conduit.compiler.model.LibraryFile;
import dev.conduit.compiler.model.MembersFile;
import dev.conduit.compiler.model.OrganizationFile;
import dev.conduit.compiler.model.ThirdPartyAppFile;
import dev.conduit.compiler.schema.SchemaSet;
import dev.conduit.compiler.source.FileKind;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the schemas and the file model from drifting apart: every record component is a schema
 * property and every schema property a record component (recursively), and every property has a
 * description (editors show it).
 */
class SchemaDriftTest {

  static final Map<FileKind, Class<?>> MODEL =
      Map.of(
          FileKind.ORGANIZATION, OrganizationFile.class,
          FileKind.MEMBERS, MembersFile.class,
          FileKind.CONNECTION, ConnectionFile.class,
          FileKind.GRANTS, GrantsFile.class,
          FileKind.API, ApiFile.class,
          FileKind.APPLICATION, ApplicationFile.class,
          FileKind.THIRD_PARTY_APP, ThirdPartyAppFile.class,
          FileKind.LIBRARY, LibraryFile.class);

  @Test
  void everyRecordMatchesItsSchema() {
    List<String> problems = new ArrayList<>();
    MODEL.forEach(
        (kind, type) -> {
          JsonNode doc = SchemaSet.get().document(kind);
          compare(doc, doc, type, kind.schemaName(), problems);
        });
    assertEquals(List.of(), problems);
  }

  @Test
  void everyPropertyHasADescription() {
    List<String> missing = new ArrayList<>();
    for (FileKind kind : MODEL.keySet()) {
      walk(SchemaSet.get().document(kind), kind.schemaName(), missing);
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void everySchemaHasAStableIdAndExamples() {
    for (FileKind kind : MODEL.keySet()) {
      JsonNode doc = SchemaSet.get().document(kind);
      assertEquals(
          "https://conduit.dev/schemas/v1/" + kind.schemaName() + ".schema.json",
          doc.get("$id").asString());
      assertEquals("https://json-schema.org/draft/2020-12/schema", doc.get("$schema").asString());
      assertTrue(doc.has("examples") && !doc.get("examples").isEmpty(), kind + " has examples");
      for (JsonNode example : doc.get("examples")) {
        assertEquals(
            List.of(),
            SchemaSet.get().schema(kind).validate(example).stream().map(Object::toString).toList(),
            kind + " example validates");
      }
    }
  }

  private static void walk(JsonNode node, String where, List<String> missing) {
    if (node.isObject()) {
      JsonNode props = node.get("properties");
      if (props != null && props.isObject()) {
        props
            .properties()
            .forEach(
                e -> {
                  JsonNode p = e.getValue();
                  // boolean schemas (false: "not allowed here") and bare $refs need no description
                  if (p.isObject() && !p.has("description") && !p.has("$ref")) {
                    missing.add(where + "/" + e.getKey());
                  }
                });
      }
      node.properties().stream()
          .filter(e -> !e.getKey().equals("if")) // "if" only tests values; it defines nothing
          .forEach(e -> walk(e.getValue(), where + "/" + e.getKey(), missing));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), where + "/" + i, missing);
      }
    }
  }

  private static void compare(
      JsonNode doc, JsonNode schema, Class<?> type, String where, List<String> problems) {
    compare(doc, schema, type, where, problems, new java.util.HashSet<>());
  }

  private static void compare(
      JsonNode doc,
      JsonNode schema,
      Class<?> type,
      String where,
      List<String> problems,
      Set<String> seen) {
    JsonNode s = resolve(doc, schema);
    if (!seen.add(type.getName() + "@" + System.identityHashCode(s))) {
      return; // recursive types (object-array fields) are compared once
    }
    Set<String> schemaProps = new TreeSet<>();
    s.path("properties").propertyNames().forEach(schemaProps::add);
    schemaProps.remove("$schema");
    Set<String> recordProps = new TreeSet<>();
    for (RecordComponent rc : type.getRecordComponents()) {
      JsonProperty named = rc.getAccessor().getAnnotation(JsonProperty.class);
      String name = named != null ? named.value() : rc.getName();
      // An object array's sub-elements reuse the input record, whose "fields" the sub-element
      // schema forbids (no nesting): the schema is the stricter side, which is what we want.
      if (nestedRecord(rc.getGenericType()) == type && !s.path("properties").has(name)) {
        continue;
      }
      recordProps.add(name);
      JsonNode prop = s.path("properties").path(name);
      Class<?> nested = nestedRecord(rc.getGenericType());
      if (nested != null && !prop.isMissingNode()) {
        JsonNode p = resolve(doc, prop);
        compare(
            doc, p.has("items") ? p.get("items") : p, nested, where + "." + name, problems, seen);
      }
    }
    if (!schemaProps.equals(recordProps)) {
      problems.add(
          where
              + ": schema "
              + schemaProps
              + " vs record "
              + type.getSimpleName()
              + " "
              + recordProps);
    }
  }

  private static JsonNode resolve(JsonNode doc, JsonNode schema) {
    JsonNode s = schema;
    while (s.has("$ref")) {
      s = doc.at(s.get("$ref").asString().substring(1));
    }
    return s;
  }

  private static Class<?> nestedRecord(Type t) {
    if (t instanceof Class<?> c) {
      return c.isRecord() ? c : null;
    }
    if (t instanceof ParameterizedType p
        && p.getActualTypeArguments().length == 1
        && p.getActualTypeArguments()[0] instanceof Class<?> c
        && c.isRecord()) {
      return c;
    }
    return null;
  }
}
