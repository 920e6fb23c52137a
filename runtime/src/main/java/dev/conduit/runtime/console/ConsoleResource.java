package dev.conduit.runtime.console;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.auth.PersonSession;
import dev.conduit.runtime.console.Gate.Page;
import dev.conduit.runtime.console.Gate.Refused;
import dev.conduit.runtime.console.Gate.SignInFirst;
import dev.conduit.runtime.identity.SignInThrottle.Verdict;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.Invoker;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedApi;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import dev.conduit.runtime.web.CallLog;
import dev.conduit.runtime.web.RequestIds;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
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
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console at /console: server-rendered pages for the people who run integrations (docs/
 * console.md). One sign-in with the accounts pages (the same session); each page checks the
 * organization's permissions exactly as the JSON API does. Every form posts the session's CSRF
 * token.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Console", description = "The console's pages (docs/console.md)")
public class ConsoleResource {

  @Inject BundleRegistry registry;

  @Inject Invoker invoker;

  @Inject CallLog callLog;

  @Inject RequestLogStore logStore;

  @Inject Alerts alerts;

  // null when the runtime has no private key
  @Inject Accounts accounts;

  @Inject java.time.Clock clock;

  @Inject Members members;

  @Context HttpServletRequest request;

  private View view(String organizationId) throws Refused, SignInFirst {
    return Gate.view(registry, request, organizationId);
  }

  private Response page(Page p) {
    return Gate.render(request, p);
  }

  @GET
  @Operation(summary = "Console: the organizations of the signed-in person (or sign in)")
  public Response home() {
    String login = PersonSession.login(request);
    if (login == null) {
      return Frame.html(200, SignInPage.html(PersonSession.csrf(request), null, Frame.BASE));
    }
    List<LoadedOrganization> mine =
        registry.organizations().stream().filter(o -> o.isMember(login)).toList();
    return Frame.html(
        mine.isEmpty() ? 403 : 200,
        SignInPage.organizations(login, PersonSession.csrf(request), mine));
  }

  @GET
  @Path("assets/console.css")
  @Produces("text/css")
  @Operation(summary = "Console: its style sheet")
  public Response css() throws IOException {
    try (InputStream in = ConsoleResource.class.getResourceAsStream("console.css")) {
      return Response.ok(in.readAllBytes(), "text/css; charset=utf-8")
          .header("Cache-Control", "max-age=3600")
          .header("X-Content-Type-Options", "nosniff")
          .build();
    }
  }

  @POST
  @Path("sign-in")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: sign-in form")
  public Response signIn(MultivaluedMap<String, String> form) {
    String next = NextPath.orHome(form.getFirst("next")); // no open redirect, no header injection
    if (!PersonSession.csrfOk(request, form.getFirst("csrf"))) {
      return Frame.html(
          403,
          SignInPage.html(PersonSession.csrf(request), "The form expired. Sign in again.", next));
    }
    Verdict v =
        PersonSession.signIn(request, members, form.getFirst("login"), form.getFirst("password"));
    if (v != Verdict.SIGNED_IN) {
      return Frame.html(
          v == Verdict.LOCKED ? 429 : 401,
          SignInPage.html(PersonSession.csrf(request), PersonSession.refusal(v), next));
    }
    return Frame.seeOther(next);
  }

  @POST
  @Path("sign-out")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: sign out")
  public Response signOut(MultivaluedMap<String, String> form) {
    if (PersonSession.csrfOk(request, form.getFirst("csrf"))) {
      PersonSession.signOut(request);
    }
    return Frame.seeOther(Frame.BASE);
  }

  @GET
  @Path("{organization}")
  @Operation(summary = "Console: the connections (paginated, ?q= to search)")
  public Response connections(
      @PathParam("organization") String organizationId,
      @QueryParam("q") String q,
      @QueryParam("page") String pageNumber) {
    return page(
        () ->
            Frame.html(
                200,
                ConnectionPages.list(
                    view(organizationId), q, Gate.page(pageNumber, ConnectionPages.PAGE_SIZE))));
  }

