package dev.conduit.compiler.check;

import dev.conduit.bundle.Api.InputType;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.diag.Suggestions;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.template.Scope;
import dev.conduit.template.Template;
import dev.conduit.template.TemplateException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one template where it stands: it parses, every reference names something, and each
 * reference may stand there (auth settings see only connection parameters; inputs cannot choose a
 * token endpoint; arrays inserted into text are flagged).
 */
final class TemplateCheck {

  /** Where a template stands decides what it may reference. */
  enum Site {
    /** Auth settings and token requests: connection parameters only. */
    AUTH(EnumSet.of(Scope.CONNECTION), "auth settings"),
    /** An API request: everything. */
    REQUEST(EnumSet.allOf(Scope.class), "an API request");

    final Set<Scope> allowed;
    final String description;

    Site(Set<Scope> allowed, String description) {
      this.allowed = allowed;
      this.description = description;
    }
  }

  private TemplateCheck() {}

  /**
   * @param wholeValueOk whether a whole-value reference keeps its type here (JSON bodies, query
   *     values); elsewhere (headers, URL, raw bodies) every value becomes text
   * @return the parsed template, or empty when it does not parse
   */
  static Optional<Template> check(
      ParsedFile file,
      String pointer,
      String text,
      Site site,
      Names names,
      boolean wholeValueOk,
      Diagnostics out) {
    Template t;
    try {
      t = Template.parse(text);
    } catch (TemplateException e) {
      out.at(file, pointer, Code.C206, e.getMessage(), null);
      return Optional.empty();
    }
    for (Template.Ref ref : t.references()) {
      if (!site.allowed.contains(ref.scope())) {
        out.at(
            file,
            pointer,
            Code.C205,
            ref
                + " cannot be used in "
                + site.description
                + ": only "
                + site.allowed.stream().map(s -> "{{" + s.key() + ".*}}").toList()
                + " can",
            site == Site.AUTH
                ? "auth is shared by every call of the connection, so it cannot depend on a call's inputs"
                : null);
        continue;
      }
      resolves(file, pointer, ref, names, out);
      if (ref.scope() == Scope.INPUT && !(wholeValueOk && t.isWholeReference())) {
        InputType type = names.inputs().get(ref.name());
        if (type == InputType.ObjectArray) {
          out.at(
              file,
              pointer,
              Code.C207,
              ref + " is an object array inserted into text; it will be written as JSON text",
              "use it as the whole value of a JSON body field to keep it an array");
        }
      }
    }
    return Optional.of(t);
  }

  private static void resolves(
      ParsedFile file, String pointer, Template.Ref ref, Names names, Diagnostics out) {
    switch (ref.scope()) {
      case CONNECTION -> {
        if (!names.parameters().containsKey(ref.name())) {
          unresolved(
              file,
              pointer,
              ref,
              "the connection has no parameter \"" + ref.name() + "\"",
              names.parameters().keySet(),
              out);
        }
      }
      case INPUT -> {
        if (!names.inputs().containsKey(ref.name())) {
          unresolved(
              file,
              pointer,
              ref,
              "the API has no input with alias \"" + ref.name() + "\"",
              names.inputs().keySet(),
              out);
        }
      }
      case AUTH -> {
        if (!names.authValues().contains(ref.name())) {
          String offered =
              names.authValues().isEmpty()
                  ? "it offers none"
                  : "it offers "
                      + names.authValues().stream()
                          .map(v -> "{{auth." + v + "}}")
                          .sorted()
                          .toList();
          out.at(
              file,
              pointer,
              Code.C204,
              ref
                  + " names nothing: the connection's auth ("
                  + names.authType()
                  + ") has no value \""
                  + ref.name()
                  + "\"; "
                  + offered,
              null);
        }
      }
      case BEFORE -> {
        if (!names.hasBefore()) {
          out.at(
              file,
              pointer,
              Code.C204,
              ref + " names nothing: the API has no before code block",
              "add \"before\": {\"file\": \"code/....js\"} returning an object with \""
                  + ref.name()
                  + "\"");
        }
      }
    }
  }

  private static void unresolved(
      ParsedFile file,
      String pointer,
      Template.Ref ref,
      String why,
      Set<String> known,
      Diagnostics out) {
    String suggestion = Suggestions.closest(ref.name(), known);
    out.at(
        file,
        pointer,
        Code.C204,
        ref
            + " names nothing: "
            + why
            + (suggestion == null
                ? ""
                : " (did you mean {{" + ref.scope().key() + "." + suggestion + "}}?)"),
        null);
  }
}
