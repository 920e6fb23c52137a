package dev.conduit.runtime.web.organization;

import dev.conduit.bundle.Application;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.alerts.Deliveries;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.auth.Unauthorized;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.Invoker;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedApi;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.Refusal;
import dev.conduit.runtime.limits.Paging;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import dev.conduit.runtime.web.CallAccounts;
import dev.conduit.runtime.web.CallLog;
import dev.conduit.runtime.web.Envelopes;
import dev.conduit.runtime.web.Json;
import dev.conduit.runtime.web.RequestIds;
import dev.conduit.runtime.web.invoke.InvokeResource;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What people do with an organization's integrations: Test API and "Get Access Token" (owner or
 * admin), request logs (owner or admin), usage references and the library (members), the loaded
 * bundle's state and reload (admin). People sign in with HTTP Basic against the user registry; what
 * they may do comes from the bundle (admins, connection owners, members).
 */
@Path("/api/v1/organizations/{organization}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Organization",
    description = "For members, connection owners and admins (HTTP Basic: a person's account)")
@SecurityScheme(
    securitySchemeName = "member",
    type = SecuritySchemeType.HTTP,
    scheme = "basic",
    description = "A person's account in the runtime's user registry")
@SecurityRequirement(name = "member")
public class OrganizationResource {

  @Inject Accounts accounts;

  @Inject CallLog callLog;

  @Inject Alerts alerts;

  @Inject Deliveries deliveries;

  @Inject RuntimeConfig config;

  @Inject Invoker invoker;

  @Inject RequestLogStore logStore;

  @Inject RequestLogWriter logWriter;

  @Inject Members members;

  @Inject BundleRegistry registry;

  @Context HttpServletRequest request;

  /**
   * The organization and the caller, checked: 401 without a valid account, 403 without the right.
   */
  private record Caller(LoadedOrganization org, String login) {}

  private enum Right {
    MEMBER,
    ADMIN
  }

  private Caller caller(String organizationId, Right right) throws Unauthorized {
    String login = members.login(request);
    LoadedOrganization org =
        registry
            .organization(organizationId)
            .orElseThrow(
                () ->
                    new Unauthorized(
                        403,
                        "no organization " + organizationId + " here, or you are not its member"));
    if (!org.isMember(login)) {
      throw new Unauthorized(
          403, login + " is not a member of " + org.bundle().organization().name());
    }
    if (right == Right.ADMIN && !org.isAdmin(login)) {
      throw new Unauthorized(
          403, "only admins of " + org.bundle().organization().name() + " may do this");
    }
    return new Caller(org, login);
  }

  private static PreparedConnection managed(Caller c, String connectionId)
      throws Unauthorized, Unavailable {
    Connection declared =
        c.org()
            .bundle()
            .connection(connectionId)
            .orElseThrow(
                () -> new Unauthorized(403, "no connection " + connectionId + " you may manage"));
    if (!c.org().mayManage(c.login(), connectionId)) {
      throw new Unauthorized(
          403,
          "only the owner of "
              + connectionId
              + " ("
              + declared.owner()
              + ") or an admin may do this");
    }
    return c.org()
        .connection(connectionId)
        .orElseThrow(
            () ->
                new Unavailable(
                    "the connection \""
                        + connectionId
                        + "\" is unavailable: "
                        + c.org().unavailable(connectionId).orElse("not prepared")));
  }

