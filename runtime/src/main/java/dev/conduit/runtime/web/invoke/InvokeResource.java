package dev.conduit.runtime.web.invoke;

import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.auth.Applications;
import dev.conduit.runtime.auth.Unauthorized;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.Invoker;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedApi;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.Refusal;
import dev.conduit.runtime.invoke.TokenManager;
import dev.conduit.runtime.limits.Bulkhead;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import dev.conduit.runtime.web.BodyReader;
import dev.conduit.runtime.web.CallAccounts;
import dev.conduit.runtime.web.CallLog;
import dev.conduit.runtime.web.Envelopes;
import dev.conduit.runtime.web.Json;
import dev.conduit.runtime.web.RequestIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What applications call (the seed's worksheet API Query and workflow nodes): invoke an API of a
 * connection they are granted, or take the connection's current auth values.
 */
@Path("/api/v1/connections/{connection}")
@ApplicationScoped // one instance: no per-request construction and injection on the hot path
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Applications",
    description = "Calls made by authorized applications (HTTP Basic: application key and secret)")
@SecurityScheme(
    securitySchemeName = "application",
    type = SecuritySchemeType.HTTP,
    scheme = "basic",
    description = "The application's key as user name and its secret as password")
@SecurityRequirement(name = "application")
public class InvokeResource {

  @Inject Accounts accounts;

  @Inject CallLog callLog;

  @Inject RuntimeConfig config;

  @Inject Invoker invoker;

  @Inject Bulkhead perApplication;

  @Inject BundleRegistry registry;

