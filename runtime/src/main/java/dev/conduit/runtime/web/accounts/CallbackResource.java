package dev.conduit.runtime.web.accounts;

import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.accounts.ConnectFlow;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.auth.PersonSession;
import dev.conduit.runtime.identity.SignInThrottle.Verdict;
import dev.conduit.runtime.registry.BundleRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The redirect URI of authorization-code connections. A root resource of its own: under {@code
 * /api/v1/connections/{connection}} the invoke resource would otherwise be the only class JAX-RS
 * looks in (it picks one root class, the most specific, and does not backtrack).
 *
 * <p>A connect is finished for the member who started it, signed in to Conduit in the browser that
 * comes back ({@link ConnectFlow#callback}); a browser not signed in gets the sign-in form first,
 * with the provider's answer carried in it.
 */
@Path("/api/v1/connections/{connection}/oauth2/callback")
@Produces(MediaType.TEXT_HTML)
@Tag(
    name = "Accounts",
    description = "Per-person accounts of authorization-code connections (docs/accounts.md)")
public class CallbackResource {

  /** The parameters of the provider's answer that the callback reads. */
  private static final List<String> ANSWER = List.of("state", "code", "error", "error_description");

  @Inject Accounts accounts;

  @Inject BundleRegistry registry;

  @Inject Members members;

  @Context UriInfo uri;

  @Context HttpServletRequest request;

  @GET
  @Operation(
      summary = "OAuth 2.0 redirect URI of authorization-code connections",
      description =
          "The provider sends "
              + "the member's browser here with code and state (or error). Register exactly "
              + "{conduit.public-url}/api/v1/connections/{connection}/oauth2/callback at the provider."
              + " Finished only for the member who started the connect, signed in to Conduit in"
              + " this browser: without a session, the sign-in form comes first.")
  public Response callback(@PathParam("connection") String connectionId) {
    if (accounts == null) {
      return unavailable();
    }
    Map<String, String> answer = answer(uri.getQueryParameters());
    String login = PersonSession.login(request);
    if (login == null) {
      return html(
          200,
          AccountPages.finishSignIn(
              uri.getRequestUri().getRawPath(), PersonSession.csrf(request), answer, null));
    }
    return finish(connectionId, answer, login);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(
      summary = "The callback's sign-in form",
      description =
          "The member who started the connect signs in; the provider's answer comes with the form.")
  public Response signIn(
      @PathParam("connection") String connectionId, MultivaluedMap<String, String> form) {
    if (accounts == null) {
      return unavailable();
    }
    Map<String, String> answer = answer(form);
    String action = uri.getRequestUri().getRawPath();
    if (!PersonSession.csrfOk(request, form.getFirst("csrf"))) {
      return html(
          403,
          AccountPages.finishSignIn(
              action,
              PersonSession.csrf(request),
              answer,
              "The form expired or was not sent by this page. Sign in again."));
    }
    Verdict v =
        PersonSession.signIn(request, members, form.getFirst("login"), form.getFirst("password"));
    if (v != Verdict.SIGNED_IN) {
      return html(
          v == Verdict.LOCKED ? 429 : 401,
          AccountPages.finishSignIn(
              action, PersonSession.csrf(request), answer, PersonSession.refusal(v)));
    }
    return finish(connectionId, answer, PersonSession.login(request));
  }

  private Response finish(String connectionId, Map<String, String> answer, String login) {
    ConnectFlow.Result r =
        accounts
            .flow()
            .callback(
                connectionId,
                answer,
                login,
                (org, id) -> registry.organization(org).flatMap(o -> o.connection(id)));
    return switch (r) {
      case ConnectFlow.Result.Connected c ->
          html(
              200,
              AccountPages.result(
                  c.reauthorized() ? "Account re-authorized" : "Account connected",
                  "\""
                      + c.account().name()
                      + "\" is "
                      + (c.reauthorized() ? "authorized again." : "connected."),
                  "/accounts/"
                      + enc(c.account().organizationId())
                      + "/"
                      + enc(c.account().connectionId())));
      case ConnectFlow.Result.Failed f ->
          html(f.status(), AccountPages.result(f.title(), f.message(), null));
    };
  }

  /** The provider's answer: the parameters the callback reads, each once, empty ones left out. */
  private static Map<String, String> answer(MultivaluedMap<String, String> parameters) {
    Map<String, String> answer = new LinkedHashMap<>();
    for (String name : ANSWER) {
      String value = parameters.getFirst(name);
      if (value != null && !value.isEmpty()) {
        answer.put(name, value);
      }
    }
    return answer;
  }

  private static Response unavailable() {
    return html(
        503,
        AccountPages.error(
            "Accounts need the runtime's private key (conduit.sealing.private-key)."));
  }

  private static Response html(int status, String page) {
    return AccountPagesResource.html(status, page);
  }

  private static String enc(String s) {
    return AccountPagesResource.enc(s);
  }
}