  @GET
  @Path("{organization}/connections/{connection}")
  @Operation(summary = "Console: a connection")
  public Response connection(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId) {
    return page(
        () -> {
          View v = view(organizationId);
          Connection c = declared(v, connectionId);
          return Frame.html(200, ConnectionPages.connection(v, c, null));
        });
  }

  @POST
  @Path("{organization}/connections/{connection}/token")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: Get Access Token (owner or admin)")
  public Response token(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      MultivaluedMap<String, String> form) {
    return page(
        () -> {
          View v = view(organizationId);
          Connection c = declared(v, connectionId);
          PreparedConnection conn = managed(v, c, form);
          String requestId = RequestIds.next();
          Outcome outcome = invoker.getAccessToken(conn);
          if (!(outcome instanceof Outcome.Failure f
              && f.code() == ErrorCode.NOT_CLIENT_CREDENTIALS)) {
            callLog.record(
                new CallLog.Call(requestId, "token-test", conn, null, null, v.login()), outcome);
          }
          return Frame.html(
              200,
              ConnectionPages.connection(
                  v, c, ConnectionPages.token(outcome, outcome.exchange().asMap())));
        });
  }

  @GET
  @Path("{organization}/connections/{connection}/apis/{api}")
  @Operation(summary = "Console: an API, with the Test API form for its owner and admins")
  public Response api(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("api") String apiId) {
    return page(
        () -> {
          View v = view(organizationId);
          Connection c = declared(v, connectionId);
          return Frame.html(200, ApiPage.html(v, c, api(c, apiId), null));
        });
  }

  @POST
  @Path("{organization}/connections/{connection}/apis/{api}/test")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: Test API form (owner or admin)")
  public Response test(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("api") String apiId,
      MultivaluedMap<String, String> form) {
    return page(
        () -> {
          View v = view(organizationId);
          Connection c = declared(v, connectionId);
          Api declaredApi = api(c, apiId);
          PreparedConnection conn = managed(v, c, form);
          if (form.getFirst("add-row") != null) { // a row more, nothing run
            return Frame.html(
                200,
                ApiPage.html(v, c, declaredApi, new ApiPage.Run(form, null, null, Map.of(), null)));
          }
          return Frame.html(200, ApiPage.html(v, c, declaredApi, run(v, conn, apiId, form)));
        });
  }

  private ApiPage.Run run(
      View v, PreparedConnection conn, String apiId, MultivaluedMap<String, String> form) {
    PreparedApi api = conn.api(apiId);
    TestForm.Read read = TestForm.read(api.api().inputs(), form);
    String account = null;
    if (conn.connection().auth() instanceof Auth.AuthorizationCode) {
      if (accounts == null) {
        return new ApiPage.Run(
            form, null, null, Map.of(), "Accounts need the runtime's private key.");
      }
      try {
        account = accounts.forPerson(conn, v.login(), form.getFirst("account")).id();
      } catch (Accounts.Refused r) {
        return new ApiPage.Run(form, null, null, Map.of(), r.getMessage());
      }
    }
    String requestId = RequestIds.next();
    Outcome outcome =
        account == null
            ? invoker.invoke(conn, api, read.inputs())
            : invoker.invoke(conn, api, read.inputs(), account);
    callLog.record(
        new CallLog.Call(requestId, "test", conn, apiId, null, CallLog.caller(v.login(), account)),
        outcome);
    Map<String, List<String>> errors =
        outcome instanceof Outcome.Failure f && f.code() == ErrorCode.INVALID_INPUT
            ? TestForm.errorsByField(f.details(), read)
            : Map.of();
    return new ApiPage.Run(form, outcome, outcome.exchange().asMap(), errors, null);
  }