  @POST
  @Path("/apis/{api}/invoke")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Invoke an API",
      description =
          "The body holds the inputs by alias. Only published, enabled "
              + "APIs of connections granted to the calling application can be invoked.")
  @RequestBody(description = "Inputs by alias, e.g. {\"city\": \"Shanghai\"}")
  @APIResponse(
      responseCode = "200",
      description = "{\"success\":true,\"data\":{outputs},\"requestId\"}")
  @APIResponse(
      responseCode = "400",
      description =
          "Invalid inputs (every invalid field in error.details), or a body "
              + "that is not a JSON object in UTF-8 (duplicate keys refused)")
  @APIResponse(responseCode = "401", description = "No or wrong application credentials")
  @APIResponse(responseCode = "403", description = "The application is not granted the connection")
  @APIResponse(
      responseCode = "404",
      description = "No such connection or API, or the API is disabled")
  @APIResponse(
      responseCode = "408",
      description = "The body did not arrive within conduit.invoke.body-read-seconds")
  @APIResponse(
      responseCode = "409",
      description =
          "The API is a draft, or an authorization-code connection's call "
              + "names no account (header X-Conduit-Account or query parameter account) or one that needs re-authorization")
  @APIResponse(
      responseCode = "413",
      description = "The body is larger than conduit.invoke.max-request-bytes")
  @APIResponse(
      responseCode = "415",
      description =
          "The body is not sent as application/json (a missing Content-Type is read as JSON)")
  @APIResponse(responseCode = "422", description = "A code block failed")
  @APIResponse(
      responseCode = "429",
      description = "The application has too many calls in flight (Retry-After)")
  @APIResponse(
      responseCode = "502",
      description =
          "The upstream failed (status and excerpt in the message), its answer "
              + "was not the JSON the outputs read, or the connection broke after the request was sent")
  @APIResponse(
      responseCode = "503",
      description =
          "CONNECTION_UNAVAILABLE: the connection could not be prepared at bundle "
              + "load; UPSTREAM_BUSY: the connection has too many calls in flight (Retry-After);"
              + " UPSTREAM_CIRCUIT_OPEN: its upstream failed repeatedly, calls are refused until a"
              + " probe succeeds; CODE_BLOCK_UNAVAILABLE")
  @APIResponse(
      responseCode = "504",
      description =
          "The call did not finish within the API's timeoutSeconds (the message "
              + "names the step: token request, code block or upstream call)")
  public Response invoke(
      @PathParam("connection") String connectionId,
      @PathParam("api") String apiId,
      @HeaderParam("Authorization") String authorization,
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam(CallAccounts.HEADER) String accountHeader,
      @QueryParam("account") String accountQuery,
      InputStream body) {
    // Synchronous on the request thread, which then waits on the upstream. A suspended
    // AsyncResponse costs a hand-over between threads for every call (Liberty resumes it on
    // another executor thread), more than the wait it would free: docs/runtime-invoke.md. What
    // one caller or upstream may hold is bounded instead ("Stalls" there).
    String requestId = RequestIds.next();
    Granted granted;
    try {
      granted = granted(authorization, connectionId);
    } catch (Refused r) {
      return r.response(requestId);
    }
    // the application's place is taken before its body is read: a caller sending slow bodies
    // holds at most max-calls-per-application request threads, each for at most the body deadline
    try (Bulkhead.Permit permit = enter(granted.caller())) {
      if (permit == null) {
        return tooManyCalls(granted.caller(), requestId);
      }
      return invoke(
          granted,
          apiId,
          contentType,
          body,
          CallAccounts.named(accountHeader, accountQuery),
          requestId);
    }
  }

  private Response invoke(
      Granted granted,
      String apiId,
      String contentType,
      InputStream body,
      String namedAccount,
      String requestId) {
    BundleRegistry.Hit caller = granted.caller();
    PreparedConnection c = granted.connection();
    PreparedApi api = c.api(apiId);
    if (api == null) {
      return Envelopes.error(
          404,
          ErrorCode.NOT_FOUND.name(),
          "the connection \"" + c.id() + "\" has no API \"" + apiId + "\"",
          List.of(),
          requestId);
    }
    Outcome.Failure refusal = Invoker.refusal(api.api());
    if (refusal != null) {
      return Envelopes.failure(refusal, requestId);
    }
    Map<String, Object> inputs;
    try {
      // the header first: a body the endpoint will refuse is not waited for
      Json.checkType(contentType);
      int max = config.maxRequestBytes();
      byte[] bytes = BodyReader.read(body, max, config.bodyReadSeconds());
      inputs = Json.object(bytes, max);
    } catch (BodyReader.TooSlow e) {
      return Envelopes.error(
          408, ErrorCode.BODY_TIMEOUT.name(), e.getMessage(), List.of(), requestId);
    } catch (IOException e) {
      return Envelopes.error(
          400,
          ErrorCode.INVALID_INPUT.name(),
          "cannot read the request body",
          List.of(),
          requestId);
    } catch (Json.BadBody e) {
      return Envelopes.error(e.status, e.code, e.getMessage(), List.of(), requestId);
    }
    String account;
    try {
      account = CallAccounts.forApplication(accounts, c, caller.application().id(), namedAccount);
    } catch (Refusal r) { // nothing was sent upstream
      return Envelopes.error(r.status(), r.code(), r.getMessage(), List.of(), requestId);
    }
    Outcome outcome =
        account == null ? invoker.invoke(c, api, inputs) : invoker.invoke(c, api, inputs, account);
    callLog.record(
        new CallLog.Call(
            requestId,
            "invoke",
            c,
            apiId,
            caller.application().id(),
            CallLog.caller(caller.application().id(), account)),
        outcome);
    return switch (outcome) {
      case Outcome.Success s -> Envelopes.ok(s.data(), requestId);
      case Outcome.Failure f -> Envelopes.failure(f, requestId);
    };
  }

  @GET
  @Path("/auth-values")
  @Operation(
      summary = "The connection's current auth values",
      description =
          "The seed's \"API Authentication & "
              + "Connection\" workflow node: a granted application takes the connection's current auth values (the access "
              + "token of an OAuth 2.0 connection) to use in its own steps. Every hand-out is logged.")
  @APIResponse(
      responseCode = "200",
      description = "{\"success\":true,\"data\":{\"access_token\":...}}")
  @APIResponse(responseCode = "401", description = "No or wrong application credentials")
  @APIResponse(responseCode = "403", description = "The application is not granted the connection")
  @APIResponse(
      responseCode = "503",
      description = "CONNECTION_UNAVAILABLE: the connection could not be prepared at bundle load")
  public Response authValues(
      @PathParam("connection") String connectionId,
      @HeaderParam("Authorization") String authorization,
      @HeaderParam(CallAccounts.HEADER) String accountHeader,
      @QueryParam("account") String account) {
    String requestId = RequestIds.next();
    Granted granted;
    try {
      granted = granted(authorization, connectionId);
    } catch (Refused r) {
      return r.response(requestId);
    }
    try (Bulkhead.Permit permit = enter(granted.caller())) {
      if (permit == null) {
        return tooManyCalls(granted.caller(), requestId);
      }
      return authValues(granted, CallAccounts.named(accountHeader, account), requestId);
    }
  }

  private Response authValues(Granted granted, String namedAccount, String requestId) {
    BundleRegistry.Hit caller = granted.caller();
    PreparedConnection c = granted.connection();
    String named;
    try {
      named = CallAccounts.forApplication(accounts, c, caller.application().id(), namedAccount);
    } catch (Refusal r) {
      return Envelopes.error(r.status(), r.code(), r.getMessage(), List.of(), requestId);
    }
    Invoker.AuthValues handed =
        invoker.authValues(c, named == null ? TokenManager.CONNECTION_ACCOUNT : named);
    // the log gets the masked outcome; only the response carries the values
    callLog.record(
        new CallLog.Call(
            requestId,
            "auth-values",
            c,
            null,
            caller.application().id(),
            CallLog.caller(caller.application().id(), named)),
        handed.outcome());
    if (handed.outcome() instanceof Outcome.Failure f) {
      return Envelopes.failure(f, requestId);
    }
    Map<String, Object> values = new LinkedHashMap<>(handed.values());
    values.put("type", authType(c.connection().auth()));
    return Envelopes.ok(values, requestId);
  }

  private Bulkhead.Permit enter(BundleRegistry.Hit caller) {
    return perApplication.enter(caller.organization().id() + "/" + caller.application().id());
  }

  private Response tooManyCalls(BundleRegistry.Hit caller, String requestId) {
    return Envelopes.error(
        429,
        ErrorCode.TOO_MANY_CALLS.name(),
        "the application \""
            + caller.application().id()
            + "\" already has "
            + perApplication.limit()
            + " calls in flight, the most it may have "
            + "(conduit.invoke.max-calls-per-application): retry when one has ended",
        List.of(),
        1, // its own calls end all the time: a place is usually free within a second
        requestId);
  }

  /** An authenticated application and a connection of its organization that it is granted. */
  private record Granted(BundleRegistry.Hit caller, PreparedConnection connection) {}

  /** Why a caller may not use a connection: 401, 404, 403 or 503, as a response. */
  private static final class Refused extends Refusal {
    Refused(int status, String code, String message) {
      super(status, code, message);
    }

    Response response(String requestId) {
      return Envelopes.error(status(), code(), getMessage(), List.of(), requestId);
    }
  }

  /** Authenticates the application and finds the connection it is granted in its organization. */
  private Granted granted(String authorization, String connectionId) throws Refused {
    BundleRegistry.Hit caller;
    try {
      caller = Applications.authenticate(registry, authorization);
    } catch (Unauthorized u) {
      throw new Refused(u.status(), "UNAUTHENTICATED", u.getMessage());
    }
    LoadedOrganization org = caller.organization();
    Connection declared =
        org.bundle()
            .connection(connectionId)
            .orElseThrow(
                () ->
                    new Refused(
                        404, ErrorCode.NOT_FOUND.name(), "no connection \"" + connectionId + "\""));
    if (!declared.isGranted(caller.application().id())) {
      throw new Refused(
          403,
          ErrorCode.NOT_GRANTED.name(),
          "the application \""
              + caller.application().id()
              + "\" is not granted the connection \""
              + connectionId
              + "\"");
    }
    PreparedConnection c =
        org.connection(connectionId).orElseThrow(() -> unavailable(org, connectionId));
    return new Granted(caller, c);
  }

  /**
   * A granted connection that could not be prepared. The application is told that, and where an
   * admin reads why; the reason itself (the organization's configuration) is for its people.
   */
  private static Refused unavailable(LoadedOrganization org, String connectionId) {
    return new Refused(
        ErrorCode.CONNECTION_UNAVAILABLE.status(),
        ErrorCode.CONNECTION_UNAVAILABLE.name(),
        "the connection \""
            + connectionId
            + "\" is unavailable: it could not be prepared when the organization's "
            + "bundle was loaded; its admins see why at GET /api/v1/organizations/"
            + org.id()
            + "/bundle");
  }

  public static String authType(Auth auth) {
    return auth.type();
  }
}