  /** A connection its owner or an admin manages, which could not be prepared: they are told why. */
  private static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }

    Response response(String requestId) {
      return Envelopes.error(
          ErrorCode.CONNECTION_UNAVAILABLE.status(),
          ErrorCode.CONNECTION_UNAVAILABLE.name(),
          getMessage(),
          List.of(),
          requestId);
    }
  }

  @GET
  @Path("/connections")
  @Operation(
      summary = "The organization's connections and APIs",
      description =
          "For members: what exists, who owns it, "
              + "which applications are granted, each API's status, and whether the connection is available (one that could "
              + "not be prepared at bundle load is not; admins read why at /bundle). No parameter values.")
  public Response connections(@PathParam("organization") String organizationId) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Connection conn : c.org().bundle().connections()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", conn.id());
        m.put("available", c.org().unavailable(conn.id()).isEmpty());
        m.put("name", conn.name());
        m.put("owner", conn.owner());
        m.put("auth", InvokeResource.authType(conn.auth()));
        m.put("installedFrom", conn.installedFrom());
        m.put("grants", conn.grants());
        m.put(
            "apis",
            conn.apis().stream()
                .map(
                    a ->
                        Map.of(
                            "id",
                            a.id(),
                            "name",
                            a.name(),
                            "status",
                            a.status().name(),
                            "enabled",
                            a.enabled()))
                .toList());
        list.add(m);
      }
      return Envelopes.ok(list, requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  @POST
  @Path("/connections/{connection}/apis/{api}/test")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Test API",
      description =
          "Runs an API with test inputs, whatever its status, and returns the "
              + "request as sent (secrets masked), the raw response and the outputs. For the connection owner and admins.")
  @APIResponse(
      responseCode = "200",
      description = "{request, response, outputs} or {request, response, error}")
  @APIResponse(
      responseCode = "400",
      description = "The body is not a JSON object in UTF-8, or has a key twice")
  @APIResponse(
      responseCode = "413",
      description = "The body is larger than conduit.invoke.max-request-bytes")
  @APIResponse(
      responseCode = "415",
      description =
          "The body is not sent as application/json (a missing Content-Type is read as JSON)")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not the connection's owner or an admin")
  @APIResponse(
      responseCode = "503",
      description =
          "CONNECTION_UNAVAILABLE: not prepared at bundle load; the reason is in the message")
  public Response test(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("api") String apiId,
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam(CallAccounts.HEADER) String accountHeader,
      @QueryParam("account") String accountQuery,
      InputStream body) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      PreparedConnection conn = managed(c, connectionId);
      PreparedApi api = conn.api(apiId);
      if (api == null) {
        return Envelopes.error(
            404, ErrorCode.NOT_FOUND.name(), "no API " + apiId, List.of(), requestId);
      }
      Map<String, Object> inputs;
      try {
        inputs = Json.object(contentType, body, config.maxRequestBytes());
      } catch (Json.BadBody e) {
        return Envelopes.error(e.status, e.code, e.getMessage(), List.of(), requestId);
      }
      String account; // the tester's own account
      try {
        account =
            CallAccounts.forPerson(
                accounts, conn, c.login(), CallAccounts.named(accountHeader, accountQuery));
      } catch (Refusal r) {
        return Envelopes.error(r.status(), r.code(), r.getMessage(), List.of(), requestId);
      }
      Outcome outcome =
          account == null
              ? invoker.invoke(conn, api, inputs)
              : invoker.invoke(conn, api, inputs, account);
      callLog.record(
          new CallLog.Call(
              requestId, "test", conn, apiId, null, CallLog.caller(c.login(), account)),
          outcome);
      Map<String, Object> result = outcome.exchange().asMap();
      result.put("status", api.api().status().name());
      result.put("enabled", api.api().enabled());
      switch (outcome) {
        case Outcome.Success s -> result.put("outputs", s.data());
        case Outcome.Failure f -> {
          Map<String, Object> error =
              Envelopes.errorBody(f.code().name(), f.message(), f.details());
          error.put("httpStatus", f.status());
          result.put("error", error);
        }
      }
      return Envelopes.ok(result, requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    } catch (Unavailable u) {
      return u.response(requestId);
    }
  }

  @POST
  @Path("/connections/{connection}/token-test")
  @Operation(
      summary = "Get Access Token",
      description =
          "Tests an OAuth 2.0 client-credentials connection's token "
              + "request (the seed's button): a fresh token is fetched; the exchange comes back with the token masked.")
  public Response tokenTest(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      PreparedConnection conn = managed(c, connectionId);
      Outcome outcome = invoker.getAccessToken(conn);
      if (outcome instanceof Outcome.Failure f && f.code() == ErrorCode.NOT_CLIENT_CREDENTIALS) {
        return Envelopes.failure(f, requestId);
      }
      callLog.record(
          new CallLog.Call(requestId, "token-test", conn, null, null, c.login()), outcome);
      Map<String, Object> result = outcome.exchange().asMap();
      result.put("ok", outcome instanceof Outcome.Success);
      switch (outcome) {
        case Outcome.Success s ->
            result.put("token", s.data()); // access_token masked, expiresAt, expiresInSeconds
        case Outcome.Failure f -> result.put("error", f.message());
      }
      return Envelopes.ok(result, requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    } catch (Unavailable u) {
      return u.response(requestId);
    }
  }

  @GET
  @Path("/logs")
  @Operation(
      summary = "Request logs",
      description =
          "Newest first. Admins see every connection; an owner sees the "
              + "connections they own (give ?connection=). Filters: connection, api, status (e.g. 502, or 5xx), from/to "
              + "(ISO-8601), limit (max 500), offset.")
  @APIResponse(responseCode = "200", description = "the matching logs, without bodies")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Neither an admin nor the connection's owner")
  public Response logs(
      @PathParam("organization") String organizationId,
      @QueryParam("connection") String connectionId,
      @QueryParam("api") String apiId,
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      if (connectionId == null
          ? !c.org().isAdmin(c.login())
          : !c.org().mayManage(c.login(), connectionId)) {
        throw new Unauthorized(
            403,
            connectionId == null
                ? "only admins see every connection's logs: add ?connection="
                : "only the owner of " + connectionId + " or an admin sees its logs");
      }
      Paging.Window window = Paging.window(limit, offset, 50, 500);
      Integer st = null;
      boolean stClass = false;
      if (status != null && !status.isBlank()) {
        if (status.matches("[1-5]xx")) {
          st = (status.charAt(0) - '0') * 100;
          stClass = true;
        } else if (status.matches("\\d{3}")) {
          st = Integer.parseInt(status);
        } else {
          return Envelopes.error(
              400, "BAD_FILTER", "status is a code (502) or a class (5xx)", List.of(), requestId);
        }
      }
      Long fromMs;
      Long toMs;
      try {
        fromMs = from == null ? null : Instant.parse(from).toEpochMilli();
        toMs = to == null ? null : Instant.parse(to).toEpochMilli();
      } catch (DateTimeParseException e) {
        return Envelopes.error(
            400,
            "BAD_FILTER",
            "from and to are ISO-8601 instants, e.g. 2026-11-23T00:00:00Z",
            List.of(),
            requestId);
      }
      var filter =
          new RequestLogStore.Filter(
              organizationId,
              connectionId,
              apiId,
              st,
              stClass,
              fromMs,
              toMs,
              window.limit(),
              window.offset());
      List<Map<String, Object>> out = logStore.list(filter).stream().map(l -> summary(l)).toList();
      return Envelopes.ok(Map.of("logs", out, "dropped", logWriter.dropped()), requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    } catch (Paging.BadPage b) {
      return Envelopes.error(b, requestId);
    }
  }

  @GET
  @Path("/logs/{id}")
  @Operation(
      summary = "One request log",
      description = "With the request as sent and the response received (masked, capped).")
  public Response log(
      @PathParam("organization") String organizationId, @PathParam("id") String id) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      RequestLog l = logStore.get(organizationId, id).orElse(null);
      if (l == null) {
        return Envelopes.error(
            404, ErrorCode.NOT_FOUND.name(), "no request log " + id, List.of(), requestId);
      }
      if (!c.org().mayManage(c.login(), l.connectionId())) {
        throw new Unauthorized(
            403, "only the owner of " + l.connectionId() + " or an admin reads its logs");
      }
      Map<String, Object> m = summary(l);
      m.put("request", Json.read(l.request()));
      m.put("response", Json.read(l.response()));
      return Envelopes.ok(m, requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  private static Map<String, Object> summary(RequestLog l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.id());
    m.put("at", Instant.ofEpochMilli(l.atMillis()).toString());
    m.put("kind", l.kind());
    m.put("connection", l.connectionId());
    m.put("api", l.apiId());
    m.put("application", l.applicationId());
    m.put("caller", l.caller());
    m.put("status", l.status());
    m.put("outcome", l.outcome());
    m.put("durationMillis", l.durationMillis());
    m.put("tokenRefreshed", l.tokenRefreshed());
    m.put("error", l.error());
    return m;
  }

  @GET
  @Path("/alerts")
  @Operation(
      summary = "Error alerts",
      description =
          "Alerts sent to connection owners (throttled per error type). "
              + "Admins see all; owners give ?connection=. Newest first: limit (1-500, 200), offset.")
  public Response alerts(
      @PathParam("organization") String organizationId,
      @QueryParam("connection") String connectionId,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      if (connectionId == null
          ? !c.org().isAdmin(c.login())
          : !c.org().mayManage(c.login(), connectionId)) {
        throw new Unauthorized(403, "only the connection's owner or an admin reads its alerts");
      }
      Paging.Window w = Paging.window(limit, offset, 200, 500);
      return Envelopes.ok(
          alerts.list(
              organizationId,
              connectionId == null ? null : List.of(connectionId),
              w.limit(),
              w.offset()),
          requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    } catch (Paging.BadPage b) {
      return Envelopes.error(b, requestId);
    }
  }

  @POST
  @Path("/alerts/{alert}/read")
  @Operation(
      summary = "Mark an alert read",
      description = "For the connection's owner, an admin, or the person the alert was sent to.")
  public Response readAlert(
      @PathParam("organization") String organizationId, @PathParam("alert") String alertId) {
    return alertState(organizationId, alertId, false);
  }

  @POST
  @Path("/alerts/{alert}/acknowledge")
  @Operation(
      summary = "Acknowledge an alert",
      description =
          "Someone is on it: records who and when (the first acknowledgement stays); also marks"
              + " it read.")
  public Response acknowledgeAlert(
      @PathParam("organization") String organizationId, @PathParam("alert") String alertId) {
    return alertState(organizationId, alertId, true);
  }

  private Response alertState(String organizationId, String alertId, boolean acknowledge) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      var alert = alerts.get(organizationId, alertId).orElse(null);
      if (alert == null) {
        return Envelopes.error(
            404, ErrorCode.NOT_FOUND.name(), "no alert " + alertId, List.of(), requestId);
      }
      if (!c.org().mayChangeAlert(c.login(), alert.owner(), alert.connectionId())) {
        throw new Unauthorized(
            403, "only the owner of " + alert.connectionId() + " or an admin changes its alerts");
      }
      if (acknowledge) {
        alerts.acknowledge(organizationId, alertId, c.login());
      } else {
        alerts.markRead(organizationId, alertId);
      }
      return Envelopes.ok(alerts.get(organizationId, alertId).orElseThrow(), requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  @GET
  @Path("/alerts/undelivered")
  @Operation(
      summary = "Alert deliveries not sent",
      description =
          "Admins only: mails and webhook posts still being retried (pending) and those whose"
              + " retries ran out (dead), each with its last error. limit (1-500, 200), offset.")
  public Response undeliveredAlerts(
      @PathParam("organization") String organizationId,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      if (!c.org().isAdmin(c.login())) {
        throw new Unauthorized(403, "only an admin reads undelivered alerts");
      }
      Paging.Window w = Paging.window(limit, offset, 200, 500);
      return Envelopes.ok(deliveries.undelivered(organizationId, w.limit(), w.offset()), requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    } catch (Paging.BadPage b) {
      return Envelopes.error(b, requestId);
    }
  }

  @GET
  @Path("/connections/{connection}/apis/{api}/references")
  @Operation(
      summary = "Usage references",
      description = "The worksheets and workflows that use an API.")
  public Response references(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("api") String apiId) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.MEMBER);
      List<Map<String, Object>> refs = new ArrayList<>();
      for (Application app : c.org().bundle().applications()) {
        for (Application.Usage u : app.uses()) {
          if (u.connection().equals(connectionId) && u.api().equals(apiId)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("application", app.id());
            m.put("applicationName", app.name());
            m.put("kind", u.kind());
            m.put("name", u.name());
            m.put("element", u.element());
            m.put("link", u.link());
            refs.add(m);
          }
        }
      }
      return Envelopes.ok(refs, requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  @GET
  @Path("/library")
  @Operation(
      summary = "The organization library",
      description = "Entries that members can install, with their guides and APIs.")
  public Response library(@PathParam("organization") String organizationId) {
    String requestId = RequestIds.next();
    try {
      return Envelopes.ok(caller(organizationId, Right.MEMBER).org().bundle().library(), requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  @GET
  @Path("/bundle")
  @Operation(
      summary = "The loaded bundle",
      description =
          "Source commit, content hash, when it was loaded, the last "
              + "refusal of a whole bundle, and the connections of the served bundle that could not be prepared, with why.")
  @APIResponse(
      responseCode = "200",
      description =
          "{path, organization, ..., unavailableConnections: [{connection, reason}], lastError, lastErrorAt}")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not an admin of the organization")
  public Response bundle(@PathParam("organization") String organizationId) {
    String requestId = RequestIds.next();
    try {
      Caller c = caller(organizationId, Right.ADMIN);
      return Envelopes.ok(
          state(
              registry.states().stream()
                  .filter(s -> s.path().equals(c.org().path()))
                  .findFirst()
                  .orElseThrow()),
          requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  @POST
  @Path("/bundle/reload")
  @Operation(
      summary = "Reload the bundle",
      description =
          "Reads the organization's bundle file again. A bundle that "
              + "fails to load is refused with its reason and the last good one keeps serving.")
  @APIResponse(responseCode = "200", description = "loaded")
  @APIResponse(
      responseCode = "422",
      description = "refused: the reason is in error.message; the old bundle still serves")
  public Response reload(@PathParam("organization") String organizationId) {
    String requestId = RequestIds.next();
    try {
      caller(organizationId, Right.ADMIN);
      BundleRegistry.PathState s = registry.reload(organizationId).orElseThrow();
      if (s.lastError() != null) {
        return Envelopes.error(422, "BUNDLE_REFUSED", s.lastError(), List.of(), requestId);
      }
      return Envelopes.ok(state(s), requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  static Map<String, Object> state(BundleRegistry.PathState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", s.path());
    if (s.current() != null) {
      var b = s.current().bundle();
      m.put("organization", b.organization().id());
      m.put("name", b.organization().name());
      m.put("commit", b.source().commit());
      m.put("contentHash", b.source().contentHash());
      m.put("loadedAt", s.current().loadedAt().toString());
      m.put("connections", b.connections().size());
      m.put("apis", b.connections().stream().mapToInt(c -> c.apis().size()).sum());
      m.put(
          "unavailableConnections",
          s.current().unavailable().entrySet().stream()
              .map(e -> Map.of("connection", e.getKey(), "reason", e.getValue()))
              .toList());
    }
    m.put("lastError", s.lastError());
    m.put("lastErrorAt", s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
    return m;
  }
}
