package dev.conduit.compiler.check;

import dev.conduit.bundle.Api.InputType;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.model.ApiFile;
import dev.conduit.compiler.model.ApiFile.InputEntry;
import dev.conduit.compiler.model.ApiFile.OutputEntry;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.source.FileKind;
import dev.conduit.template.Scope;
import dev.conduit.template.SecretReferences;
import dev.conduit.template.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks one API file: ids, inputs (aliases, defaults, object arrays), every template of the
 * request, code blocks, outputs, and that secrets in the request stay on allowed hosts.
 */
final class ApiChecks {

  private final Context ctx;
  private final Folder folder;
  private final ParsedFile file;
  private final ApiFile api;
  private final Names connectionNames;
  private final Map<String, Object> visible;
  private final List<String> declaredHosts;
  private final String defaultSecret;
  private final Set<String> usedParameters;
  private final List<Template> templates = new ArrayList<>();

  ApiChecks(
      Context ctx,
      Folder folder,
      Located<ApiFile> api,
      Names connectionNames,
      Map<String, Object> visible,
      List<String> declaredHosts,
      String defaultSecret,
      Set<String> usedParameters) {
    this.ctx = ctx;
    this.folder = folder;
    this.file = api.file();
    this.api = api.value();
    this.connectionNames = connectionNames;
    this.visible = visible;
    this.declaredHosts = declaredHosts;
    this.defaultSecret = defaultSecret;
    this.usedParameters = usedParameters;
  }

  void run() {
    String fileId = file.idFromPath();
    if (!api.id().equals(fileId)) {
      ctx.out.at(
          file,
          "/id",
          Code.C201,
          "the API id \"" + api.id() + "\" differs from its file name \"" + fileId + ".json\"",
          null);
    }
    Map<String, InputType> inputs = inputs(api.inputsOrEmpty(), "/inputs");
    Names names =
        new Names(
            connectionNames.parameters(),
            inputs,
            connectionNames.authValues(),
            api.before() != null,
            connectionNames.authType());
    String beforeSource = code("/before", api.before());
    String afterSource = code("/after", api.after());
    request(names);
    outputs(api.outputsOrEmpty(), "/outputs");
    markUsed(beforeSource, afterSource);
  }

  // --- inputs ---

