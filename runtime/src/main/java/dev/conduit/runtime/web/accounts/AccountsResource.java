package dev.conduit.runtime.web.accounts;

import dev.conduit.runtime.accounts.Account;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.auth.Unauthorized;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import dev.conduit.runtime.web.Envelopes;
import dev.conduit.runtime.web.Json;
import dev.conduit.runtime.web.RequestIds;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Accounts of an authorization-code connection, for people (HTTP Basic): list, connect, rename and
 * consent, remove, refresh now, re-authorize. The rules are {@link Accounts}'.
 */
@Path("/api/v1/organizations/{organization}/connections/{connection}/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Accounts",
    description = "Per-person accounts of authorization-code connections (docs/accounts.md)")
@SecurityRequirement(name = "member")
public class AccountsResource {

  @Inject Accounts accounts;

  @Inject Members members;

  @Inject BundleRegistry registry;

  @Context HttpServletRequest request;

  /** The signed-in member, their organization and the connection, or a refusal as a response. */
  private record Scope(
      LoadedOrganization org, String login, PreparedConnection connection, Accounts accounts) {}

  private static final class Stop extends Exception {
    final transient Response response;

    Stop(Response response) {
      this.response = response;
    }
  }

  private Scope scope(String organizationId, String connectionId, String requestId) throws Stop {
    try {
      String login = members.login(request);
      LoadedOrganization org =
          registry
              .organization(organizationId)
              .filter(o -> o.isMember(login))
              .orElseThrow(
                  () ->
                      new Unauthorized(
                          403,
                          "no organization "
                              + organizationId
                              + " here, or you are not its member"));
      if (accounts == null) {
        throw new Stop(
            Envelopes.error(
                503,
                "ACCOUNTS_UNAVAILABLE",
                "accounts need the runtime's private key"
                    + " (conduit.sealing.private-key) to encrypt their tokens",
                List.of(),
                requestId));
      }
      return new Scope(org, login, Accounts.connection(org, connectionId), accounts);
    } catch (Unauthorized u) {
      throw new Stop(Envelopes.error(u, requestId));
    } catch (Accounts.Refused r) {
      throw new Stop(Envelopes.error(r.status(), r.code(), r.getMessage(), List.of(), requestId));
    }
  }

  static Map<String, Object> view(Account a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("name", a.name());
    m.put("member", a.member());
    m.put("state", a.state().name());
    m.put("applications", a.applications());
    m.put("expiresAt", a.expiresAt() == null ? null : a.expiresAt().toString());
    m.put("createdAt", a.createdAt().toString());
    return m;
  }

  @FunctionalInterface
  private interface Action {
    Object run(Scope s) throws Accounts.Refused;
  }

  @FunctionalInterface
  private interface BodyAction {
    Object run(Scope s, Map<String, Object> in) throws Accounts.Refused;
  }

  private Response run(String organizationId, String connectionId, Action action) {
    return run(RequestIds.next(), organizationId, connectionId, action);
  }

  private Response run(
      String requestId, String organizationId, String connectionId, Action action) {
    try {
      return Envelopes.ok(action.run(scope(organizationId, connectionId, requestId)), requestId);
    } catch (Stop s) {
      return s.response;
    } catch (Accounts.Refused r) {
      return Envelopes.error(r.status(), r.code(), r.getMessage(), List.of(), requestId);
    }
  }

  /**
   * Like {@link #run} for a request with a JSON object body: a bad body is refused before the scope
   * is looked at.
   */
  private Response runWithBody(
      String organizationId,
      String connectionId,
      String contentType,
      InputStream body,
      BodyAction action) {
    String requestId = RequestIds.next();
    Map<String, Object> in;
    try {
      in = Json.object(contentType, body, 64 * 1024);
    } catch (Json.BadBody e) {
      return Envelopes.error(e.status, e.code, e.getMessage(), List.of(), requestId);
    }
    return run(requestId, organizationId, connectionId, s -> action.run(s, in));
  }

