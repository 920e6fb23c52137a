package dev.conduit.compiler.model;

import dev.conduit.bundle.Auth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.jsontype.TypeDeserializer;

/**
 * Binds a connection's "auth" object (already schema-valid) to the bundle's sealed {@link Auth},
 * defaults filled in: the one place the file's auth JSON is read. {@link ConnectionFile#auth} is
 * bound through {@link Binding}, so the resolver and the checks see the typed value only.
 */
public final class AuthReader {
  private AuthReader() {}

  /**
   * @throws IllegalArgumentException for a type the schema does not allow (a schema-valid file
   *     never has one)
   */
  public static Auth read(JsonNode auth) {
    String type = auth.path("type").asString();
    return switch (type) {
      case Auth.None.TYPE -> new Auth.None();
      case Auth.Basic.TYPE ->
          new Auth.Basic(auth.path("username").asString(), auth.path("password").asString());
      case Auth.ClientCredentials.TYPE ->
          new Auth.ClientCredentials(
              auth.path("tokenUrl").asString(),
              auth.path("method").asString("POST"),
              auth.has("parameters")
                  ? PlainData.strings(auth.get("parameters"))
                  : Map.of(
                      "app_id", "{{connection.app_id}}", "app_secret", "{{connection.app_secret}}"),
              auth.path("parametersIn").asString("form"),
              PlainData.strings(auth.get("headers")),
              tokenResponse(auth.get("tokenResponse")),
              auth.has("expiresInSeconds") ? auth.get("expiresInSeconds").asInt() : null,
              auth.path("refreshBeforeSeconds").asInt(60),
              tokenExpired(auth.get("tokenExpired")));
      case Auth.AuthorizationCode.TYPE ->
          new Auth.AuthorizationCode(
              auth.path("authorizationUrl").asString(),
              auth.path("tokenUrl").asString(),
              auth.path("clientId").asString(),
              auth.path("clientSecret").asString(),
              stringList(auth.get("scopes")),
              auth.path("clientAuthentication").asString("body"),
              tokenResponse(auth.get("tokenResponse")),
              auth.path("refreshBeforeSeconds").asInt(60),
              tokenExpired(auth.get("tokenExpired")),
              auth.has("authorizationParameters")
                  ? PlainData.strings(auth.get("authorizationParameters"))
                  : null,
              auth.has("revocationUrl") ? auth.get("revocationUrl").asString() : null,
              auth.has("accountName")
                  ? new Auth.AccountName(
                      auth.get("accountName").path("path").asString(),
                      auth.get("accountName").has("userinfoUrl")
                          ? auth.get("accountName").get("userinfoUrl").asString()
                          : null)
                  : null);
      default -> throw new IllegalArgumentException("unknown auth type \"" + type + "\"");
    };
  }

  /**
   * Jackson's way to {@link #read}: the node is read with the binder's settings, as it was when the
   * record kept it as JSON. Auth's own type id (the bundle's) is not used here, since the file form
   * differs from the bundle form (defaults are absent).
   */
  static final class Binding extends ValueDeserializer<Auth> {
    @Override
    public Auth deserialize(JsonParser p, DeserializationContext ctxt) {
      return read(ctxt.readTree(p));
    }

    @Override
    public Object deserializeWithType(
        JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer) {
      return deserialize(p, ctxt);
    }
  }

  private static Auth.TokenResponse tokenResponse(JsonNode node) {
    Auth.TokenResponse d = Auth.TokenResponse.DEFAULT;
    if (node == null) {
      return d;
    }
    return new Auth.TokenResponse(
        node.path("accessTokenPath").asString(d.accessTokenPath()),
        node.path("expiresInPath").asString(d.expiresInPath()),
        node.path("refreshTokenPath").asString(d.refreshTokenPath()));
  }

  private static Auth.TokenExpired tokenExpired(JsonNode node) {
    if (node == null) {
      return Auth.TokenExpired.DEFAULT;
    }
    List<Integer> status = new ArrayList<>();
    if (node.has("status")) {
      node.get("status").forEach(s -> status.add(s.asInt()));
    } else if (!node.has("bodyPath")) {
      status.add(401);
    }
    List<Object> values = new ArrayList<>();
    if (node.has("bodyValues")) {
      node.get("bodyValues").forEach(v -> values.add(PlainData.of(v)));
    }
    return new Auth.TokenExpired(
        status, node.has("bodyPath") ? node.get("bodyPath").asString() : null, values);
  }

  private static List<String> stringList(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null) {
      node.forEach(n -> out.add(n.asString()));
    }
    return out;
  }
}
