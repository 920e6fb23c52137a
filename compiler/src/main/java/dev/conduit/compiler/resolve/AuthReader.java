package dev.conduit.compiler.resolve;

import dev.conduit.bundle.Auth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads a connection's "auth" object (already schema-valid) into the bundle's Auth, with defaults.
 */
public final class AuthReader {
  private AuthReader() {}

  public static Auth read(JsonNode auth) {
    return switch (auth.path("type").asString()) {
      case "basic" ->
          new Auth.Basic(auth.path("username").asString(), auth.path("password").asString());
      case "oauth2-client-credentials" ->
          new Auth.ClientCredentials(
              auth.path("tokenUrl").asString(),
              auth.path("method").asString("POST"),
              auth.has("parameters")
                  ? strings(auth.get("parameters"))
                  : Map.of(
                      "app_id", "{{connection.app_id}}", "app_secret", "{{connection.app_secret}}"),
              auth.path("parametersIn").asString("form"),
              strings(auth.get("headers")),
              tokenResponse(auth.get("tokenResponse")),
              auth.has("expiresInSeconds") ? auth.get("expiresInSeconds").asInt() : null,
              auth.path("refreshBeforeSeconds").asInt(60),
              tokenExpired(auth.get("tokenExpired")));
      case "oauth2-authorization-code" ->
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
                  ? strings(auth.get("authorizationParameters"))
                  : null,
              auth.has("revocationUrl") ? auth.get("revocationUrl").asString() : null,
              auth.has("accountName")
                  ? new Auth.AccountName(
                      auth.get("accountName").path("path").asString(),
                      auth.get("accountName").has("userinfoUrl")
                          ? auth.get("accountName").get("userinfoUrl").asString()
                          : null)
                  : null);
      default -> new Auth.None();
    };
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

  static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null) {
      node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    }
    return out;
  }

  private static List<String> stringList(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null) {
      node.forEach(n -> out.add(n.asString()));
    }
    return out;
  }
}