  @GET
  @Operation(
      summary = "List accounts",
      description =
          "A member sees their own accounts; the connection's owner and "
              + "admins see every account of the connection. Never a token.")
  @APIResponse(responseCode = "200", description = "{accounts, connectUrl, redirectUri}")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not a member of the organization")
  @APIResponse(responseCode = "404", description = "No such authorization-code connection")
  public Response list(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId) {
    return run(
        organizationId,
        connectionId,
        s -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put(
              "accounts",
              s.accounts().visible(s.org(), s.login(), s.connection()).stream()
                  .map(AccountsResource::view)
                  .toList());
          out.put(
              "connectUrl", s.accounts().links().connectPage(s.org().id(), s.connection().id()));
          out.put("redirectUri", s.accounts().links().redirectUri(s.connection().id()));
          return out;
        });
  }

  @POST
  @Path("/connect")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Start connecting an account",
      description =
          "Body {name?, applications?}: the applications "
              + "the member allows to use the account (each must be granted the connection). Answers the provider's "
              + "authorization URL to open in the member's browser; the account exists once the provider sent the browser "
              + "back to the callback.")
  @APIResponse(responseCode = "200", description = "{authorizationUrl}")
  @APIResponse(
      responseCode = "400",
      description = "An application that is not granted the connection")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not a member of the organization")
  @APIResponse(responseCode = "404", description = "No such authorization-code connection")
  public Response connect(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @HeaderParam("Content-Type") String contentType,
      InputStream body) {
    return runWithBody(
        organizationId,
        connectionId,
        contentType,
        body,
        (s, in) ->
            Map.of(
                "authorizationUrl",
                s.accounts()
                    .connect(
                        s.org(),
                        s.login(),
                        s.connection(),
                        in.get("name") instanceof String n ? n : null,
                        applications(in))));
  }

  @PATCH
  @Path("/{account}")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Rename an account or change which applications may use it",
      description = "Body {name?, " + "applications?}. The account's member only.")
  @APIResponse(responseCode = "200", description = "The account")
  @APIResponse(
      responseCode = "400",
      description = "An empty name, or an application not granted the connection")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not the account's member")
  @APIResponse(responseCode = "404", description = "No such account (of yours)")
  public Response update(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("account") String accountId,
      @HeaderParam("Content-Type") String contentType,
      InputStream body) {
    return runWithBody(
        organizationId,
        connectionId,
        contentType,
        body,
        (s, in) -> {
          Account a = s.accounts().account(s.org(), s.login(), s.connection(), accountId, false);
          if (in.containsKey("name")) {
            a =
                s.accounts()
                    .rename(
                        s.org(),
                        s.login(),
                        s.connection(),
                        accountId,
                        in.get("name") instanceof String n ? n : null);
          }
          if (in.containsKey("applications")) {
            a = s.accounts().allow(s.org(), s.login(), s.connection(), accountId, applications(in));
          }
          return view(a);
        });
  }

  @DELETE
  @Path("/{account}")
  @Operation(
      summary = "Remove an account",
      description =
          "Revokes its tokens at the provider first when the "
              + "connection has a revocation URL. The member, the connection's owner or an admin.")
  @APIResponse(
      responseCode = "200",
      description = "{removed: true, revocation: null or what went wrong}")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not a member of the organization")
  @APIResponse(responseCode = "404", description = "No such account (of yours)")
  public Response delete(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("account") String accountId) {
    return run(
        organizationId,
        connectionId,
        s -> {
          Map<String, Object> out = new LinkedHashMap<>();
          String problem = s.accounts().delete(s.org(), s.login(), s.connection(), accountId);
          out.put("removed", true);
          out.put("revocation", problem);
          return out;
        });
  }

  @POST
  @Path("/{account}/refresh")
  @Operation(
      summary = "Refresh an account's token now",
      description =
          "The seed's manual refresh. The member, the " + "connection's owner or an admin.")
  @APIResponse(responseCode = "200", description = "The account, with its new expiry")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not a member of the organization")
  @APIResponse(responseCode = "404", description = "No such account (of yours)")
  @APIResponse(responseCode = "409", description = "The account needs re-authorization")
  public Response refresh(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("account") String accountId) {
    return run(
        organizationId,
        connectionId,
        s -> view(s.accounts().refreshNow(s.org(), s.login(), s.connection(), accountId)));
  }

  @POST
  @Path("/{account}/reauthorize")
  @Operation(
      summary = "Re-authorize an account",
      description =
          "Same account, new grant: answers the provider's "
              + "authorization URL to open in the member's browser. The account's member only.")
  @APIResponse(responseCode = "200", description = "{authorizationUrl}")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not the account's member")
  @APIResponse(responseCode = "404", description = "No such account (of yours)")
  public Response reauthorize(
      @PathParam("organization") String organizationId,
      @PathParam("connection") String connectionId,
      @PathParam("account") String accountId) {
    return run(
        organizationId,
        connectionId,
        s ->
            Map.of(
                "authorizationUrl",
                s.accounts().reauthorize(s.org(), s.login(), s.connection(), accountId)));
  }

  private static List<String> applications(Map<String, Object> in) throws Accounts.Refused {
    Object v = in.get("applications");
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      return l.stream().map(String.class::cast).distinct().toList();
    }
    throw Accounts.invalid("applications: a list of application ids");
  }
}
