package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Connection;
import dev.conduit.compiler.source.FileKind;
import dev.conduit.runtime.console.changes.BaseTree;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.runtime.console.changes.CodeBlockDraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The API form's code blocks (docs/code-blocks.md): a before and an after block, each its file
 * under the connection's folder (the extension is the language), its time limit and its source in a
 * monospace textarea. The bundle carries a block's source with its shared files appended, so the
 * form reads the files themselves at the repository's head ({@link #valuesAt}). "Add a ... block"
 * posts the form back with the block and a {@code main} to start from; "Remove this block" leaves
 * it out (its file goes when no other block uses it). Proposing never runs a block: the compiler
 * parses it, and its problems (a syntax error at its line and column) come back beside its source.
 *
 * <p>Field names, for a slot {@code S} ({@code before}, {@code after}): {@code S.present} (hidden:
 * the form shows the block), {@code S.file}, {@code S.timeoutMs}, {@code S.source}, {@code
 * S.remove}, {@code S.shared} (shown and kept as the file has them); {@code code.form} marks a form
 * that carries its blocks: one made without them leaves the file's blocks as they are.
 */
final class CodeBlockFields {
  private CodeBlockFields() {}

  static final List<String> SLOTS = List.of("before", "after");
  static final String MARK = "code.form";
  static final List<String> LANGUAGES = List.of("javascript", "python");

