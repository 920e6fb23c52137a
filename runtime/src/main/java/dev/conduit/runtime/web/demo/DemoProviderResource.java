package dev.conduit.runtime.web.demo;

import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.identity.IdentityProvider;
import dev.conduit.runtime.identity.Secrets;
import dev.conduit.runtime.web.identity.Pages;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A GitHub-style OAuth 2.0 provider served by the runtime itself when the demo is on, so the
 * example {@code demo-github} connection (authorization code) works offline in {@code ./run}: an
 * authorize page where you pick a login, a token endpoint (authorization code with PKCE S256,
 * refresh tokens rotated on every use, invalid_grant for an unknown one), {@code /user} and {@code
 * /user/repos}, and RFC 7009 revocation. Demo only: its client secret is published, its state lives
 * in memory.
 */
@Path("/demo-upstream/provider")
@Tag(
    name = "Demo upstream",
    description = "A pretend third-party API for the quickstart (only when conduit.demo.enabled)")
public class DemoProviderResource {

  static final String CLIENT_ID = "demo-github-client";
  static final String CLIENT_SECRET = "demo-github-secret";
  private static final long LIFETIME = 3600;

  private record Code(String login, String redirectUri, String challenge, Instant until) {}

  private static final Map<String, Code> CODES = new ConcurrentHashMap<>();
  private static final Map<String, String> ACCESS = new ConcurrentHashMap<>();
  private static final Map<String, String> REFRESH = new ConcurrentHashMap<>();

  @Inject RuntimeConfig config;

