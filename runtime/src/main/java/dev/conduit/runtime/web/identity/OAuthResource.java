package dev.conduit.runtime.web.identity;

import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.identity.HapError;
import dev.conduit.runtime.identity.HapResponses;
import dev.conduit.runtime.identity.IdentityException;
import dev.conduit.runtime.identity.IdentityProvider;
import dev.conduit.runtime.identity.IdentityProvider.AuthorizeRequest;
import dev.conduit.runtime.identity.OAuthError;
import dev.conduit.runtime.identity.Secrets;
import dev.conduit.runtime.identity.StandardResponses;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The identity provider's HTTP face (seed 001, word for word, plus the standard forms): authorize
 * with sign-in and consent pages, the token endpoint (GET with query parameters as HAP clients send
 * them; a POST as RFC 6749 gives it, answered by the standard: {@link Dialect} decides which),
 * revocation (RFC 7009) and authorization-server metadata (RFC 8414). The passport is in {@link
 * PassportResource}.
 */
@Path("/")
@Tag(name = "Identity provider", description = "OAuth 2.0 for third-party applications (seed 001)")
public class OAuthResource {

  private static final String FLOWS = "conduit.oauth.flows";
  private static final String LOGIN = "conduit.oauth.login";
  private static final int MAX_FLOWS = 8;

  /** The realm of the identity provider's authentication challenges (Basic and Bearer). */
  static final String REALM = "conduit";

  @Inject IdentityProvider idp;

  @Inject RuntimeConfig config;

  @Context HttpServletRequest request;

  @Context UriInfo uri;

  /** One authorization in progress in this browser: the checked request and its CSRF token. */
  private record Flow(AuthorizeRequest request, String csrf) {}

  // --- authorize ---

  @GET
  @Path("api/oauth2/authorize")
  @Operation(
      summary = "Authorize (seed 001 step 2)",
      description =
          "app_key, redirect_uri, projectid (and state; "
              + "code_challenge with code_challenge_method=S256 for PKCE). Shows the sign-in page, then the consent page; "
              + "redirects to redirect_uri with code (and state). An unknown app or a redirect_uri that is not registered "
              + "exactly shows an error page and never redirects.")
  public Response authorize() {
    Map<String, String> params = single(uri.getQueryParameters());
    params.putIfAbsent("app_key", params.get("client_id"));
    AuthorizeRequest r;
    try {
      r = idp.checkAuthorize(params);
    } catch (IdentityException e) {
      if (e.redirectable()
          && params.get("response_type") != null) { // a standard client: tell it (RFC 6749 4.1.2.1)
        return Response.seeOther(URI.create(IdentityProvider.refusal(params, e)))
            .header("Cache-Control", "no-store")
            .header("Referrer-Policy", "no-referrer")
            .build();
      }
      return html(400, Pages.error(e.getMessage()));
    }
    HttpSession session = request.getSession(true);
    String flow = Secrets.random();
    Flow f = new Flow(r, Secrets.random());
    flows(session).put(flow, f);
    String login = (String) session.getAttribute(LOGIN);
    if (login != null && idp.memberOfSafe(r, login)) {
      return html(200, Pages.consent(r, flow, f.csrf(), login));
    }
    return html(200, Pages.login(r, flow, f.csrf(), null, null));
  }

  @POST
  @Path("api/oauth2/authorize/login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Sign-in form of the authorize page")
  public Response login(MultivaluedMap<String, String> form) {
    HttpSession session = request.getSession(false);
    Flow f = flow(session, form);
    if (f == null) {
      return html(
          403,
          Pages.error(
              "The sign-in form expired or was not sent by this page. Start again from the application."));
    }
    String flowId = form.getFirst("flow");
    String login;
    try {
      login = idp.signIn(form.getFirst("login"), form.getFirst("password"));
      idp.memberOf(f.request(), login);
    } catch (IdentityException e) {
      flows(request.getSession(true))
          .put(flowId, f); // the check dropped the session: keep the flow
      return html(
          e.error() == HapError.LOCKED ? 429 : 401,
          Pages.login(f.request(), flowId, f.csrf(), e.getMessage(), form.getFirst("login")));
    }
    // The registry check ends with a logout, which drops the old session: signing in always
    // continues in a new session (no session fixation), carrying only this flow over.
    HttpSession signedIn = request.getSession(true);
    flows(signedIn).put(flowId, f);
    signedIn.setAttribute(LOGIN, login);
    return html(200, Pages.consent(f.request(), flowId, f.csrf(), login));
  }

