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

/** conduit import openapi: a definition becomes a connection that compiles; bad input is named. */
class ImportOpenApiTest {

  @TempDir Path temp;

  static final String PETS =
      """
      openapi: 3.0.3
      info:
        title: Pet Store
        description: Pets for sale.
      servers:
        - url: https://{region}.pets.example.org/v1
          variables:
            region: {default: eu}
      security:
        - key: []
      components:
        securitySchemes:
          key: {type: apiKey, in: header, name: X-Api-Key}
        schemas:
          Pet:
            type: object
            properties:
              id: {type: integer, description: The pet's number.}
              name: {type: string}
              born: {type: string, format: date-time}
      paths:
        /pets/{petId}:
          get:
            operationId: getPet
            summary: One pet
            parameters:
              - {name: petId, in: path, required: true, schema: {type: integer}}
              - {name: fields, in: query, schema: {type: string, enum: [all, short]}}
            responses:
              '200':
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Pet'}
        /pets:
          post:
            operationId: createPet
            requestBody:
              required: true
              content:
                application/json:
                  schema:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string, description: The pet's name.}
                      tags: {type: array, items: {type: string}}
            responses:
              '201':
                content:
                  application/json:
                    schema:
                      type: array
                      items: {$ref: '#/components/schemas/Pet'}
      """;

  @Test
  void aYamlDefinitionBecomesAConnectionThatCompilesWithTheKeyLeftToSeal() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("pets.yaml");
    Files.writeString(file, PETS);
    Run r = Run.conduit("import", "openapi", file.toString(), repo.toString(), "--as", "pets");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("with 2 APIs: get-pet, create-pet"), r.out());
    assertTrue(r.out().contains("conduit seal --connection pets --parameter api_key"), r.out());

    JsonNode c = read(repo.resolve("connections/pets/connection.json"));
    assertEquals("eu.pets.example.org", c.at("/allowedHosts/0").asString());
    assertTrue(c.at("/parameters/0/hidden").asBoolean(), "the API key is hidden");
    assertFalse(c.at("/parameters/0").has("value"), "and has no value written");
    JsonNode get = read(repo.resolve("connections/pets/apis/get-pet.json"));
    assertEquals(
        "https://eu.pets.example.org/v1/pets/{{input.petId}}", get.at("/request/url").asString());
    assertEquals("{{connection.api_key}}", get.at("/request/headers/X-Api-Key").asString());
    assertEquals("{{input.fields}}", get.at("/request/query/fields").asString());
    assertTrue(get.at("/inputs/1/description").asString().contains("One of: all, short"));
    assertEquals("Number", get.at("/inputs/0/type").asString());
    assertEquals("$.born", get.at("/outputs/2/path").asString());
    assertEquals("DateTime", get.at("/outputs/2/type").asString());
    JsonNode create = read(repo.resolve("connections/pets/apis/create-pet.json"));
    assertEquals("{{input.name}}", create.at("/request/body/json/name").asString());
    assertTrue(create.at("/inputs/0/required").asBoolean(), "a required body field is required");
    assertEquals("ObjectArray", create.at("/outputs/0/type").asString());

    Run validate = Run.conduit("validate", repo.toString());
    assertFalse(
        validate
            .out()
            .lines()
            .anyMatch(l -> l.contains("connections/pets") && l.contains("error[")),
        validate.out());
  }

  @Test
  void aDefinitionThatDoesNotParseIsOneErrorWithItsLineAndNothingIsWritten() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("broken.yaml");
    Files.writeString(file, "openapi: 3.0.0\ninfo:\n  title: [unclosed\npaths: {}\n");
    Run r = Run.conduit("import", "openapi", file.toString(), repo.toString(), "--as", "broken");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("broken.yaml: does not parse as YAML at line"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertNothingWritten(repo, "broken");

    Files.writeString(file, "{\"swagger\": \"2.0\", \"paths\": {}}");
    Run swagger = Run.conduit("import", "openapi", file.toString(), repo.toString(), "--as", "x");
    assertEquals(2, swagger.exit());
    assertTrue(swagger.err().contains("this is Swagger 2"), swagger.err());

    Files.writeString(file, PETS);
    Run unknown =
        Run.conduit(
            "import",
            "openapi",
            file.toString(),
            repo.toString(),
            "--as",
            "x",
            "--apis",
            "GET /cats");
    assertEquals(2, unknown.exit());
    assertTrue(
        unknown
            .err()
            .contains("no operation \"GET /cats\" (it has: GET /pets/{petId}, POST /pets)"),
        unknown.err());
    assertNothingWritten(repo, "x");
  }

  static void assertNothingWritten(Path repo, String id) throws Exception {
    assertFalse(Files.exists(repo.resolve("connections").resolve(id)), "nothing written");
    try (var s = Files.list(repo.resolve("connections"))) {
      assertFalse(
          s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no staging folder left");
    }
  }

  static JsonNode read(Path file) throws Exception {
    return TestRepos.mapper().readTree(Files.readString(file));
  }
}