  @GET
  @Path("/authorize")
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "Demo provider: authorize page")
  public Response authorize(
      @QueryParam("client_id") String clientId,
      @QueryParam("redirect_uri") String redirectUri,
      @QueryParam("state") String state,
      @QueryParam("code_challenge") String challenge,
      @QueryParam("code_challenge_method") String method,
      @QueryParam("scope") String scope) {
    if (!config.demoEnabled()) {
      return Response.status(404).build();
    }
    if (!CLIENT_ID.equals(clientId)
        || redirectUri == null
        || !"S256".equals(method)
        || challenge == null) {
      return Response.status(400)
          .type(MediaType.TEXT_HTML)
          .entity(
              Pages.page(
                  "Demo provider",
                  "<h1>Bad request</h1><p>client_id, redirect_uri and a PKCE S256 challenge are required.</p>"))
          .build();
    }
    return Response.ok(
            Pages.page(
                "Demo provider",
                "<h1>Demo provider</h1><p class=\"sub\">A pretend GitHub: allow "
                    + "<strong>Conduit</strong> to read your profile and repositories ("
                    + Pages.esc(scope)
                    + ")?</p>"
                    + "<form method=\"post\" action=\"approve\">"
                    + hidden("redirect_uri", redirectUri)
                    + hidden("state", state)
                    + hidden("code_challenge", challenge)
                    + "<label for=\"login\">Your login at the provider</label><input type=\"text\" id=\"login\" name=\"login\""
                    + " value=\"octocat\" required maxlength=\"39\" autofocus>"
                    + "<button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow\">Authorize</button>"
                    + "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\" class=\"secondary\">Cancel</button>"
                    + "</form>"))
        .type("text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
        .build();
  }

  @POST
  @Path("/approve")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Demo provider: the authorize form")
  public Response approve(
      @FormParam("redirect_uri") String redirectUri,
      @FormParam("state") String state,
      @FormParam("code_challenge") String challenge,
      @FormParam("login") String login,
      @FormParam("decision") String decision) {
    if (!config.demoEnabled()) {
      return Response.status(404).build();
    }
    String back = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "state=" + enc(state);
    if (!"allow".equals(decision)) {
      return Response.seeOther(URI.create(back + "&error=access_denied")).build();
    }
    String code = Secrets.random();
    CODES.put(
        code,
        new Code(
            login == null || login.isBlank() ? "octocat" : login.strip(),
            redirectUri,
            challenge,
            Instant.now().plusSeconds(60)));
    return Response.seeOther(URI.create(back + "&code=" + enc(code))).build();
  }

  @POST
  @Path("/token")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Demo provider: token endpoint (authorization code with PKCE, refresh token)")
  public Response token(
      @FormParam("grant_type") String grantType,
      @FormParam("client_id") String clientId,
      @FormParam("client_secret") String clientSecret,
      @FormParam("code") String code,
      @FormParam("redirect_uri") String redirectUri,
      @FormParam("code_verifier") String verifier,
      @FormParam("refresh_token") String refreshToken) {
    if (!config.demoEnabled()) {
      return Response.status(404).build();
    }
    if (!CLIENT_ID.equals(clientId)
        || clientSecret == null
        || !MessageDigest.isEqual( // constant time: the demo is copied as an example
            CLIENT_SECRET.getBytes(StandardCharsets.UTF_8),
            clientSecret.getBytes(StandardCharsets.UTF_8))) {
      return Response.status(401).entity(Map.of("error", "invalid_client")).build();
    }
    String login;
    if ("authorization_code".equals(grantType)) {
      Code c = code == null ? null : CODES.remove(code);
      if (c == null
          || c.until().isBefore(Instant.now())
          || !c.redirectUri().equals(redirectUri)
          || verifier == null
          || !IdentityProvider.sameS256(c.challenge(), verifier)) {
        return Response.status(400).entity(Map.of("error", "invalid_grant")).build();
      }
      login = c.login();
    } else if ("refresh_token".equals(grantType)) {
      login =
          refreshToken == null ? null : REFRESH.remove(refreshToken); // rotated: each works once
      if (login == null) {
        return Response.status(400).entity(Map.of("error", "invalid_grant")).build();
      }
    } else {
      return Response.status(400).entity(Map.of("error", "unsupported_grant_type")).build();
    }
    String access = "gho_" + Secrets.random();
    String refresh = "ghr_" + Secrets.random();
    ACCESS.put(access, login);
    REFRESH.put(refresh, login);
    return Response.ok(
            Map.of(
                "access_token",
                access,
                "refresh_token",
                refresh,
                "token_type",
                "bearer",
                "expires_in",
                LIFETIME,
                "scope",
                "repo read:user"))
        .header("Cache-Control", "no-store")
        .build();
  }

  @GET
  @Path("/user")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Demo provider: the signed-in user")
  public Response user(@HeaderParam("Authorization") String authorization) {
    String login = login(authorization);
    if (!config.demoEnabled() || login == null) {
      return Response.status(config.demoEnabled() ? 401 : 404)
          .entity(Map.of("message", "Bad credentials"))
          .build();
    }
    return Response.ok(Map.of("login", login, "name", login, "public_repos", 2)).build();
  }

  @GET
  @Path("/user/repos")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Demo provider: the user's repositories")
  public Response repos(@HeaderParam("Authorization") String authorization) {
    String login = login(authorization);
    if (!config.demoEnabled() || login == null) {
      return Response.status(config.demoEnabled() ? 401 : 404)
          .entity(Map.of("message", "Bad credentials"))
          .build();
    }
    return Response.ok(
            List.of(
                Map.of(
                    "full_name", login + "/hello-world", "private", false, "stargazers_count", 42),
                Map.of("full_name", login + "/notes", "private", true, "stargazers_count", 0)))
        .build();
  }

  @POST
  @Path("/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Demo provider: token revocation (RFC 7009)")
  public Response revoke(@FormParam("token") String token) {
    if (!config.demoEnabled()) {
      return Response.status(404).build();
    }
    if (token != null) {
      ACCESS.remove(token);
      REFRESH.remove(token);
    }
    return Response.ok().build();
  }

  private static String login(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.strip();
    String token =
        a.regionMatches(true, 0, "Bearer ", 0, 7)
            ? a.substring(7)
            : a.regionMatches(true, 0, "token ", 0, 6) ? a.substring(6) : null;
    return token == null ? null : ACCESS.get(token.strip());
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Pages.esc(value) + "\">";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }
}