  @POST
  @Path("api/oauth2/authorize/consent")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Consent form of the authorize page")
  public Response consent(MultivaluedMap<String, String> form) {
    HttpSession session = request.getSession(false);
    Flow f = flow(session, form);
    String login = session == null ? null : (String) session.getAttribute(LOGIN);
    if (f == null || login == null) {
      return html(
          403,
          Pages.error(
              "The consent form expired or was not sent by this page. Start again from the application."));
    }
    flows(session).remove(form.getFirst("flow")); // one decision per flow
    try {
      String target =
          "approve".equals(form.getFirst("decision"))
              ? idp.approve(f.request(), login)
              : idp.deny(f.request());
      return Response.seeOther(URI.create(target))
          .header("Cache-Control", "no-store")
          .header("Referrer-Policy", "no-referrer")
          .build();
    } catch (IdentityException e) {
      return html(403, Pages.error(e.getMessage()));
    }
  }

  // --- token ---

  @GET
  @Path("api/oauth2/access_token")
  @Operation(
      summary = "Access token (seed 001 step 3)",
      description =
          "app_key, app_secret, grant_type="
              + "authorization_code, code, redirect_uri (and code_verifier for PKCE); or grant_type=refresh_token with "
              + "refresh_token. format=json answers JSON, otherwise XML. expires_in is a string.")
  public Response tokenGet() {
    return token(single(uri.getQueryParameters()));
  }

  @POST
  @Path("api/oauth2/access_token")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(
      summary = "Access token, standard form (RFC 6749)",
      description =
          "A form with grant_type "
              + "(authorization_code with code, redirect_uri and code_verifier; or refresh_token with refresh_token); the "
              + "client authenticates with HTTP Basic (client_secret_basic) or client_id and client_secret "
              + "(client_secret_post). Answers RFC 6749's JSON: access_token, token_type Bearer, expires_in as a number, "
              + "refresh_token; errors as error and error_description, 401 with WWW-Authenticate for invalid_client. A "
              + "form with HAP's app_key, app_secret or format is answered as the GET form is (seed 001).")
  public Response tokenPost(MultivaluedMap<String, String> form) {
    Map<String, String> params = single(form);
    single(uri.getQueryParameters()).forEach(params::putIfAbsent);
    if (Dialect.ofPost(params) == Dialect.HAP) {
      return token(params);
    }
    try {
      ClientAuthentication.Client c = standardClient(form, params);
      IdentityProvider.TokenRequest r =
          new IdentityProvider.TokenRequest(
              c.id(),
              c.secret(),
              params.get("grant_type"),
              params.get("code"),
              params.get("redirect_uri"),
              params.get("refresh_token"),
              params.get("code_verifier"));
      return standard(200, StandardResponses.token(idp.token(r)));
    } catch (IdentityException e) {
      return standard(e);
    }
  }

  /** Seed 001's token endpoint: HAP's envelope, XML unless format=json. */
  private Response token(Map<String, String> p) {
    boolean json = "json".equalsIgnoreCase(p.get("format"));
    clientFromBasic(p);
    IdentityProvider.TokenRequest r =
        new IdentityProvider.TokenRequest(
            p.get("app_key"),
            p.get("app_secret"),
            p.get("grant_type"),
            p.get("code"),
            p.get("redirect_uri"),
            p.get("refresh_token"),
            p.get("code_verifier"));
    try {
      return hap(200, HapResponses.token(idp.token(r)), json);
    } catch (IdentityException e) {
      return hap(400, HapResponses.error(e), json);
    }
  }

  @POST
  @Path("api/oauth2/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(
      summary = "Revoke a token (RFC 7009)",
      description =
          "token (token_type_hint is not needed: both kinds "
              + "are looked up), and the client's credentials: HTTP Basic or client_id and client_secret. Revoking a refresh "
              + "token revokes the whole authorization. Unknown tokens answer 200 too. With HAP's app_key/app_secret, "
              + "answers and errors use HAP's envelope.")
  public Response revoke(MultivaluedMap<String, String> form) {
    Map<String, String> p = single(form);
    if (Dialect.ofPost(p) == Dialect.STANDARD) {
      try {
        ClientAuthentication.Client c = standardClient(form, p);
        idp.revoke(c.id(), c.secret(), p.get("token"));
        return Response.ok()
            .header("Cache-Control", "no-store")
            .header("Pragma", "no-cache")
            .build();
      } catch (IdentityException e) {
        return standard(e);
      }
    }
    clientFromBasic(p);
    try {
      idp.revoke(p.get("app_key"), p.get("app_secret"), p.get("token"));
      return Response.ok("{\"success\":true}", MediaType.APPLICATION_JSON)
          .header("Cache-Control", "no-store")
          .build();
    } catch (IdentityException e) {
      return hap(e.error() == HapError.BAD_PARAMETER ? 401 : 400, HapResponses.error(e), true);
    }
  }

