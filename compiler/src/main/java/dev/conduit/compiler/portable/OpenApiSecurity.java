package dev.conduit.compiler.portable;

import dev.conduit.bundle.Auth;
import dev.conduit.compiler.model.AuthReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAPI definition's security scheme as a Conduit auth and the parameters to fill: an API key
 * in a header or the query becomes a hidden {@code api_key} that each API places where the
 * definition says (auth {@code none}); HTTP bearer a hidden {@code token} as {@code Authorization:
 * Bearer}; HTTP basic the {@code basic} auth with {@code username} and a hidden {@code password};
 * OAuth 2.0 client credentials and authorization code the matching token kinds with {@code
 * client_id} to fill and a hidden {@code client_secret}, each API sending {@code Authorization:
 * Bearer {{auth.access_token}}}. The auth object is read back through {@link AuthReader}, the one
 * reader of auth JSON, and what each API places follows from the {@link Auth} kind it gives.
 */
final class OpenApiSecurity {

  /** The OAuth 2.0 flows Conduit runs, in the order chosen when a scheme offers several. */
  static final List<String> FLOWS = List.of("clientCredentials", "authorizationCode");

  /**
   * Where a key of auth kind none goes: the definition's key parameter, a bearer header, nowhere.
   */
  private enum Placement {
    NONE,
    API_KEY,
    BEARER_PARAMETER
  }

  private final ObjectNode auth;
  private final Auth kind;
  private final Placement placement;
  private final JsonNode scheme;
  private final List<ObjectNode> parameters = new ArrayList<>();

  private OpenApiSecurity(ObjectNode auth, Placement placement, JsonNode scheme) {
    this.auth = auth;
    this.kind = AuthReader.read(auth);
    this.placement = placement;
    this.scheme = scheme;
  }

  /**
   * @param requirements the security requirements of the operations imported (the first one decides
   *     the scheme; the scopes of every one are requested)
   * @param flow the OAuth 2.0 flow to use when the scheme offers several, or null for the first of
   *     {@link #FLOWS}
   * @param deref resolves a {@code $ref}
   * @param server the first operation's server URL, against which relative token URLs resolve
   * @throws IllegalArgumentException naming the schemes when none is supported
   */
  static OpenApiSecurity of(
      JsonNode components,
      List<JsonNode> requirements,
      String flow,
      UnaryOperator<JsonNode> deref,
      String server) {
    JsonNode reqs = requirements.getFirst();
    if (reqs.isEmpty()) {
      return none();
    }
    List<String> seen = new ArrayList<>();
    for (JsonNode req : reqs) {
      if (req.isEmpty()) {
        return none();
      }
      if (req.size() != 1) {
        continue;
      }
      String name = req.propertyNames().iterator().next();
      JsonNode s = deref.apply(components.path("securitySchemes").path(name));
      String type = s.path("type").asString("");
      String scheme = s.path("scheme").asString("").toLowerCase(Locale.ROOT);
      seen.add(
          name
              + " ("
              + type
              + (scheme.isEmpty() ? "" : " " + scheme)
              + (type.equals("oauth2") ? " " + s.path("flows").propertyNames() : "")
              + ")");
      if (type.equals("apiKey")
          && Set.of("header", "query").contains(s.path("in").asString())
          && s.has("name")) {
        return apiKey(s);
      }
      if (type.equals("http") && scheme.equals("bearer")) {
        return bearer(s);
      }
      if (type.equals("http") && scheme.equals("basic")) {
        return basic(s);
      }
      if (type.equals("oauth2")) {
        OpenApiSecurity o = oauth2(name, s, requirements, flow, server);
        if (o != null) {
          return o;
        }
      }
    }
    throw new IllegalArgumentException(
        "its security scheme is not supported (API key in a header or the query, HTTP bearer, HTTP"
            + " basic, OAuth 2.0 "
            + (flow == null ? String.join(" or ", FLOWS) : flow)
            + ", or none): "
            + String.join(", ", seen));
  }

  /** The parameters to fill, in order (hidden ones have no value and are sealed). */
  void parameters(ArrayNode params, List<String> toSeal) {
    for (ObjectNode p : parameters) {
      params.add(p);
      if (p.path("hidden").asBoolean(false)) {
        toSeal.add(p.path("name").asString());
      }
    }
  }

  /** Sets the connection's auth. */
  void auth(ObjectNode connection) {
    connection.set("auth", auth);
  }

  /** "query:key" for a key the definition places in the query or a header, else null. */
  String apiKeyParameter() {
    return placement == Placement.API_KEY
        ? scheme.path("in").asString() + ":" + scheme.path("name").asString()
        : null;
  }

  /**
   * Puts what each request carries for this auth into its query or headers: by the auth kind, with
   * no default, so that a new kind must say here what an imported API sends.
   */
  void place(ObjectNode query, ObjectNode headers) {
    switch (kind) {
      case Auth.None none -> {
        if (placement == Placement.API_KEY) {
          (scheme.path("in").asString().equals("header") ? headers : query)
              .put(scheme.path("name").asString(), "{{connection.api_key}}");
        } else if (placement == Placement.BEARER_PARAMETER) {
          headers.put("Authorization", "Bearer {{connection.token}}");
        }
      }
      case Auth.Basic basic -> {} // the runtime sends it on every request
      case Auth.ClientCredentials token -> bearer(headers, token);
      case Auth.AuthorizationCode token -> bearer(headers, token);
    }
  }

