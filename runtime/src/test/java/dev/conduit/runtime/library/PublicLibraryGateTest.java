package dev.conduit.runtime.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.Tenant;
import dev.conduit.code.languages.CodeRunner;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.invoke.CodeBlocks;
import dev.conduit.runtime.invoke.InMemoryTokenStore;
import dev.conduit.runtime.invoke.Invoker;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.invoke.TokenManager;
import dev.conduit.runtime.invoke.Upstream;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The quality gate of the public library (library/entries): every version of every entry compiles
 * without a single diagnostic, meets the submission guidelines, and each of its APIs, installed
 * from the public library, is called once through the real invoke engine against a local stand-in
 * upstream built from the entry's own files (request shape, credential placement and every output
 * path checked; token endpoints answered; signatures verified as the provider would). One JVM, one
 * compile per step, one local server: seconds.
 */
class PublicLibraryGateTest {

  static final Path LIBRARY = Path.of("..", "library");
  private static final Pattern HTTPS_HOST = Pattern.compile("https://([A-Za-z0-9.-]+(?::[0-9]+)?)");
  private static final List<Path> VERSIONS = new ArrayList<>();
  // the code blocks' syntax checked by the real engines, as the CLI does
  private static final CodeSyntax SYNTAX = CodeSyntaxes.engines();

  private static CodeRunner runner;

  @AfterAll
  static void stopEngines() {
    runner.close();
  }

