package dev.conduit.template;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed template: text with references such as {@code {{input.city}}}. The compiler parses every
 * template to check its references; the runtime parses each once at load and renders it per call.
 *
 * <p>A template that is exactly one reference (spaces inside the braces allowed) is a
 * <em>whole-value</em> template: rendered as a value it keeps the referenced value's type.
 */
public record Template(String source, List<Part> parts) {

  // {{ scope.name }}: names use the alias alphabet (letters, digits, _ and -).
  private static final Pattern REFERENCE =
      Pattern.compile("\\{\\{\\s*([A-Za-z_]+)\\.([A-Za-z0-9_-]+)\\s*}}");

  public Template {
    parts = List.copyOf(parts);
  }

  /** A piece of a template. */
  public sealed interface Part {}

  /** Literal text. */
  public record Text(String text) implements Part {}

  /**
   * A reference.
   *
   * @param offset where the reference starts in the template, for diagnostics
   */
  public record Ref(Scope scope, String name, int offset) implements Part {
    @Override
    public String toString() {
      return "{{" + scope.key() + "." + name + "}}";
    }
  }

  /**
   * Parses a template.
   *
   * @throws TemplateException for an unknown scope or a "{{" that opens no reference
   */
  public static Template parse(String source) throws TemplateException {
    List<Part> parts = new ArrayList<>();
    Matcher m = REFERENCE.matcher(source);
    int at = 0;
    while (m.find()) {
      checkNoStrayBraces(source, at, m.start());
      if (m.start() > at) {
        parts.add(new Text(source.substring(at, m.start())));
      }
      Scope scope = Scope.ofKey(m.group(1));
      if (scope == null) {
        throw new TemplateException(
            m.start(),
            "unknown reference scope \""
                + m.group(1)
                + "\" in "
                + m.group()
                + ": use connection, input, auth or before");
      }
      parts.add(new Ref(scope, m.group(2), m.start()));
      at = m.end();
    }
    checkNoStrayBraces(source, at, source.length());
    if (at < source.length()) {
      parts.add(new Text(source.substring(at)));
    }
    return new Template(source, parts);
  }

  private static void checkNoStrayBraces(String source, int from, int to) throws TemplateException {
    int open = source.indexOf("{{", from);
    if (open >= 0 && open < to) {
      int close = source.indexOf("}}", open);
      String shown =
          close < 0
              ? source.substring(open, Math.min(source.length(), open + 30))
              : source.substring(open, close + 2);
      throw new TemplateException(
          open,
          "malformed reference "
              + shown
              + ": write {{connection.NAME}}, {{input.ALIAS}}, {{auth.NAME}} or {{before.NAME}}");
    }
  }

  /** The references, in order. */
  public List<Ref> references() {
    return parts.stream().filter(Ref.class::isInstance).map(Ref.class::cast).toList();
  }

  /** Whether the template is one reference and nothing else. */
  public boolean isWholeReference() {
    return parts.size() == 1 && parts.getFirst() instanceof Ref;
  }

  /** Whether the template has no references at all. */
  public boolean isLiteral() {
    return parts.stream().noneMatch(Ref.class::isInstance);
  }

  /**
   * Renders as a value: a whole-value template gives the referenced value as is (a number stays a
   * number); otherwise the text with every value inserted as text.
   */
  public Object renderValue(Function<Ref, Object> values) {
    if (isWholeReference()) {
      return values.apply((Ref) parts.getFirst());
    }
    return renderText(values, Function.identity());
  }

  /**
   * Renders as text, passing each inserted value through {@code encode} (e.g. URL encoding of a
   * path segment). Null inserts nothing; other values insert their text form.
   */
  public String renderText(Function<Ref, Object> values, Function<String, String> encode) {
    if (parts.size() == 1 && parts.getFirst() instanceof Text t) {
      return t.text();
    }
    StringBuilder out = new StringBuilder(source.length() + 32);
    for (Part part : parts) {
      switch (part) {
        case Text t -> out.append(t.text());
        case Ref r -> out.append(encode.apply(PlainText.of(values.apply(r))));
      }
    }
    return out.toString();
  }
}