  private static void bearer(ObjectNode headers, Auth token) {
    headers.put("Authorization", "Bearer {{auth." + token.values().getFirst() + "}}");
  }

  // --- the kinds ---

  private static OpenApiSecurity none() {
    return new OpenApiSecurity(object().put("type", Auth.None.TYPE), Placement.NONE, null);
  }

  private static OpenApiSecurity apiKey(JsonNode s) {
    OpenApiSecurity o =
        new OpenApiSecurity(object().put("type", Auth.None.TYPE), Placement.API_KEY, s);
    o.hidden(
        "api_key",
        "API key",
        "The API key, sent as the "
            + s.path("in").asString()
            + " parameter \""
            + s.path("name").asString()
            + "\".");
    return o;
  }

  private static OpenApiSecurity bearer(JsonNode s) {
    OpenApiSecurity o =
        new OpenApiSecurity(object().put("type", Auth.None.TYPE), Placement.BEARER_PARAMETER, s);
    o.hidden("token", "Access token", "The bearer token, sent as Authorization: Bearer TOKEN.");
    return o;
  }

  private static OpenApiSecurity basic(JsonNode s) {
    OpenApiSecurity o =
        new OpenApiSecurity(
            object()
                .put("type", Auth.Basic.TYPE)
                .put("username", "{{connection.username}}")
                .put("password", "{{connection.password}}"),
            Placement.NONE,
            s);
    o.visible("username", "Username", "The account name for HTTP Basic authentication.");
    o.hidden("password", "Password", "The password or API token for HTTP Basic authentication.");
    return o;
  }

  /** The flow chosen, or null when the scheme has none that Conduit runs. */
  private static OpenApiSecurity oauth2(
      String name, JsonNode s, List<JsonNode> requirements, String flow, String server) {
    JsonNode flows = s.path("flows");
    String chosen = null;
    for (String f : flow == null ? FLOWS : List.of(flow)) {
      if (flows.has(f)) {
        chosen = f;
        break;
      }
    }
    if (chosen == null) {
      return null;
    }
    JsonNode f = flows.get(chosen);
    String tokenUrl = absolute(f.path("tokenUrl").asString(""), server, name + " tokenUrl");
    Set<String> scopes = new LinkedHashSet<>();
    for (JsonNode reqs : requirements) {
      for (JsonNode req : reqs) {
        req.path(name).forEach(scope -> scopes.add(scope.asString()));
      }
    }
    ObjectNode auth = object();
    if (chosen.equals("clientCredentials")) {
      auth.put("type", Auth.ClientCredentials.TYPE)
          .put("tokenUrl", tokenUrl)
          .put("method", "POST")
          .put("parametersIn", "form");
      ObjectNode p =
          auth.putObject("parameters")
              .put("grant_type", "client_credentials")
              .put("client_id", "{{connection.client_id}}")
              .put("client_secret", "{{connection.client_secret}}");
      if (!scopes.isEmpty()) {
        p.put("scope", String.join(" ", scopes));
      }
    } else {
      auth.put("type", Auth.AuthorizationCode.TYPE)
          .put(
              "authorizationUrl",
              absolute(f.path("authorizationUrl").asString(""), server, name + " authorizationUrl"))
          .put("tokenUrl", tokenUrl)
          .put("clientId", "{{connection.client_id}}")
          .put("clientSecret", "{{connection.client_secret}}");
      if (!scopes.isEmpty()) {
        ArrayNode list = auth.putArray("scopes");
        scopes.forEach(list::add);
      }
    }
    OpenApiSecurity o = new OpenApiSecurity(auth, Placement.NONE, s);
    String where = chosen.equals("clientCredentials") ? " (client credentials)" : "";
    o.visible(
        "client_id", "Client ID", "The OAuth 2.0 client id issued by the provider" + where + ".");
    o.hidden(
        "client_secret",
        "Client secret",
        "The OAuth 2.0 client secret issued with the client id" + where + ".");
    return o;
  }

  /** A URL of the definition, resolved against the server when relative (OpenAPI allows it). */
  private static String absolute(String url, String server, String what) {
    if (url.isEmpty()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    URI resolved;
    try {
      resolved = server == null ? URI.create(url) : URI.create(server + "/").resolve(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " \"" + url + "\" is not a URL");
    }
    if (!"https".equals(resolved.getScheme()) && !"http".equals(resolved.getScheme())) {
      throw new IllegalArgumentException(what + " \"" + url + "\" is not an http(s) URL");
    }
    return resolved.toString();
  }

  private void hidden(String name, String label, String description) {
    parameters.add(
        object()
            .put("name", name)
            .put("label", label)
            .put("description", description)
            .put("hidden", true));
  }

  private void visible(String name, String label, String description) {
    parameters.add(
        object()
            .put("name", name)
            .put("label", label)
            .put("description", description)
            .put("value", ""));
  }

  private static ObjectNode object() {
    return ConnectionFolder.JSON.createObjectNode();
  }
}
