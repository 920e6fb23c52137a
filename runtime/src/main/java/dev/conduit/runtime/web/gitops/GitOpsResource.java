package dev.conduit.runtime.web.gitops;

import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.auth.Unauthorized;
import dev.conduit.runtime.gitops.Deployment;
import dev.conduit.runtime.gitops.GitOps;
import dev.conduit.runtime.limits.Paging;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import dev.conduit.runtime.web.Envelopes;
import dev.conduit.runtime.web.RequestIds;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import tools.jackson.databind.json.JsonMapper;

/**
 * An organization that follows Git (docs/gitops.md), for its admins: what the database says it
 * serves and why, the deployment history with each refused commit's diagnostics, pin and unpin, and
 * a fetch now. Its own class (not a method of OrganizationResource): JAX-RS picks the resource
 * class with the longest literal path first.
 */
@Path("/api/v1/organizations/{organization}/gitops")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "GitOps", description = "For admins of an organization that follows a Git branch")
@SecurityRequirement(name = "member")
public class GitOpsResource {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Inject Members members;

  @Inject BundleRegistry registry;

  @Inject GitOps gitops;

  @Context HttpServletRequest request;

  private record Admin(String login, String source) {}

  private Admin admin(String organizationId) throws Unauthorized {
    String login = members.login(request);
    LoadedOrganization org =
        registry
            .organization(organizationId)
            .filter(o -> o.isAdmin(login))
            .orElseThrow(
                () ->
                    new Unauthorized(
                        403, "only admins of organization " + organizationId + " may do this"));
    String source =
        gitops
            .sourceOf(org)
            .orElseThrow(
                () ->
                    new Unauthorized(
                        404,
                        "organization "
                            + organizationId
                            + " is served from a bundle file, not from Git (see GET .../bundle)"));
    return new Admin(login, source);
  }

  private static Response refused(Unauthorized u, String requestId) {
    return u.status() == 404
        ? Envelopes.error(404, "NOT_FOLLOWING_GIT", u.getMessage(), List.of(), requestId)
        : Envelopes.error(u, requestId);
  }

  @GET
  @Operation(
      summary = "What the organization serves from Git",
      description =
          "The database's head (newest commit evaluated), current (newest that compiled clean) and"
              + " pinned commits, the commit this instance serves, the last failed fetch (any"
              + " instance) and this instance's last problem.")
  @APIResponse(responseCode = "200", description = "the state")
  @APIResponse(responseCode = "401", description = "No or wrong account")
  @APIResponse(responseCode = "403", description = "Not an admin of the organization")
  @APIResponse(responseCode = "404", description = "The organization is served from a bundle file")
  public Response status(@PathParam("organization") String organizationId) {
    String requestId = RequestIds.next();
    try {
      return Envelopes.ok(gitops.status(admin(organizationId).source()), requestId);
    } catch (Unauthorized u) {
      return refused(u, requestId);
    }
  }

  @GET
  @Path("/deployments")
  @Operation(
      summary = "Deployment history, newest first",
      description =
          "Each commit of the branch compiled (deployed, held while pinned, refused), each pin and"
              + " unpin: commit, author, time, result, diagnostics count.")
  @APIResponse(responseCode = "200", description = "the deployments")
  public Response deployments(
      @PathParam("organization") String organizationId,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    String requestId = RequestIds.next();
    try {
      String source = admin(organizationId).source();
      Paging.Window w = Paging.window(limit, offset, 50, 500);
      return Envelopes.ok(
          gitops.history(source, w.limit(), w.offset()).stream()
              .map(d -> summary(d, false))
              .toList(),
          requestId);
    } catch (Unauthorized u) {
      return refused(u, requestId);
    } catch (Paging.BadPage b) {
      return Envelopes.error(b, requestId);
    }
  }

  @GET
  @Path("/deployments/{id}")
  @Operation(
      summary = "One deployment with its diagnostics",
      description = "A refused commit's diagnostics, as the compiler reported them.")
  @APIResponse(responseCode = "200", description = "the deployment")
  @APIResponse(responseCode = "404", description = "No such deployment")
  public Response deployment(
      @PathParam("organization") String organizationId, @PathParam("id") String id) {
    String requestId = RequestIds.next();
    try {
      String source = admin(organizationId).source();
      return gitops
          .deployment(source, id)
          .map(d -> Envelopes.ok(summary(d, true), requestId))
          .orElseGet(
              () ->
                  Envelopes.error(
                      404, "NOT_FOUND", "no deployment " + id + " here", List.of(), requestId));
    } catch (Unauthorized u) {
      return refused(u, requestId);
    }
  }

  @POST
  @Path("/pin")
  @Operation(
      summary = "Pin to an earlier good commit",
      description =
          "Every instance serves that commit (within a second) until unpin, whatever the branch"
              + " does; new commits are still compiled and recorded (held).")
  @APIResponse(responseCode = "200", description = "pinned: the deployment recorded")
  @APIResponse(
      responseCode = "409",
      description = "not a commit of the history that compiled clean, or an ambiguous prefix")
  public Response pin(
      @PathParam("organization") String organizationId, @QueryParam("commit") String commit) {
    String requestId = RequestIds.next();
    try {
      Admin a = admin(organizationId);
      return Envelopes.ok(summary(gitops.pin(a.source(), commit, a.login()), false), requestId);
    } catch (Unauthorized u) {
      return refused(u, requestId);
    } catch (GitOps.NotAGoodCommit e) {
      return Envelopes.error(409, "NOT_A_GOOD_COMMIT", e.getMessage(), List.of(), requestId);
    }
  }

  @POST
  @Path("/unpin")
  @Operation(
      summary = "Follow the branch again",
      description = "The newest commit of the branch that compiled clean serves again.")
  @APIResponse(responseCode = "200", description = "unpinned")
  @APIResponse(responseCode = "409", description = "it was not pinned")
  public Response unpin(@PathParam("organization") String organizationId) {
    String requestId = RequestIds.next();
    try {
      Admin a = admin(organizationId);
      return gitops
          .unpin(a.source(), a.login())
          .map(d -> Envelopes.ok(summary(d, false), requestId))
          .orElseGet(() -> Envelopes.error(409, "NOT_PINNED", "not pinned", List.of(), requestId));
    } catch (Unauthorized u) {
      return refused(u, requestId);
    }
  }

  @POST
  @Path("/fetch")
  @Operation(
      summary = "Fetch the branch now",
      description =
          "Instead of waiting for the next poll; what it finds reaches every instance through the"
              + " database (this replaces a reload per instance). Answers at once: read the state"
              + " after a moment.")
  @APIResponse(responseCode = "200", description = "asked")
  public Response fetch(@PathParam("organization") String organizationId) {
    String requestId = RequestIds.next();
    try {
      gitops.fetchNow(Set.of(admin(organizationId).source()));
      return Envelopes.ok(Map.of("fetching", true), requestId);
    } catch (Unauthorized u) {
      return refused(u, requestId);
    }
  }

  private static Map<String, Object> summary(Deployment d, boolean withDiagnostics) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("organization", d.organizationId());
    m.put("commit", d.commit());
    m.put("author", d.author());
    m.put("subject", d.subject());
    m.put("committedAt", d.committedAt() == null ? null : d.committedAt().toString());
    m.put("deployedAt", d.deployedAt().toString());
    m.put("by", d.actor());
    m.put("result", d.result().text());
    m.put("diagnosticsCount", d.diagnosticsCount());
    if (withDiagnostics) {
      m.put(
          "diagnostics",
          d.diagnostics() == null ? List.of() : JSON.readValue(d.diagnostics(), List.class));
    }
    return m;
  }
}
