package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.auth.PersonSession;
import dev.conduit.runtime.limits.Paging;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * The one door of every console page (ConsoleResource, LibraryPages, DeploymentPages): who is
 * signed in, whether they are a member of the organization, and the page shown when they are not.
 * One place, so every console resource checks exactly the same way.
 */
final class Gate {
  private Gate() {}

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

  /** The signed-in member looking at this organization, or why not. */
  static View view(BundleRegistry registry, HttpServletRequest request, String organizationId)
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

  /** A form posted by a console page of this session (its CSRF token), else refused. */
  static void formFromThisSession(HttpServletRequest request, MultivaluedMap<String, String> form)
      throws Refused {
    if (!PersonSession.csrfOk(request, form.getFirst("csrf"))) {
      throw new Refused(403, "The form expired or was not sent by this page. Open the page again.");
    }
  }

  /** A page shown to a member of the organization (their view given). */
  @FunctionalInterface
  interface MemberPage {
    Response render(View v) throws Refused, SignInFirst;
  }

  /**
   * A form posted to an organization's console page: the member's view (else the sign-in form or
   * the refusal), the form proven this session's, then the page. One order for the forms that
   * propose changes (EditResource, LibraryPages).
   */
  static Response posted(
      BundleRegistry registry,
      HttpServletRequest request,
      String organizationId,
      MultivaluedMap<String, String> form,
      MemberPage page) {
    return render(
        request,
        () -> {
          View v = view(registry, request, organizationId);
          formFromThisSession(request, form);
          return page.render(v);
        });
  }

  /** The page, or the sign-in form, or the refusal with its status. */
  static Response render(HttpServletRequest request, Page p) {
    try {
      return p.render();
    } catch (SignInFirst s) {
      return Frame.html(200, SignInPage.html(PersonSession.csrf(request), null, next(request)));
    } catch (Refused r) {
      String csrf = PersonSession.login(request) == null ? null : PersonSession.csrf(request);
      return Frame.html(
          r.status,
          Frame.plain(
              r.status == 400 ? "Bad request" : "Not allowed",
              csrf,
              (r.status == 400 ? "<h1>No such page</h1>" : "<h1>This page is not for you</h1>")
                  + "<div class=\"error\" role=\"alert\" id=\"refusal\">"
                  + esc(r.getMessage())
                  + "</div><p><a href=\""
                  + Frame.BASE
                  + "\">Your organizations</a></p>"));
    }
  }

  /**
   * A console list's {@code ?page=}: a number from 1 within the lists' depth, or a 400 page saying
   * what is wrong (the same limits as the API's lists: limits/Paging).
   */
  static int page(String page, int size) throws Refused {
    try {
      return Paging.pageOf(Paging.pages(page, null, size, size));
    } catch (Paging.BadPage b) {
      throw new Refused(400, "There is no such page of this list: " + b.getMessage() + ".");
    }
  }

  /** Where to go after signing in: this page, when it is one of the console's. */
  private static String next(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String q = request.getQueryString();
    return "GET".equals(request.getMethod())
        ? NextPath.orHome(uri + (q == null ? "" : "?" + q))
        : Frame.BASE;
  }
}