  /** The form's values of an API's blocks, read from the repository (none for a new API). */
  static Map<String, String> valuesAt(BaseTree tree, String connectionId, String apiId)
      throws ChangeBranches.Refused {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MARK, "true");
    var api =
        apiId == null
            ? java.util.Optional.<tools.jackson.databind.node.ObjectNode>empty()
            : tree.json("connections/" + connectionId + "/apis/" + apiId + ".json");
    if (api.isEmpty()) {
      return m;
    }
    for (String slot : SLOTS) {
      JsonNode block = api.get().path(slot);
      if (!block.hasNonNull("file")) {
        continue;
      }
      String file = block.get("file").asString("");
      m.put(slot + ".present", "true");
      m.put(slot + ".file", file);
      m.put(slot + ".timeoutMs", block.has("timeoutMs") ? block.get("timeoutMs").toString() : "");
      List<String> shared = new ArrayList<>();
      block.path("shared").forEach(s -> shared.add(s.asString("")));
      m.put(slot + ".shared", String.join(", ", shared));
      m.put(
          slot + ".source",
          file.contains("..")
              ? ""
              : tree.text("connections/" + connectionId + "/" + file).orElse(""));
    }
    return m;
  }

  /**
   * The blocks as posted, by slot (null when the form did not carry them), with the places their
   * fields land and the form's own problems (a file name outside the connection's code/ folder).
   */
  static Map<String, CodeBlockDraft> read(
      Fields.Values v,
      String connectionId,
      String apiFile,
      List<FieldProblems.Target> t,
      Map<String, List<String>> problems) {
    if (!v.checked(MARK)) {
      return null;
    }
    Map<String, CodeBlockDraft> blocks = new LinkedHashMap<>();
    for (String slot : SLOTS) {
      String p = slot + ".";
      t.add(new FieldProblems.Target(apiFile, "/" + slot, p + "file"));
      t.add(new FieldProblems.Target(apiFile, "/" + slot + "/file", p + "file"));
      t.add(new FieldProblems.Target(apiFile, "/" + slot + "/shared", p + "file"));
      t.add(new FieldProblems.Target(apiFile, "/" + slot + "/timeoutMs", p + "timeoutMs"));
      if (!v.checked(p + "present") || v.checked(p + "remove")) {
        continue;
      }
      String file = v.get(p + "file").strip();
      String path = "connections/" + connectionId + "/" + file;
      if (FileKind.of(path) != FileKind.CODE) {
        problems
            .computeIfAbsent(p + "file", k -> new ArrayList<>())
            .add(
                "a file in the connection's code/ folder ending in .js (JavaScript) or .py"
                    + " (Python), e.g. code/sign-request.js");
      } else {
        t.add(FieldProblems.Target.wholeFile(path, p + "source"));
      }
      String timeout = v.get(p + "timeoutMs").strip();
      blocks.put(
          slot,
          new CodeBlockDraft(
              file,
              timeout.isEmpty() ? null : ConnectionForm.integerOrText(timeout),
              v.get(p + "source")));
    }
    return blocks;
  }

  static void labels(Map<String, String> l) {
    for (String slot : SLOTS) {
      String what = title(slot);
      l.put(slot + ".file", what + " file");
      l.put(slot + ".timeoutMs", what + " time limit");
      l.put(slot + ".source", what + " source");
    }
  }

  /**
   * The blocks' fieldset; nothing when the form's values do not carry them (they are kept as they
   * are).
   */
  static String html(Fields.Values f, FieldProblems problems, Connection c, Api existing) {
    if (!f.checked(MARK)) {
      return "";
    }
    StringBuilder b =
        new StringBuilder("<fieldset id=\"code-blocks\"><legend>Code blocks</legend>")
            .append(Frame.hidden(MARK, "true"))
            .append(
                "<p class=\"sub\">A before block turns the inputs and the connection's parameters"
                    + " into values for the request (<code>{{before.NAME}}</code>); an after block"
                    + " turns the response into what the outputs read. Each defines"
                    + " <code>main(input)</code>, in JavaScript (<code>.js</code>) or Python 2.7"
                    + " (<code>.py</code>, Jython). The compiler checks the code before anything is"
                    + " pushed: it parses it, it never runs it.</p>");
    String add = f.form().getFirst("add");
    for (String slot : SLOTS) {
      String p = slot + ".";
      String adding = LANGUAGES.stream().filter(l -> (p + l).equals(add)).findFirst().orElse(null);
      if (!f.checked(p + "present") && adding == null) {
        b.append("<p class=\"sub\">No ").append(slot).append(" block.</p>");
        for (String language : LANGUAGES) {
          b.append(
              Fields.addRow(
                  p + language, "Add a " + languageName(language) + " " + slot + " block"));
        }
        continue;
      }
      String file = f.get(p + "file");
      String source = f.get(p + "source");
      if (adding != null && file.isBlank()) {
        file =
            "code/" + apiName(f, existing) + "-" + slot + (adding.equals("python") ? ".py" : ".js");
        source = starter(slot, adding);
      }
      String language = languageName(FileKind.languageOf(file));
      b.append("<fieldset id=\"code-")
          .append(slot)
          .append("\"><legend>")
          .append(esc(title(slot) + " (" + language + ")"))
          .append("</legend>")
          .append(Frame.hidden(p + "present", "true"))
          .append(
              Fields.text(
                  p + "file",
                  "File",
                  file,
                  "Under the connection's folder: .js is JavaScript, .py is Python 2.7."
                      + usedBy(c, existing, file),
                  problems.forField(p + "file")));
      String shared = f.get(p + "shared");
      if (!shared.isBlank()) {
        b.append(Frame.hidden(p + "shared", shared))
            .append("<p class=\"sub\">Shared files, appended after the block (kept as they are): ")
            .append(esc(shared))
            .append("</p>");
      }
      b.append(
              Fields.text(
                  p + "timeoutMs",
                  "Time limit (ms)",
                  f.get(p + "timeoutMs"),
                  "10 to 30000; empty: 2000.",
                  problems.forField(p + "timeoutMs")))
          .append(
              Fields.code(
                  p + "source",
                  "Source (" + language + ")",
                  source,
                  "Tab moves to the next field: indent with spaces.",
                  problems.forField(p + "source")))
          .append(
              Fields.checkbox(
                  p + "remove",
                  "Remove this block (its file too, unless another block uses it)",
                  f,
                  problems))
          .append("</fieldset>");
    }
    return b.append("</fieldset>").toString();
  }

  private static String title(String slot) {
    return slot.equals("before") ? "Before block" : "After block";
  }

  private static String languageName(String language) {
    return language.equals("python") ? "Python" : "JavaScript";
  }

  /** The API's id for a new block's file name: the one edited, or the one typed for a new API. */
  private static String apiName(Fields.Values f, Api existing) {
    if (existing != null) {
      return existing.id();
    }
    String typed = f.get("id").strip();
    return ConnectionForm.ID.matcher(typed).matches() ? typed : "api";
  }

  /** A main to start from: what the block receives, and a result of the expected shape. */
  private static String starter(String slot, String language) {
    boolean before = slot.equals("before");
    if (language.equals("python")) {
      return "def main(input):\n"
          + (before
              ? "    # input['input']: the inputs by alias; input['connection']: the parameters\n"
                  + "    return {}\n"
              : "    # input['response']: status, headers, body; input['input'], input['before']\n"
                  + "    return input['response']['body']\n");
    }
    return "function main(input) {\n"
        + (before
            ? "  // input.input: the inputs by alias; input.connection: the parameters\n"
                + "  return {};\n"
            : "  // input.response: status, headers, body; input.input, input.before\n"
                + "  return input.response.body;\n")
        + "}\n";
  }

  /** The other APIs of the connection whose blocks run this file: a change is theirs too. */
  private static String usedBy(Connection c, Api existing, String file) {
    String path = "connections/" + c.id() + "/" + file;
    List<String> others =
        c.apis().stream()
            .filter(a -> existing == null || !a.id().equals(existing.id()))
            .filter(
                a ->
                    Stream.of(a.before(), a.after())
                        .filter(Objects::nonNull)
                        .anyMatch(b -> b.file().equals(path)))
            .map(Api::id)
            .toList();
    return others.isEmpty() ? "" : " Also the code of: " + String.join(", ", others) + ".";
  }
}
