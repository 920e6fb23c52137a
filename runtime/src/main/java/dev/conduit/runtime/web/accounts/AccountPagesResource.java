package dev.conduit.runtime.web.accounts;

import dev.conduit.runtime.accounts.Account;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.auth.PersonSession;
import dev.conduit.runtime.identity.SignInThrottle.Verdict;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The accounts pages. People sign in with a form (checked against the user registry, like the
 * identity provider's sign-in page); the signed-in session carries a CSRF token that every form
 * posts back, compared in constant time.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(
    name = "Accounts",
    description = "Per-person accounts of authorization-code connections (docs/accounts.md)")
public class AccountPagesResource {

  // one session with the console: signing in on either page serves both
  static final String LOGIN = dev.conduit.runtime.auth.PersonSession.LOGIN;
  static final String CSRF = dev.conduit.runtime.auth.PersonSession.CSRF;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Accounts accounts;

  @Inject BundleRegistry registry;

  @Inject Members members;

  @Context HttpServletRequest request;

  private record Page(
      LoadedOrganization org, PreparedConnection connection, Accounts accounts, String base) {}

  private Page page(String organizationId, String connectionId) throws PageError {
    if (accounts == null) {
      throw new PageError(
          503, "Accounts need the runtime's private key (conduit.sealing.private-key).");
    }
    LoadedOrganization org =
        registry
            .organization(organizationId)
            .orElseThrow(
                () -> new PageError(404, "There is no organization " + organizationId + " here."));
    try {
      return new Page(
          org,
          Accounts.connection(org, connectionId),
          accounts,
          "/accounts/" + enc(organizationId) + "/" + enc(connectionId));
    } catch (Accounts.Refused r) {
      throw new PageError(404, r.getMessage());
    }
  }

  private static final class PageError extends Exception {
    final int status;

    PageError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** The signed-in member of the organization, or null. */
  private String login(Page p) {
    HttpSession s = request.getSession(false);
    String login = s == null ? null : (String) s.getAttribute(LOGIN);
    return login != null && p.org().isMember(login) ? login : null;
  }

  private String csrf() {
    HttpSession s = request.getSession(true);
    String token = (String) s.getAttribute(CSRF);
    if (token == null) {
      byte[] b = new byte[32];
      RANDOM.nextBytes(b);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      s.setAttribute(CSRF, token);
    }
    return token;
  }

  private boolean csrfOk(MultivaluedMap<String, String> form) {
    HttpSession s = request.getSession(false);
    String expected = s == null ? null : (String) s.getAttribute(CSRF);
    String given = form.getFirst("csrf");
    return expected != null
        && given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  @GET
  @Path("accounts/{organization}/{connection}")
  @Operation(
      summary = "My accounts (page)",
      description =
          "Rename, refresh now, re-authorize, remove, and which "
              + "applications may use each account.")
  public Response list(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @QueryParam("notice") String notice) {
    try {
      Page p = page(organizationId, connectionId);
      String login = login(p);
      if (login == null) {
        return html(
            200,
            AccountPages.signIn(
                p.base() + "/sign-in", csrf(), null, p.connection().connection().name()));
      }
      List<Account> accounts = p.accounts().visible(p.org(), login, p.connection());
      return html(
          200,
          AccountPages.list(
              p.base(),
              csrf(),
              p.connection().connection().name(),
              login,
              accounts,
              p.connection().connection().grants(),
              notice));
    } catch (PageError e) {
      return html(e.status, AccountPages.error(e.getMessage()));
    }
  }

  @GET
  @Path("accounts/{organization}/{connection}/connect")
  @Operation(summary = "Connect an account (page)")
  public Response connectPage(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId) {
    try {
      Page p = page(organizationId, connectionId);
      String login = login(p);
      if (login == null) {
        return html(
            200,
            AccountPages.signIn(
                p.base() + "/sign-in?next=connect",
                csrf(),
                null,
                p.connection().connection().name()));
      }
      boolean named =
          p.connection().connection().auth() instanceof dev.conduit.bundle.Auth.AuthorizationCode ac
              && ac.accountName() != null;
      return html(
          200,
          AccountPages.connect(
              p.base(),
              csrf(),
              p.connection().connection().name(),
              login,
              p.connection().connection().grants(),
              named,
              p.accounts().links().redirectUri(connectionId)));
    } catch (PageError e) {
      return html(e.status, AccountPages.error(e.getMessage()));
    }
  }

  @POST
  @Path("accounts/{organization}/{connection}/sign-in")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Sign-in form of the accounts pages")
  public Response signIn(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @QueryParam("next") String next,
      MultivaluedMap<String, String> form) {
    try {
      Page p = page(organizationId, connectionId);
      if (!csrfOk(form)) {
        return html(
            403,
            AccountPages.error(
                "The form expired or was not sent by this page. Open the page again."));
      }
      String login = form.getFirst("login");
      Verdict v = members.verify(request, login, form.getFirst("password"));
      if (v != Verdict.SIGNED_IN || !p.org().isMember(login)) {
        return html(
            v == Verdict.LOCKED ? 429 : 401,
            AccountPages.signIn(
                p.base() + "/sign-in" + ("connect".equals(next) ? "?next=connect" : ""),
                csrf(),
                v == Verdict.LOCKED
                    ? PersonSession.refusal(v)
                    : "Wrong account or password, or not a member of this organization.",
                p.connection().connection().name()));
      }
      // the registry check ended with a logout, which dropped the old session: a new one (no
      // fixation)
      HttpSession signedIn = request.getSession(true);
      signedIn.setAttribute(LOGIN, login);
      signedIn.removeAttribute(CSRF);
      return seeOther(p.base() + ("connect".equals(next) ? "/connect" : ""));
    } catch (PageError e) {
      return html(e.status, AccountPages.error(e.getMessage()));
    }
  }

  @POST
  @Path("accounts/{organization}/{connection}/connect")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Connect form: redirects to the provider's authorization URL")
  public Response connect(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      MultivaluedMap<String, String> form) {
    try {
      Page p = page(organizationId, connectionId);
      String login = login(p);
      if (login == null || !csrfOk(form)) {
        return html(
            403,
            AccountPages.error("Sign in again: the form expired or was not sent by this page."));
      }
      List<String> apps =
          form.get("applications") == null ? List.of() : List.copyOf(form.get("applications"));
      String url =
          p.accounts().connect(p.org(), login, p.connection(), form.getFirst("name"), apps);
      return Response.seeOther(URI.create(url)).header("Cache-Control", "no-store").build();
    } catch (PageError e) {
      return html(e.status, AccountPages.error(e.getMessage()));
    } catch (Accounts.Refused r) {
      return html(r.status(), AccountPages.error(r.getMessage()));
    }
  }

  @POST
  @Path("accounts/{organization}/{connection}/{account}/{action}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Account forms: rename, applications, refresh, reauthorize, remove")
  public Response act(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("account") String accountId,
      @PathParam("action") String action,
      MultivaluedMap<String, String> form) {
    try {
      Page p = page(organizationId, connectionId);
      String login = login(p);
      if (login == null || !csrfOk(form)) {
        return html(
            403,
            AccountPages.error("Sign in again: the form expired or was not sent by this page."));
      }
      Accounts a = p.accounts();
      String notice =
          switch (action) {
            case "rename" ->
                "Renamed to "
                    + a.rename(p.org(), login, p.connection(), accountId, form.getFirst("name"))
                        .name()
                    + ".";
            case "applications" ->
                "Applications saved: "
                    + String.join(
                        ", ",
                        a.allow(
                                p.org(),
                                login,
                                p.connection(),
                                accountId,
                                form.get("applications") == null
                                    ? List.of()
                                    : List.copyOf(form.get("applications")))
                            .applications())
                    + ".";
            case "refresh" ->
                "Refreshed: the token is valid until "
                    + a.refreshNow(p.org(), login, p.connection(), accountId).expiresAt()
                    + ".";
            case "remove" -> {
              String problem = a.delete(p.org(), login, p.connection(), accountId);
              yield "Removed." + (problem == null ? "" : " Note: " + problem + ".");
            }
            case "reauthorize" -> null;
            default -> throw new PageError(404, "There is no action \"" + action + "\".");
          };
      if (notice == null) {
        return Response.seeOther(
                URI.create(a.reauthorize(p.org(), login, p.connection(), accountId)))
            .header("Cache-Control", "no-store")
            .build();
      }
      return seeOther(p.base() + "?notice=" + enc(notice));
    } catch (PageError e) {
      return html(e.status, AccountPages.error(e.getMessage()));
    } catch (Accounts.Refused r) {
      return html(r.status(), AccountPages.error(r.getMessage()));
    }
  }

  private static Response seeOther(String path) {
    return Response.status(303)
        .header("Location", path)
        .header("Cache-Control", "no-store")
        .build();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static Response html(int status, String page) {
    return Response.status(status)
        .type("text/html; charset=utf-8")
        .entity(page)
        .header("Cache-Control", "no-store")
        .header("X-Frame-Options", "DENY")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                + "base-uri 'none'; form-action 'self' *")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }
}
