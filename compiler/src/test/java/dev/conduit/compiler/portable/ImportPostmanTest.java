package dev.conduit.compiler.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** conduit import postman: a collection's requests become APIs; its secrets are not written. */
class ImportPostmanTest {

  @TempDir Path temp;

  static final String COLLECTION =
      """
      {
        "info": {"name": "Orders API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "s3cr3t-bearer", "type": "string"}]},
        "variable": [
          {"key": "baseUrl", "value": "https://shop.example.org/api"},
          {"key": "tenantSecret", "value": "s3cr3t-tenant"}
        ],
        "item": [
          {"name": "Orders", "item": [
            {"name": "Get order", "request": {
              "method": "GET",
              "header": [{"key": "X-Tenant", "value": "{{tenantSecret}}"}],
              "url": {"raw": "{{baseUrl}}/orders/:orderId?expand=items",
                      "host": ["{{baseUrl}}"], "path": ["orders", ":orderId"],
                      "query": [{"key": "expand", "value": "items"}]}}},
            {"name": "Create order", "request": {
              "method": "POST",
              "header": [{"key": "Content-Type", "value": "application/json"}],
              "body": {"mode": "raw", "raw": "{\\"sku\\": \\"A-1\\", \\"quantity\\": 2}"},
              "url": "{{baseUrl}}/orders"}}
          ]}
        ]
      }
      """;

  @Test
  void aCollectionBecomesAConnectionWhoseSecretsAreLeftToSeal() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("orders.postman_collection.json");
    Files.writeString(file, COLLECTION);
    Run r = Run.conduit("import", "postman", file.toString(), repo.toString(), "--as", "orders");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("with 2 APIs: get-order, create-order"), r.out());
    assertTrue(r.out().contains("--parameter token"), r.out());
    assertTrue(r.out().contains("--parameter tenantsecret"), r.out());

    Path folder = repo.resolve("connections/orders");
    String all =
        Files.readString(folder.resolve("connection.json"))
            + Files.readString(folder.resolve("apis/get-order.json"))
            + Files.readString(folder.resolve("apis/create-order.json"));
    assertFalse(all.contains("s3cr3t"), "no secret is written: " + all);
    JsonNode get = ImportOpenApiTest.read(folder.resolve("apis/get-order.json"));
    assertEquals(
        "https://shop.example.org/api/orders/{{input.orderId}}", get.at("/request/url").asString());
    assertEquals("{{input.expand}}", get.at("/request/query/expand").asString());
    assertEquals(
        "Bearer {{connection.token}}", get.at("/request/headers/Authorization").asString());
    assertEquals("{{connection.tenantsecret}}", get.at("/request/headers/X-Tenant").asString());
    assertTrue(get.at("/inputs/0/required").asBoolean(), "the path segment is a required input");
    JsonNode create = ImportOpenApiTest.read(folder.resolve("apis/create-order.json"));
    assertEquals("{{input.sku}}", create.at("/request/body/json/sku").asString());
    assertEquals(
        "shop.example.org",
        ImportOpenApiTest.read(folder.resolve("connection.json")).at("/allowedHosts/0").asString());

    Run validate = Run.conduit("validate", repo.toString());
    assertFalse(
        validate
            .out()
            .lines()
            .anyMatch(l -> l.contains("connections/orders") && l.contains("error[")),
        validate.out());
  }

  @Test
  void aFileThatIsNotACollectionIsOneErrorAndNothingIsWritten() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("x.json");
    Files.writeString(file, "{\"info\": {\"name\": \"x\"}, \"item\": []}");
    Run r = Run.conduit("import", "postman", file.toString(), repo.toString(), "--as", "x");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("x.json: not a Postman collection v2.0 or v2.1"), r.err());
    Files.writeString(
        file,
        "{\"info\": {\"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/\"}, \"item\": [");
    Run broken = Run.conduit("import", "postman", file.toString(), repo.toString(), "--as", "x");
    assertEquals(2, broken.exit());
    assertTrue(broken.err().contains("does not parse as JSON at line 1"), broken.err());
    ImportOpenApiTest.assertNothingWritten(repo, "x");
  }
}
