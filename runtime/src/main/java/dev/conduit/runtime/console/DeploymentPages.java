package dev.conduit.runtime.console;

import dev.conduit.runtime.console.Gate.Refused;
import dev.conduit.runtime.gitops.Deployment;
import dev.conduit.runtime.gitops.GitOps;
import dev.conduit.runtime.registry.BundleRegistry;
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
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's Deployments section (docs/console.md): what an organization that follows Git
 * serves, its history, a refused commit's diagnostics, pin (roll back), unpin and fetch now. The
 * same {@link GitOps} calls and the same rule as /api/v1/organizations/ORG/gitops: admins only.
 */
@Path("/console/{organization}/deployments")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Console", description = "The console's pages (docs/console.md)")
public class DeploymentPages {

  static final int PAGE_SIZE = 50;

  @Inject BundleRegistry registry;

  @Inject GitOps gitops;

  @Context HttpServletRequest request;

  @PathParam("organization")
  String organizationId;

  /** An admin of an organization that follows Git: its source's label. */
  private record Admin(View view, String source) {}

  private Admin admin() throws Refused, Gate.SignInFirst {
    View v = Gate.view(registry, request, organizationId);
    if (!v.isAdmin()) {
      throw new Refused(403, "Deployments are for the organization's admins.");
    }
    String source =
        gitops
            .sourceOf(v.org())
            .orElseThrow(
                () ->
                    new Refused(
                        404,
                        v.org().bundle().organization().name()
                            + " is served from a bundle file, not from Git: it has no"
                            + " deployments to show (docs/gitops.md)."));
    return new Admin(v, source);
  }

  @GET
  @Operation(summary = "Console: the served commit and the deployment history (admins)")
  public Response list(@QueryParam("page") String page) {
    return Gate.render(request, () -> history(Gate.page(page, PAGE_SIZE), null));
  }

  private Response history(int page, String notice) throws Refused, Gate.SignInFirst {
    Admin a = admin();
    // one more than a page: whether there is a next one
    var rows = gitops.history(a.source(), PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
    return Frame.html(
        200,
        DeploymentHtml.list(
            a.view(),
            gitops.status(a.source()),
            rows.subList(0, Math.min(PAGE_SIZE, rows.size())),
            page,
            rows.size() > PAGE_SIZE,
            notice));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Console: one deployment with its diagnostics (admins)")
  public Response one(@PathParam("id") String id) {
    return Gate.render(
        request,
        () -> {
          Admin a = admin();
          Deployment d =
              gitops
                  .deployment(a.source(), id)
                  .orElseThrow(() -> new Refused(404, "There is no deployment " + id + "."));
          return Frame.html(200, DeploymentHtml.detail(a.view(), d));
        });
  }

  @POST
  @Path("pin")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: serve an earlier good commit (admins)")
  public Response pin(MultivaluedMap<String, String> form) {
    return Gate.render(
        request,
        () -> {
          Gate.formFromThisSession(request, form);
          Admin a = admin();
          try {
            Deployment d = gitops.pin(a.source(), form.getFirst("commit"), a.view().login());
            return history(1, "Pinned to " + d.commit() + ": every instance serves it.");
          } catch (GitOps.NotAGoodCommit e) {
            throw new Refused(409, e.getMessage());
          }
        });
  }

  @POST
  @Path("unpin")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: follow the branch again (admins)")
  public Response unpin(MultivaluedMap<String, String> form) {
    return Gate.render(
        request,
        () -> {
          Gate.formFromThisSession(request, form);
          Admin a = admin();
          if (gitops.unpin(a.source(), a.view().login()).isEmpty()) {
            throw new Refused(409, "The organization is not pinned.");
          }
          return history(1, "Unpinned: the newest good commit of the branch serves again.");
        });
  }

  @POST
  @Path("fetch")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: fetch the branch now (admins)")
  public Response fetch(MultivaluedMap<String, String> form) {
    return Gate.render(
        request,
        () -> {
          Gate.formFromThisSession(request, form);
          Admin a = admin();
          gitops.fetchNow(Set.of(a.source()));
          return history(
              1, "Fetching the branch: a new commit shows here once compiled (reload the page).");
        });
  }
}
