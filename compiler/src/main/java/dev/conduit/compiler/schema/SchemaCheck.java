package dev.conduit.compiler.schema;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.diag.Suggestions;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.source.FileKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Validates a parsed file against its kind's schema and turns the validator's errors into
 * diagnostics with plain messages: "unknown property "lables" (did you mean "labels"?)".
 */
public final class SchemaCheck {

  /**
   * Returns whether the file is valid; reports every error. The schemas are loaded by the first
   * check, not when the compiler is made: a cold run starts the code engines first (they take
   * longest), and the schemas load while they start.
   */
  public boolean check(ParsedFile file, Diagnostics out) {
    SchemaSet schemas = SchemaSet.get();
    checkSchemaReference(schemas, file, out);
    List<Error> errors = schemas.schema(file.kind()).validate(file.root());
    for (Error e : errors) {
      report(file, e, out);
    }
    return errors.isEmpty();
  }

  private static void checkSchemaReference(SchemaSet schemas, ParsedFile file, Diagnostics out) {
    JsonNode declared = file.root().get("$schema");
    if (declared == null || !declared.isString()) {
      return;
    }
    String value = declared.asString();
    String expected = SchemaSet.fileName(file.kind());
    if (!value.equals(schemas.id(file.kind()))
        && !value.endsWith("/" + expected)
        && !value.equals(expected)) {
      out.at(
          file,
          "/$schema",
          Code.C007,
          "$schema is \""
              + value
              + "\", but a "
              + file.kind().schemaName()
              + " file follows "
              + expected,
          "use \"" + schemas.id(file.kind()) + "\" or a relative path to " + expected);
    }
  }

  private static void report(ParsedFile file, Error e, Diagnostics out) {
    String at = pointer(e.getInstanceLocation());
    String keyword = e.getKeyword() == null ? "" : e.getKeyword();
    switch (keyword) {
      case "additionalProperties", "unevaluatedProperties" -> {
        String name = e.getProperty();
        List<String> known = knownProperties(file.kind(), e);
        String suggestion = Suggestions.closest(name, known);
        out.at(
            file,
            at + "/" + escape(name),
            Code.C101,
            "unknown property \""
                + name
                + "\""
                + where(at)
                + (suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)"),
            known.isEmpty() ? null : "allowed here: " + String.join(", ", known));
      }
      case "required" ->
          out.at(
              file,
              at,
              Code.C102,
              "missing required property \"" + e.getProperty() + "\"" + where(at),
              null);
      case "type" ->
          out.at(
              file,
              at,
              Code.C103,
              "wrong type"
                  + where(at)
                  + ": expected "
                  + expectedType(e)
                  + ", found "
                  + describe(e.getInstanceNode()),
              null);
      case "false" -> out.at(file, at, Code.C105, notAllowed(file.kind(), at), null);
      default -> out.at(file, at, Code.C104, invalidValue(at, e), null);
    }
  }

  private static String notAllowed(FileKind kind, String at) {
    String name = at.substring(at.lastIndexOf('/') + 1);
    if (kind == FileKind.CONNECTION && (name.equals("auth") || name.equals("allowedHosts"))) {
      return "\""
          + name
          + "\" is not allowed in an installed connection: it comes from the "
          + "library entry and is read-only (remove it, or remove installedFrom to make a custom connection)";
    }
    if (kind == FileKind.CONNECTION && name.equals("enabledApis")) {
      return "\"enabledApis\" is only for connections installed from the library: "
          + "a custom connection enables its APIs in apis/*.json";
    }
    if (name.equals("fields")) {
      return "\"fields\" is only allowed when type is ObjectArray";
    }
    return "\"" + name + "\" is not allowed here";
  }

  private static String invalidValue(String at, Error e) {
    String message = e.getMessage() == null ? "invalid value" : e.getMessage();
    // The validator prefixes its own path ("$.inputs[0].type: "); ours is in the position.
    int colon = message.indexOf(": ");
    if (message.startsWith("$") && colon > 0) {
      message = message.substring(colon + 2);
    }
    return "invalid value" + where(at) + ": " + message;
  }

  private static String where(String pointer) {
    return pointer.isEmpty() ? "" : " at " + pointer;
  }

  private static List<String> knownProperties(FileKind kind, Error e) {
    // The error's schema location ends in ".../additionalProperties": its parent lists the
    // properties. Branches of if/then (auth kinds, body types) list theirs in the same place.
    NodePath fragment = e.getSchemaLocation().getFragment();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < fragment.getNameCount() - 1; i++) {
      parts.add(escape(String.valueOf(fragment.getElement(i))));
    }
    JsonNode parent =
        SchemaSet.get().document(kind).at(parts.isEmpty() ? "" : "/" + String.join("/", parts));
    List<String> names = new ArrayList<>();
    parent.path("properties").propertyNames().forEach(names::add);
    names.remove("$schema");
    names.sort(Comparator.naturalOrder());
    return names;
  }

  private static String expectedType(Error e) {
    JsonNode type = e.getSchemaNode();
    if (type != null && type.isArray()) {
      List<String> names = new ArrayList<>();
      type.forEach(t -> names.add(t.asString()));
      return String.join(" or ", names);
    }
    return type == null ? "another type" : type.asString();
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isString()) {
      return "a string";
    }
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isArray()) {
      return "an array";
    }
    return "an object";
  }

  /** Turns the validator's path into a JSON pointer. */
  static String pointer(NodePath path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      sb.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    return sb.toString();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
