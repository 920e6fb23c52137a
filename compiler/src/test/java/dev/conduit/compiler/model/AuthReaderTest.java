package dev.conduit.compiler.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.conduit.bundle.Auth;
import dev.conduit.compiler.schema.SchemaSet;
import dev.conduit.compiler.source.FileKind;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auth kinds the schema allows are exactly the bundle's, and the reader binds each to its own
 * record: a kind added to {@link Auth} without a schema value or a reader case fails here.
 */
class AuthReaderTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Map<String, Class<?>> kinds() {
    return Arrays.stream(Auth.class.getPermittedSubclasses())
        .collect(Collectors.toMap(AuthReaderTest::typeOf, k -> k));
  }

  private static String typeOf(Class<?> kind) {
    try {
      return (String) kind.getField("TYPE").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(kind + " has no TYPE", e);
    }
  }

  @Test
  void theSchemaAllowsExactlyTheBundlesKinds() {
    Set<String> schema = new TreeSet<>();
    SchemaSet.get()
        .document(FileKind.CONNECTION)
        .at("/$defs/auth/properties/type/enum")
        .forEach(v -> schema.add(v.asString()));
    assertEquals(new TreeSet<>(kinds().keySet()), schema);
  }

  @Test
  void everyKindIsReadIntoItsOwnRecord() {
    kinds()
        .forEach(
            (type, kind) -> {
              Auth auth = AuthReader.read(JSON.createObjectNode().put("type", type));
              assertInstanceOf(kind, auth);
              assertEquals(type, auth.type());
            });
  }

  @Test
  void defaultsAreFilledInWhereTheFileIsSilent() {
    Auth.ClientCredentials cc =
        assertInstanceOf(
            Auth.ClientCredentials.class,
            AuthReader.read(
                JSON.readTree(
                    "{\"type\": \"oauth2-client-credentials\", \"tokenUrl\": \"https://t/x\"}")));
    assertEquals("POST", cc.method());
    assertEquals("form", cc.parametersIn());
    assertEquals(Set.of("app_id", "app_secret"), cc.parameters().keySet());
    assertEquals(Auth.TokenResponse.DEFAULT, cc.tokenResponse());
    assertEquals(Auth.TokenExpired.DEFAULT, cc.tokenExpired());
    assertEquals(60, cc.refreshBeforeSeconds());
    assertNull(cc.expiresInSeconds());
  }

  @Test
  void aConnectionFileBindsItsAuthOnce() {
    ConnectionFile c =
        JsonMapper.builder()
            .build()
            .readValue(
                "{\"id\": \"c\", \"name\": \"C\", \"auth\": {\"type\": \"basic\","
                    + " \"username\": \"{{connection.u}}\", \"password\": \"{{connection.p}}\"}}",
                ConnectionFile.class);
    assertEquals(new Auth.Basic("{{connection.u}}", "{{connection.p}}"), c.auth());
    assertNull(
        JsonMapper.builder()
            .build()
            .readValue("{\"id\": \"c\", \"name\": \"C\"}", ConnectionFile.class)
            .auth());
  }

  @Test
  void aTypeTheSchemaDoesNotAllowIsNotTakenForNone() {
    assertThrows(
        IllegalArgumentException.class,
        () -> AuthReader.read(JSON.createObjectNode().put("type", "api-key")));
  }
}