  @BeforeAll
  static void versions() throws Exception {
    runner = new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(0));
    PublicLibrary lib = PublicLibrary.at(LIBRARY);
    for (String entry : lib.entries()) {
      for (String version : lib.versions(entry)) {
        VERSIONS.add(lib.folder(entry, version).orElseThrow());
      }
    }
  }

  @Test
  void theLibraryHasTwoHundredEntriesWithThreeApisWhereTheDefinitionHasThem() {
    long entries = VERSIONS.stream().map(v -> v.getParent().getFileName()).distinct().count();
    assertTrue(
        entries >= 200, "the public library has " + entries + " entries, the issue asks for 200");
  }

  @Test
  void everyEntryCompilesWithoutADiagnosticAndMeetsTheSubmissionGuidelines(@TempDir Path repo)
      throws Exception {
    organization(repo);
    List<String> problems = new ArrayList<>();
    for (Path v : VERSIONS) {
      String id = v.getParent().getFileName().toString();
      copy(
          v,
          repo.resolve("library").resolve(id),
          (file, text) -> text.replace("\"../../../../", "\"../../../"));
      problems.addAll(SubmissionGuidelines.check(id + "@" + v.getFileName(), v));
    }
    // the same compiler as for any organization: the entries as its library
    long t0 = System.nanoTime();
    List<Diagnostic> diagnostics = compile(repo, Optional.empty()).diagnostics();
    System.out.printf(
        "gate: compiled %d entries in %d ms%n",
        VERSIONS.size(), (System.nanoTime() - t0) / 1_000_000);
    diagnostics.stream().limit(40).forEach(d -> problems.add(d.toString()));
    assertEquals(List.of(), problems, problems.size() + " problems");
  }

  @Test
  void everyApiAnswersThroughTheEngineAgainstAStandInBuiltFromItsDefinition(@TempDir Path dir)
      throws Exception {
    try (StandIn standIn = new StandIn();
        Upstream upstream = new Upstream(64 * 1024)) {
      Path repo = dir.resolve("repo");
      Path library = dir.resolve("library");
      organization(repo);
      Map<String, Map<String, String>> given = new LinkedHashMap<>();
      for (Path v : VERSIONS) {
        String id = v.getParent().getFileName().toString();
        String version = v.getFileName().toString();
        // the stand-in answers for every host: https://HOST/... becomes
        // http://127.0.0.1:PORT/HOST/...
        copy(
            v,
            library.resolve("entries").resolve(id).resolve(version),
            (file, text) ->
                !file.contains("apis/")
                    ? text
                    : HTTPS_HOST
                        .matcher(text)
                        .replaceAll("http://127.0.0.1:" + standIn.port() + "/$1"));
        ObjectNode template =
            (ObjectNode)
                read(
                    library
                        .resolve("entries")
                        .resolve(id)
                        .resolve(version)
                        .resolve("connection.json"));
        template.putArray("allowedHosts").add("127.0.0.1");
        if (template.path("auth") instanceof ObjectNode auth && auth.has("tokenUrl")) {
          // the token endpoint is a stand-in too, answering a token at the entry's own paths
          String tokenUrl =
              HTTPS_HOST
                  .matcher(auth.path("tokenUrl").asString())
                  .replaceAll("http://127.0.0.1:" + standIn.port() + "/$1");
          auth.put("tokenUrl", tokenUrl);
          standIn.token(
              java.net.URI.create(tokenUrl).getPath(), tokenAnswer(auth.path("tokenResponse"), id));
        }
        template.put("allowPrivateNetwork", true);
        Files.writeString(
            library.resolve("entries").resolve(id).resolve(version).resolve("connection.json"),
            template.toPrettyString());
        given.put(id, install(repo, id, version, read(v.resolve("connection.json"))));
      }
      long t0 = System.nanoTime();
      Compiler.Result compiled = compile(repo, Optional.of(PublicLibrary.at(library)));
      Bundle bundle =
          compiled
              .bundle()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the installs do not compile: "
                              + compiled.diagnostics().stream()
                                  .filter(Diagnostic::isError)
                                  .limit(20)
                                  .toList()));
      System.out.printf(
          "gate: compiled %d installs in %d ms%n",
          VERSIONS.size(), (System.nanoTime() - t0) / 1_000_000);
      Invoker invoker =
          new Invoker(
              upstream,
              new TokenManager(
                  upstream, new InMemoryTokenStore(Clock.systemUTC()), Clock.systemUTC()),
              (connection, block, input) -> {
                // the entries' signing blocks, on the real JavaScript engine
                try {
                  return runner.run(
                      new Tenant(connection.organizationId(), connection.id()),
                      new CodeSource(block.file(), Language.JAVASCRIPT, block.source()),
                      input,
                      Duration.ofMillis(block.timeoutMs()));
                } catch (CodeFailure f) {
                  throw new CodeBlocks.Failure(f.getMessage());
                }
              });
      Opener opener = new Opener(Fixtures.KEYS.privateKeyset());
      List<String> problems = new ArrayList<>();
      int calls = 0;
      long prepareNanos = 0;
      long invokeNanos = 0;
      for (Path v : VERSIONS) {
        String id = v.getParent().getFileName().toString();
        Connection connection = bundle.connection(id).orElseThrow();
        long p0 = System.nanoTime();
        PreparedConnection prepared =
            PreparedConnection.prepare(
                Fixtures.ORG, connection, opener, PrivateNetworkRule.only(Fixtures.ORG));
        prepareNanos += System.nanoTime() - p0;
        JsonNode template = read(v.resolve("connection.json"));
        boolean tokenChecked = !template.path("auth").has("tokenUrl");
        try (Stream<Path> apis = Files.list(v.resolve("apis"))) {
          for (Path file : apis.sorted().toList()) {
            JsonNode api = read(file);
            String where = id + "@" + v.getFileName() + " " + api.path("id").asString() + ": ";
            Expectation e = new Expectation(api, template, given.get(id), "tok-" + id);
            standIn.answer(e.response);
            long i0 = System.nanoTime();
            Outcome outcome =
                invoker.invoke(prepared, prepared.api(api.path("id").asString()), e.inputs);
            invokeNanos += System.nanoTime() - i0;
            calls++;
            String host =
                HTTPS_HOST
                    .matcher(api.path("request").path("url").asString())
                    .results()
                    .findFirst()
                    .map(m -> m.group(1))
                    .orElse("");
            e.problems(standIn.last(), host).forEach(p -> problems.add(where + p));
            if (!tokenChecked) {
              e.tokenProblems(standIn.lastToken()).forEach(p -> problems.add(where + p));
              tokenChecked = true;
            }
            if (api.has("before") && standIn.last() != null) {
              signatureProblems(host, standIn.last(), given.get(id))
                  .forEach(p -> problems.add(where + p));
            }
            if (outcome instanceof Outcome.Failure f) {
              problems.add(where + f.code() + " " + f.message() + " " + f.details());
            } else if (outcome instanceof Outcome.Success s) {
              e.outputs.forEach(
                  (alias, want) -> {
                    if (!same(want, s.data().get(alias))) {
                      problems.add(
                          where
                              + "output "
                              + alias
                              + " = "
                              + s.data().get(alias)
                              + ", expected "
                              + want);
                    }
                  });
            }
          }
        }
      }
      System.out.printf(
          "gate: %d calls, %d ms preparing connections, %d ms invoking%n",
          calls, prepareNanos / 1_000_000, invokeNanos / 1_000_000);
      assertTrue(calls >= 3L * VERSIONS.size() * 9 / 10, "only " + calls + " calls");
      assertEquals(
          List.of(),
          problems.stream().limit(60).toList(),
          problems.size() + " problems in " + calls + " calls");
    }
  }

  /**
   * A signing entry's request checked the way its provider checks it; an API with a before block
   * whose host has no verifier here is a problem (add one to {@link Signatures}).
   */
  private static List<String> signatureProblems(
      String host, StandIn.Received got, Map<String, String> values) throws Exception {
    return switch (host) {
      case "dysmsapi.aliyuncs.com" ->
          Signatures.aliyunRpc(got, values.get("access_key_id"), values.get("access_key_secret"));
      case "sms.tencentcloudapi.com" ->
          Signatures.tc3(got, host, values.get("secret_id"), values.get("secret_key"));
      default -> List.of("a before block signs for " + host + ": the gate has no verifier for it");
    };
  }

  /** The token endpoint's answer, at the entry's own response paths. */
  private static String tokenAnswer(JsonNode tokenResponse, String id) {
    Map<String, Object> answer = new LinkedHashMap<>();
    Expectation.put(
        answer,
        Expectation.segments(tokenResponse.path("accessTokenPath").asString("$.access_token")),
        "tok-" + id);
    Expectation.put(
        answer,
        Expectation.segments(tokenResponse.path("expiresInPath").asString("$.expires_in")),
        7200);
    return Expectation.JSON.writeValueAsString(answer);
  }

  /**
   * Whether an output came back as the stand-in sent it (numbers by value, rows field by field).
   */
  private static boolean same(Object want, Object got) {
    if (want instanceof Number n) {
      return got instanceof Number g && g.doubleValue() == n.doubleValue();
    }
    if (want instanceof List<?> w && !w.isEmpty() && w.get(0) instanceof Map<?, ?> wantRow) {
      return got instanceof List<?> g
          && g.size() == w.size()
          && g.get(0) instanceof Map<?, ?> row
          && wantRow.entrySet().stream().allMatch(e -> same(e.getValue(), row.get(e.getKey())));
    }
    return String.valueOf(want).equals(String.valueOf(got))
        || (want instanceof String
            && got != null
            && want.toString().startsWith("2026-")
            && got.toString().startsWith("2026-"));
  }

  /** A connection installing the entry from the public library, every parameter given. */
  private static Map<String, String> install(
      Path repo, String id, String version, JsonNode template) throws Exception {
    Sealer sealer = new Sealer(Fixtures.KEYS.publicKey());
    Map<String, String> values = new LinkedHashMap<>();
    ObjectNode c = Expectation.JSON.createObjectNode();
    c.put("id", id);
    c.put("name", template.path("name").asString());
    ObjectNode from = c.putObject("installedFrom");
    from.put("entry", id).put("version", version).put("library", "public");
    var params = c.putArray("parameters");
    for (JsonNode p : template.path("parameters")) {
      String name = p.path("name").asString();
      String value = "s3cr3t-" + name;
      values.put(name, value);
      ObjectNode own = params.addObject().put("name", name);
      if (p.path("hidden").asBoolean(false)) {
        own.put("hidden", true)
            .put("sealed", sealer.seal(value, new SealContext(Fixtures.ORG, id, name)));
      } else {
        own.put("value", value);
      }
    }
    var enabled = c.putArray("enabledApis");
    try (Stream<Path> apis =
        Files.list(PublicLibrary.at(LIBRARY).folder(id, version).orElseThrow().resolve("apis"))) {
      apis.sorted().forEach(a -> enabled.add(a.getFileName().toString().replace(".json", "")));
    }
    Path file = repo.resolve("connections").resolve(id).resolve("connection.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, c.toPrettyString());
    return values;
  }

  private static void organization(Path repo) throws Exception {
    Files.createDirectories(repo);
    Files.writeString(
        repo.resolve("organization.json"),
        Files.readString(Fixtures.TEMPLATE.resolve("organization.json"))
            .replace("${PUBLIC_KEY}", Fixtures.KEYS.publicKey()));
    Files.copy(Fixtures.TEMPLATE.resolve("members.json"), repo.resolve("members.json"));
  }

  private static Compiler.Result compile(Path repo, Optional<PublicLibrary> library)
      throws Exception {
    try (var tree = DirectorySource.open(repo)) {
      return new Compiler(SYNTAX, library).compile(tree);
    }
  }

  private static JsonNode read(Path file) throws Exception {
    return Expectation.JSON.readTree(Files.readString(file));
  }

  private static void copy(Path from, Path to, java.util.function.BinaryOperator<String> edit)
      throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        Files.createDirectories(target.getParent());
        Files.writeString(
            target,
            edit.apply(from.relativize(p).toString().replace('\\', '/'), Files.readString(p)));
      }
    }
  }
}