  @GET
  @Path("{organization}/logs")
  @Operation(summary = "Console: request logs with filters and a chart (owner or admin)")
  public Response logs(
      @PathParam("organization") String organizationId,
      @QueryParam("connection") String connection,
      @QueryParam("api") String api,
      @QueryParam("application") String application,
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("page") String pageNumber) {
    return page(
        () -> {
          View v = view(organizationId);
          if (!v.isAdmin() && v.managed().isEmpty()) {
            throw new Refused(403, "Request logs are for connection owners and admins.");
          }
          int p = Gate.page(pageNumber, LogPages.PAGE_SIZE);
          LogPages.Filters f =
              LogPages.Filters.read(v, connection, api, application, status, from, to, p);
          return Frame.html(200, LogPages.page(v, f, logStore, clock.millis()));
        });
  }

  @GET
  @Path("{organization}/logs/{id}")
  @Operation(summary = "Console: one request log (masked)")
  public Response log(
      @PathParam("organization") String organizationId, @PathParam("id") String id) {
    return page(
        () -> {
          View v = view(organizationId);
          RequestLog l =
              logStore
                  .get(organizationId, id)
                  .orElseThrow(() -> new Refused(404, "There is no request log " + id + "."));
          if (!v.mayManage(l.connectionId())) {
            throw new Refused(
                403, "Only the owner of " + l.connectionId() + " or an admin reads its logs.");
          }
          return Frame.html(200, LogPages.detail(v, l, LogExchange.of(l)));
        });
  }

  @GET
  @Path("{organization}/alerts")
  @Operation(summary = "Console: alerts, with acknowledge (owner or admin)")
  public Response alerts(
      @PathParam("organization") String organizationId, @QueryParam("page") String pageNumber) {
    return page(
        () -> {
          View v = view(organizationId);
          if (!v.isAdmin() && v.managed().isEmpty()) {
            throw new Refused(403, "Alerts are for connection owners and admins.");
          }
          int p = Gate.page(pageNumber, LogPages.ALERTS_PAGE);
          return Frame.html(200, LogPages.alerts(v, alerts, p));
        });
  }

  @POST
  @Path("{organization}/alerts/{alert}/acknowledge")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: acknowledge an alert (its recipient, the owner or an admin)")
  public Response acknowledge(
      @PathParam("organization") String organizationId,
      @PathParam("alert") String alertId,
      MultivaluedMap<String, String> form) {
    return page(
        () -> {
          View v = view(organizationId);
          Gate.formFromThisSession(request, form);
          Alerts.Alert a =
              alerts
                  .get(organizationId, alertId)
                  .orElseThrow(() -> new Refused(404, "There is no alert " + alertId + "."));
          if (!v.org().mayChangeAlert(v.login(), a.owner(), a.connectionId())) {
            throw new Refused(
                403,
                "Only the owner of " + a.connectionId() + " or an admin acknowledges its alerts.");
          }
          alerts.acknowledge(organizationId, alertId, v.login());
          return Frame.seeOther(
              v.orgBase()
                  + "/alerts?acknowledged="
                  + Frame.enc(alertId)
                  + "#alert-"
                  + Frame.enc(alertId));
        });
  }

  private static Connection declared(View v, String connectionId) throws Refused {
    return v.org()
        .bundle()
        .connection(connectionId)
        .orElseThrow(() -> new Refused(404, "There is no connection " + connectionId + "."));
  }

  private static Api api(Connection c, String apiId) throws Refused {
    return c.api(apiId)
        .orElseThrow(
            () -> new Refused(404, "The connection " + c.id() + " has no API " + apiId + "."));
  }

  /** The prepared connection, for its owner or an admin posting this page's form. */
  private PreparedConnection managed(View v, Connection c, MultivaluedMap<String, String> form)
      throws Refused {
    if (!PersonSession.csrfOk(request, form.getFirst("csrf"))) {
      throw new Refused(403, "The form expired or was not sent by this page. Open the page again.");
    }
    if (!v.mayManage(c.id())) {
      throw new Refused(
          403, "Only the owner of " + c.id() + " (" + c.owner() + ") or an admin may do this.");
    }
    return v.org()
        .connection(c.id())
        .orElseThrow(
            () ->
                new Refused(
                    503,
                    "The connection "
                        + c.id()
                        + " is unavailable: "
                        + v.org().unavailable(c.id()).orElse("not prepared")));
  }
}
