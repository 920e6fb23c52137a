package dev.conduit.runtime.web.accounts;

import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.accounts.ConnectFlow;
import dev.conduit.runtime.registry.BundleRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The redirect URI of authorization-code connections. A root resource of its own: under {@code
 * /api/v1/connections/{connection}} the invoke resource would otherwise be the only class JAX-RS
 * looks in (it picks one root class, the most specific, and does not backtrack).
 */
@Path("/api/v1/connections/{connection}/oauth2/callback")
@Produces(MediaType.TEXT_HTML)
@Tag(
    name = "Accounts",
    description = "Per-person accounts of authorization-code connections (docs/accounts.md)")
public class CallbackResource {

  @Inject Accounts accounts;

  @Inject BundleRegistry registry;

  @Context UriInfo uri;

  @GET
  @Operation(
      summary = "OAuth 2.0 redirect URI of authorization-code connections",
      description =
          "The provider sends "
              + "the member's browser here with code and state (or error). Register exactly "
              + "{conduit.public-url}/api/v1/connections/{connection}/oauth2/callback at the provider.")
  public Response callback(@PathParam("connection") String connectionId) {
    if (accounts == null) {
      return html(
          503,
          AccountPages.error(
              "Accounts need the runtime's private key (conduit.sealing.private-key)."));
    }
    Map<String, String> query = new HashMap<>();
    uri.getQueryParameters()
        .forEach(
            (k, v) -> {
              if (!v.isEmpty()) {
                query.put(k, v.getFirst());
              }
            });
    ConnectFlow.Result r =
        accounts
            .flow()
            .callback(
                connectionId,
                query,
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

  private static Response html(int status, String page) {
    return AccountPagesResource.html(status, page);
  }

  private static String enc(String s) {
    return AccountPagesResource.enc(s);
  }
}
