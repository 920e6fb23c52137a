package dev.conduit.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each auth kind is named once, by its record's TYPE: the bundle's type ids and {@link Auth#type}
 * say the same, for every kind the sealed interface permits.
 */
class AuthKindsTest {

  @Test
  void everyKindIsRegisteredUnderItsOwnTypeName() throws ReflectiveOperationException {
    Map<String, String> registered =
        Arrays.stream(Auth.class.getAnnotation(JsonSubTypes.class).value())
            .collect(
                Collectors.toMap(
                    t -> t.value().getSimpleName(),
                    JsonSubTypes.Type::name,
                    (a, b) -> a,
                    TreeMap::new));
    Map<String, String> declared = new TreeMap<>();
    for (Class<?> kind : Auth.class.getPermittedSubclasses()) {
      declared.put(kind.getSimpleName(), (String) kind.getField("TYPE").get(null));
    }
    assertEquals(declared, registered);
  }

  @Test
  void typeIsTheRecordsTypeName() {
    assertEquals("none", new Auth.None().type());
    assertEquals(Auth.Basic.TYPE, new Auth.Basic("u", "p").type());
    assertEquals("basic", Auth.Basic.TYPE);
    assertEquals("oauth2-client-credentials", Auth.ClientCredentials.TYPE);
    assertEquals("oauth2-authorization-code", Auth.AuthorizationCode.TYPE);
  }

  @Test
  void theBundleCarriesTheTypeIdAndTheSettingsOnly() {
    String json =
        BundleCodec.mapper().writerFor(Auth.class).writeValueAsString(new Auth.Basic("u", "p"));
    java.util.Set<String> names = new java.util.TreeSet<>();
    BundleCodec.mapper().readTree(json).propertyNames().forEach(names::add);
    assertEquals(java.util.Set.of("type", "username", "password"), names);
    assertEquals(new Auth.Basic("u", "p"), BundleCodec.mapper().readValue(json, Auth.class));
  }
}
