package dev.conduit.runtime.web.library;

import dev.conduit.catalog.LibraryIndex;
import dev.conduit.runtime.auth.Applications;
import dev.conduit.runtime.auth.BasicCredentials;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.auth.Unauthorized;
import dev.conduit.runtime.library.PublicLibraryCatalog;
import dev.conduit.runtime.limits.Paging;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.web.Envelopes;
import dev.conduit.runtime.web.RequestIds;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Browsing the public API library: search by text and category, page by page, an entry's details
 * and its logo (served from the application: never fetched from outside). For signed-in members of
 * an organization served here, or applications (HTTP Basic either way).
 */
@Path("/api/v1/library")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Library", description = "The public API library (members or applications, HTTP Basic)")
@SecurityRequirement(name = "member")
public class LibraryResource {

  private static final int MAX_SIZE = 100;
  private static final PublicLibraryCatalog CATALOG = PublicLibraryCatalog.packaged();

  @Inject Members members;

  @Inject BundleRegistry registry;

  @Context HttpServletRequest request;

  /** A member of an organization served here, or an application: else 401. */
  private void signedIn() throws Unauthorized {
    String authorization = request.getHeader("Authorization");
    String user = BasicCredentials.parse(authorization).map(BasicCredentials::user).orElse(null);
    if (user != null && registry.application(user).isPresent()) {
      Applications.authenticate(registry, authorization);
      return;
    }
    String login = members.login(request);
    if (registry.organizations().stream().noneMatch(o -> o.isMember(login))) {
      throw new Unauthorized(403, login + " is not a member of an organization served here");
    }
  }

  @GET
  @Path("/entries")
  @Operation(
      summary = "Search the public library",
      description =
          "Entries (newest version) whose id, name, summary, categories or API names contain every word of q, in"
              + " category (exact, case-insensitive), exact id or name matches first; page from 1, size 1-100 (20).")
  @APIResponse(
      responseCode = "200",
      description =
          "{items: [{id, version, name, summary, categories, authType, apis, logo}], page, size, total, pages}")
  @APIResponse(responseCode = "400", description = "BAD_PAGE: page or size out of range")
  @APIResponse(responseCode = "401", description = "No or wrong credentials")
  public Response search(
      @QueryParam("q") String q,
      @QueryParam("category") String category,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    String requestId = RequestIds.next();
    try {
      signedIn();
      Paging.Window w = Paging.pages(page, size, 20, MAX_SIZE);
      int s = w.limit();
      PublicLibraryCatalog.Page found = CATALOG.search(q, category, Paging.pageOf(w), s);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("items", found.items().stream().map(LibraryResource::summary).toList());
      data.put("page", found.page());
      data.put("size", found.size());
      data.put("total", found.total());
      data.put("pages", (found.total() + s - 1) / s);
      return Envelopes.ok(data, requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    } catch (Paging.BadPage b) {
      return Envelopes.error(b, requestId);
    }
  }

  @GET
  @Path("/categories")
  @Operation(summary = "The public library's categories, with how many entries each has")
  public Response categories() {
    String requestId = RequestIds.next();
    try {
      signedIn();
      List<Map<String, Object>> out = new ArrayList<>();
      for (String c : CATALOG.categories()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c);
        m.put("entries", CATALOG.search(null, c, 1, 1).total());
        out.add(m);
      }
      return Envelopes.ok(out, requestId);
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  @GET
  @Path("/entries/{entry}")
  @Operation(
      summary = "One public library entry",
      description = "Its newest version, every version, categories, auth, APIs and logo link.")
  @APIResponse(responseCode = "404", description = "No such entry")
  public Response entry(@PathParam("entry") String id) {
    String requestId = RequestIds.next();
    try {
      signedIn();
      return CATALOG
          .entry(id)
          .map(
              e -> {
                Map<String, Object> m = summary(e);
                m.put("versions", e.versions());
                m.put("publisher", e.publisher());
                m.put("apis", e.apis());
                m.put("install", "conduit library install " + e.id() + " --as ID");
                return Envelopes.ok(m, requestId);
              })
          .orElseGet(() -> notFound(id, requestId));
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  @GET
  @Path("/entries/{entry}/logo")
  @Produces({"image/svg+xml", "image/png", MediaType.APPLICATION_JSON})
  @Operation(
      summary = "An entry's logo",
      description =
          "Its own logo file; for an entry whose logo is an external URL, a monogram: nothing is fetched from outside.")
  public Response logo(@PathParam("entry") String id) {
    String requestId = RequestIds.next();
    try {
      signedIn();
      return CATALOG
          .logo(id)
          .map(
              l ->
                  Response.ok(l.bytes(), l.mediaType())
                      .header("Cache-Control", "private, max-age=86400")
                      .header("X-Content-Type-Options", "nosniff")
                      .header(
                          "Content-Security-Policy",
                          "default-src 'none'; style-src 'unsafe-inline'")
                      .build())
          .orElseGet(() -> notFound(id, requestId));
    } catch (Unauthorized u) {
      return Envelopes.error(u, requestId);
    }
  }

  private static Response notFound(String id, String requestId) {
    return Envelopes.error(
        404, "NOT_FOUND", "the public library has no entry \"" + id + "\"", List.of(), requestId);
  }

  private static Map<String, Object> summary(LibraryIndex.Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("version", e.version());
    m.put("name", e.name());
    m.put("summary", e.summary());
    m.put("categories", e.categories());
    m.put("authType", e.authType());
    m.put("apiCount", e.apis().size());
    m.put("logo", "/api/v1/library/entries/" + e.id() + "/logo");
    return m;
  }
}