  @GET
  @Path(".well-known/oauth-authorization-server")
  @Operation(summary = "Authorization server metadata (RFC 8414)")
  public Response metadata() {
    String base = config.publicUrl();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", base);
    m.put("authorization_endpoint", base + "/api/oauth2/authorize");
    m.put("token_endpoint", base + "/api/oauth2/access_token");
    m.put("revocation_endpoint", base + "/api/oauth2/revoke");
    m.put("response_types_supported", java.util.List.of("code"));
    m.put("response_modes_supported", java.util.List.of("query"));
    m.put("grant_types_supported", java.util.List.of("authorization_code", "refresh_token"));
    m.put("code_challenge_methods_supported", java.util.List.of("S256"));
    m.put(
        "token_endpoint_auth_methods_supported",
        java.util.List.of("client_secret_post", "client_secret_basic"));
    m.put(
        "revocation_endpoint_auth_methods_supported",
        java.util.List.of("client_secret_post", "client_secret_basic"));
    m.put("service_documentation", base + "/openapi/ui");
    return Response.ok(m, MediaType.APPLICATION_JSON).build();
  }

  // --- helpers ---

  /**
   * The authenticated-to-be client of a standard request, after RFC 6749 3.2's rules: an empty
   * parameter counts as omitted (dropped from {@code params}), none may be sent twice.
   */
  private ClientAuthentication.Client standardClient(
      MultivaluedMap<String, String> form, Map<String, String> params) throws IdentityException {
    params.values().removeIf(String::isEmpty);
    ClientAuthentication.requireSingle(form);
    return ClientAuthentication.of(request.getHeader("Authorization"), params);
  }

  /** Standard parameter names and HTTP Basic map onto HAP's app_key/app_secret. */
  private void clientFromBasic(Map<String, String> p) {
    p.putIfAbsent("app_key", p.get("client_id"));
    p.putIfAbsent("app_secret", p.get("client_secret"));
    if (p.get("app_key") == null) {
      ClientAuthentication.basic(request.getHeader("Authorization"))
          .ifPresent(
              c -> {
                p.put("app_key", c.id());
                p.put("app_secret", c.secret());
              });
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Flow> flows(HttpSession session) {
    synchronized (session) {
      Map<String, Flow> flows = (Map<String, Flow>) session.getAttribute(FLOWS);
      if (flows == null) {
        flows =
            java.util.Collections.synchronizedMap(
                new LinkedHashMap<>() {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Flow> eldest) {
                    return size() > MAX_FLOWS;
                  }
                });
        session.setAttribute(FLOWS, flows);
      }
      return flows;
    }
  }

  /** The flow a form belongs to, when its CSRF token matches (constant-time); else null. */
  private static Flow flow(HttpSession session, MultivaluedMap<String, String> form) {
    if (session == null || form.getFirst("flow") == null || form.getFirst("csrf") == null) {
      return null;
    }
    Flow f = flows(session).get(form.getFirst("flow"));
    if (f == null
        || !MessageDigest.isEqual(
            f.csrf().getBytes(StandardCharsets.UTF_8),
            form.getFirst("csrf").getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    return f;
  }

  private static Map<String, String> single(MultivaluedMap<String, String> m) {
    Map<String, String> out = new HashMap<>();
    m.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            out.put(k, v.getFirst());
          }
        });
    return out;
  }

  static Response html(int status, String page) {
    return Response.status(status)
        .type("text/html; charset=utf-8")
        .entity(page)
        .header("Cache-Control", "no-store")
        .header("X-Frame-Options", "DENY")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }

  /** RFC 6749's JSON, never cached (section 5.1). */
  static Response standard(int status, Map<String, Object> body) {
    return Response.status(status)
        .type("application/json; charset=utf-8")
        .entity(dev.conduit.runtime.web.JsonText.write(body))
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
        .build();
  }

  /** RFC 6749 section 5.2: 400, or 401 with a Basic challenge when client authentication failed. */
  static Response standard(IdentityException e) {
    Response r = standard(e.standard().status(), StandardResponses.error(e));
    return e.standard() != OAuthError.INVALID_CLIENT
        ? r
        : Response.fromResponse(r)
            .header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"")
            .build();
  }

  /** HAP's envelope as JSON or XML, never cached. */
  static Response hap(int status, Map<String, Object> body, boolean json) {
    String entity = json ? dev.conduit.runtime.web.JsonText.write(body) : HapResponses.xml(body);
    return Response.status(status)
        .type(json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8")
        .entity(entity)
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
        .build();
  }
}