  private Map<String, InputType> inputs(List<InputEntry> entries, String base) {
    Map<String, InputType> aliases = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      InputEntry in = entries.get(i);
      String at = base + "/" + i;
      if (aliases.putIfAbsent(in.alias(), InputType.valueOf(in.type())) != null) {
        ctx.out.at(
            file,
            at + "/alias",
            Code.C202,
            "the alias \""
                + in.alias()
                + "\" is used twice"
                + (base.equals("/inputs") ? " among the inputs" : " among the sub-elements"),
            null);
      }
      if (in.defaultValue() != null && !in.defaultValue().isNull()) {
        String misfit = InputDefaults.misfit(in, in.defaultValue());
        if (misfit != null) {
          ctx.out.at(file, at + "/default", Code.C208, misfit, null);
        }
      }
      if (!in.fieldsOrEmpty().isEmpty()) {
        inputs(in.fieldsOrEmpty(), at + "/fields");
      }
    }
    return aliases;
  }

  // --- code blocks ---

  /** Checks a code block and its shared files; returns their sources (for parameter use), or "". */
  private String code(String pointer, ApiFile.CodeBlockEntry block) {
    if (block == null) {
      return "";
    }
    StringBuilder all = new StringBuilder(codeFile(pointer + "/file", block.file(), true));
    String language = FileKind.languageOf(block.file());
    List<String> shared = block.sharedOrEmpty();
    for (int i = 0; i < shared.size(); i++) {
      if (!FileKind.languageOf(shared.get(i)).equals(language)) {
        ctx.out.at(
            file,
            pointer + "/shared/" + i,
            Code.C215,
            "the shared file "
                + shared.get(i)
                + " is not in the block's language ("
                + language
                + ")",
            "a block and the files it shares are all .js or all .py");
        continue;
      }
      all.append('\n').append(codeFile(pointer + "/shared/" + i, shared.get(i), false));
    }
    return all.toString();
  }

  /**
   * One code file: it exists and parses; a block's own file defines main(input), a shared one need
   * not. Returns its source, or "".
   */
  private String codeFile(String pointer, String relative, boolean block) {
    String path = folder.path + "/" + relative;
    String source = ctx.model.code.get(path);
    if (source == null) {
      ctx.out.at(
          file,
          pointer,
          Code.C215,
          "the code file " + path + " does not exist",
          (block ? "create it with a main(input) function" : "create it")
              + ", or fix the path (relative to "
              + folder.path
              + "/)");
      return "";
    }
    String language = FileKind.languageOf(path);
    for (CodeSyntax.Problem p :
        ctx.codeProblems.computeIfAbsent(path, f -> ctx.code.check(f, language, source))) {
      if (!block && p.missingMain()) {
        continue; // a shared file defines functions for blocks, not main
      }
      ctx.out.atLine(
          path,
          p.line(),
          p.column(),
          p.missingMain() ? Code.C217 : Code.C216,
          p.message(),
          p.missingMain()
              ? "define main(input), which receives the data and returns the result"
              : null);
    }
    return source;
  }

  // --- the request ---

  private void request(Names names) {
    ApiFile.RequestEntry r = api.request();
    template("/request/url", r.url(), names, false);
    if (r.query() != null) {
      r.query()
          .forEach(
              (k, v) -> template("/request/query/" + ConnectionChecks.escape(k), v, names, true));
    }
    if (r.headers() != null) {
      r.headers()
          .forEach(
              (k, v) ->
                  template("/request/headers/" + ConnectionChecks.escape(k), v, names, false));
    }
    JsonNode body = r.body();
    if (body != null) {
      switch (body.path("type").asString()) {
        case "json" -> jsonBody(body.get("json"), "/request/body/json", names);
        case "form" ->
            body.get("form")
                .properties()
                .forEach(
                    e ->
                        template(
                            "/request/body/form/" + ConnectionChecks.escape(e.getKey()),
                            e.getValue().asString(),
                            names,
                            true));
        default -> template("/request/body/raw", body.path("raw").asString(), names, false);
      }
    }
    HostCheck.check(
        ctx, file, "/request/url", r.url(), visible, secretCarried(names), declaredHosts);
  }

  private void jsonBody(JsonNode node, String pointer, Names names) {
    if (node == null) {
      return;
    }
    if (node.isString()) {
      template(pointer, node.asString(), names, true);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        jsonBody(node.get(i), pointer + "/" + i, names);
      }
    } else if (node.isObject()) {
      node.properties()
          .forEach(
              e ->
                  jsonBody(
                      e.getValue(), pointer + "/" + ConnectionChecks.escape(e.getKey()), names));
    }
  }

  private void template(String pointer, String text, Names names, boolean wholeValueOk) {
    TemplateCheck.check(
            file, pointer, text, TemplateCheck.Site.REQUEST, names, wholeValueOk, ctx.out)
        .ifPresent(templates::add);
  }

  /** What secret the request carries, for the host proof; null for none. */
  private String secretCarried(Names names) {
    Set<String> secrets = new java.util.TreeSet<>();
    boolean connectionHasSecrets = names.parameters().containsValue(true);
    for (Template t : templates) {
      for (Template.Ref ref : t.references()) {
        SecretReferences.carried(ref, names::isHiddenParameter, connectionHasSecrets)
            .ifPresent(
                carried ->
                    secrets.add(
                        switch (carried) {
                          case HIDDEN_PARAMETER -> "the hidden parameter " + ref;
                          case AUTH_VALUE -> ref.toString();
                          case BEFORE_RESULT -> "the before block's " + ref;
                        }));
      }
    }
    if (defaultSecret != null) {
      secrets.add(defaultSecret);
    }
    return secrets.isEmpty() ? null : String.join(", ", secrets);
  }

  // --- outputs ---

  private void outputs(List<OutputEntry> entries, String base) {
    Set<String> aliases = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      OutputEntry o = entries.get(i);
      String at = base + "/" + i;
      if (!aliases.add(o.alias())) {
        ctx.out.at(
            file,
            at + "/alias",
            Code.C202,
            "the output alias \"" + o.alias() + "\" is used twice",
            null);
      }
      JsonPaths.check(ctx, file, at + "/path", o.path());
      if (!o.fieldsOrEmpty().isEmpty()) {
        outputs(o.fieldsOrEmpty(), at + "/fields");
      }
    }
  }

  // --- parameter use ---

  private void markUsed(String... codeSources) {
    for (Template t : templates) {
      t.references().stream()
          .filter(r -> r.scope() == Scope.CONNECTION)
          .forEach(r -> usedParameters.add(r.name()));
    }
    // Code blocks receive the connection's parameters: a name mentioned in code counts as used.
    for (String source : codeSources) {
      for (String name : connectionNames.parameters().keySet()) {
        if (!source.isEmpty() && source.contains(name)) {
          usedParameters.add(name);
        }
      }
    }
  }
}
