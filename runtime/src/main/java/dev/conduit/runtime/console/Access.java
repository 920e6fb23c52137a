package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.auth.PersonSession;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * Who may see a console page, checked the same way for every resource of the console: signed in
 * (else the sign-in form, which comes back to the page), a member of the organization (else 403),
 * and for a form post the session's CSRF token.
 */
final class Access {
  private Access() {}

  /** A page that cannot be shown to this person, with the status and the reason. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Not signed in: the sign-in form comes instead, and sends them back here after. */
  static final class SignInFirst extends Exception {
    SignInFirst() {
      super(null, null, false, false);
    }
  }

  @FunctionalInterface
  interface Page {
    Response render() throws Refused, SignInFirst;
  }

  static View view(HttpServletRequest request, BundleRegistry registry, String organizationId)
      throws Refused, SignInFirst {
    String login = PersonSession.login(request);
    if (login == null) {
      throw new SignInFirst();
    }
    LoadedOrganization org =
        registry
            .organization(organizationId)
            .orElseThrow(
                () ->
                    new Refused(
                        403,
                        "There is no organization " + organizationId + " you are a member of."));
    if (!org.isMember(login)) {
      throw new Refused(
          403, login + " is not a member of " + org.bundle().organization().name() + ".");
    }
    return new View(org, login, PersonSession.csrf(request));
  }

  /** The form was sent by a page of this session. */
  static void csrf(HttpServletRequest request, MultivaluedMap<String, String> form) throws Refused {
    if (!PersonSession.csrfOk(request, form.getFirst("csrf"))) {
      throw new Refused(403, "The form expired or was not sent by this page. Open the page again.");
    }
  }

  static Response page(HttpServletRequest request, Page p) {
    try {
      return p.render();
    } catch (SignInFirst s) {
      return Frame.html(200, SignInPage.html(PersonSession.csrf(request), null, next(request)));
    } catch (Refused r) {
      String csrf = PersonSession.login(request) == null ? null : PersonSession.csrf(request);
      return Frame.html(
          r.status,
          Frame.plain(
              "Not allowed",
              csrf,
              "<h1>This page is not for you</h1><div class=\"error\" role=\"alert\" id=\"refusal\">"
                  + esc(r.getMessage())
                  + "</div><p><a href=\""
                  + Frame.BASE
                  + "\">Your organizations</a></p>"));
    }
  }

  /** Where to go after signing in: this page, when it is one of the console's. */
  private static String next(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String q = request.getQueryString();
    return "GET".equals(request.getMethod()) && uri.startsWith(Frame.BASE)
        ? uri + (q == null ? "" : "?" + q)
        : Frame.BASE;
  }
}
