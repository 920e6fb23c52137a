package dev.conduit.runtime.console;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.console.Gate.Refused;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.runtime.console.changes.ConsoleChanges;
import dev.conduit.runtime.console.changes.TreeChange;
import dev.conduit.runtime.gitops.GitSettings;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's edit forms (docs/console.md, "Changes are commits"): create or edit a connection
 * (admins create; its owner or an admin edits), create or edit an API (the connection's owner or an
 * admin). Each form post becomes a commit on the page's base commit, checked by the compiler: with
 * errors nothing is pushed and the form comes back with every problem beside its field and the
 * values kept; valid, it is pushed as a new branch and its validation and {@code conduit diff} are
 * shown. A stale page is refused before any commit.
 */
@Path("/console/{organization}/changes")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Console", description = "The console's pages (docs/console.md)")
public class EditResource {

  @Inject BundleRegistry registry;

  @Inject ConsoleChanges changes;

  @Context HttpServletRequest request;

  @PathParam("organization")
  String organizationId;

  /** The repository a change goes to, and the commit the form starts from. */
  private record Repo(GitSettings.Source source, String head) {
    String label() {
      return EditResource.label(source);
    }
  }

  private static String label(GitSettings.Source source) {
    return source.label() + " (" + source.branch() + ")";
  }

  /** The organization's repository and its branch's commit now; null when none is configured. */
  private Repo repo() throws Refused {
    var source = changes.sourceFor(organizationId);
    if (source.isEmpty()) {
      return null;
    }
    try {
      return new Repo(source.get(), changes.branches().head(source.get()));
    } catch (ChangeBranches.Refused r) {
      throw new Refused(502, r.getMessage());
    }
  }

  /**
   * What a form reads from the repository's files at the branch's head, and that commit (the form's
   * base); empty when no repository is configured.
   */
  private <T> Optional<ChangeBranches.AtHead<T>> atHead(ChangeBranches.TreeReader<T> reader)
      throws Refused {
    var source = changes.sourceFor(organizationId);
    if (source.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(changes.branches().readHead(source.get(), organizationId, reader));
    } catch (ChangeBranches.Refused e) {
      throw new Refused(502, e.getMessage());
    }
  }

  /** The label of the organization's repository (present when {@link #atHead} read one). */
  private String label() {
    return changes.sourceFor(organizationId).map(EditResource::label).orElse("");
  }

  @GET
  @Path("connections/new")
  @Operation(summary = "Console: the form of a new connection (admins)")
  public Response newConnection() {
    return Gate.render(
        request,
        () -> {
          View v = admin(Gate.view(registry, request, organizationId));
          Repo r = repo();
          return r == null
              ? Frame.html(200, ChangePages.noRepository(v))
              : Frame.html(
                  200,
                  ConnectionForm.html(
                      v,
                      null,
                      r.head(),
                      r.label(),
                      ConnectionForm.valuesOfNew(v.login()),
                      FieldProblems.NONE));
        });
  }

  @POST
  @Path("connections/new")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: a new connection, as a commit on a new branch (admins)")
  public Response createConnection(MultivaluedMap<String, String> form) {
    return Gate.posted(
        registry, request, organizationId, form, v -> connectionPost(admin(v), null, form));
  }

  @GET
  @Path("connections/{connection}")
  @Operation(summary = "Console: the form that edits a connection (owner or admin)")
  public Response editConnection(@PathParam("connection") String connectionId) {
    return Gate.render(
        request,
        () -> {
          View v = Gate.view(registry, request, organizationId);
          Connection c = managed(v, connectionId);
          // the parameters' labels and descriptions as the file at the head has them (its base)
          var file = atHead(tree -> tree.json("connections/" + c.id() + "/connection.json"));
          if (file.isEmpty()) {
            return Frame.html(200, ChangePages.noRepository(v));
          }
          MultivaluedMap<String, String> values = ConnectionForm.valuesOf(c);
          file.get().value().ifPresent(json -> ConnectionForm.parameterTexts(values, json));
          return Frame.html(
              200,
              ConnectionForm.html(v, c, file.get().commit(), label(), values, FieldProblems.NONE));
        });
  }

  @POST
  @Path("connections/{connection}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: a connection's change, as a commit on a new branch")
  public Response changeConnection(
      @PathParam("connection") String connectionId, MultivaluedMap<String, String> form) {
    return Gate.posted(
        registry,
        request,
        organizationId,
        form,
        v -> connectionPost(v, managed(v, connectionId), form));
  }

  private Response connectionPost(View v, Connection c, MultivaluedMap<String, String> form)
      throws Refused {
    Repo r = repo();
    if (r == null) {
      return Frame.html(409, ChangePages.noRepository(v));
    }
    String base = form.getFirst("base");
    if (form.getFirst("add") != null) { // a row more: nothing committed
      return Frame.html(200, ConnectionForm.html(v, c, base, r.label(), form, FieldProblems.NONE));
    }
    ConnectionForm.Read read = ConnectionForm.read(c, base, form, v.login());
    String back = v.orgBase() + (c == null ? "" : "/connections/" + Frame.enc(c.id()));
    return propose(
        v,
        r,
        base,
        read.draft(),
        read.targets(),
        read.problems(),
        problems -> ConnectionForm.html(v, c, base, r.label(), form, problems),
        (c == null ? "New connection " : "Connection ") + read.draft().connectionId(),
        back);
  }

  @GET
  @Path("connections/{connection}/apis/new")
  @Operation(summary = "Console: the form of a new API (owner or admin)")
  public Response newApi(@PathParam("connection") String connectionId) {
    return apiForm(connectionId, null);
  }

  @GET
  @Path("connections/{connection}/apis/{api}")
  @Operation(summary = "Console: the form that edits an API (owner or admin)")
  public Response editApi(
      @PathParam("connection") String connectionId, @PathParam("api") String apiId) {
    return apiForm(connectionId, apiId);
  }

  private Response apiForm(String connectionId, String apiId) {
    return Gate.render(
        request,
        () -> {
          View v = Gate.view(registry, request, organizationId);
          Connection c = editableApis(v, connectionId);
          Api api = apiId == null ? null : api(c, apiId);
          // the code blocks' files as they are at the head, which is the form's base
          var code = atHead(tree -> CodeBlockFields.valuesAt(tree, c.id(), apiId));
          if (code.isEmpty()) {
            return Frame.html(200, ChangePages.noRepository(v));
          }
          MultivaluedMap<String, String> values =
              api == null ? ApiForm.valuesOfNew() : ApiForm.valuesOf(api);
          code.get().value().forEach(values::putSingle);
          return Frame.html(
              200,
              ApiForm.html(v, c, api, code.get().commit(), label(), values, FieldProblems.NONE));
        });
  }

  @POST
  @Path("connections/{connection}/apis/new")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: a new API, as a commit on a new branch")
  public Response createApi(
      @PathParam("connection") String connectionId, MultivaluedMap<String, String> form) {
    return apiPost(connectionId, null, form);
  }

  @POST
  @Path("connections/{connection}/apis/{api}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: an API's change, as a commit on a new branch")
  public Response changeApi(
      @PathParam("connection") String connectionId,
      @PathParam("api") String apiId,
      MultivaluedMap<String, String> form) {
    return apiPost(connectionId, apiId, form);
  }

  private Response apiPost(String connectionId, String apiId, MultivaluedMap<String, String> form) {
    return Gate.posted(
        registry,
        request,
        organizationId,
        form,
        v -> {
          Connection c = editableApis(v, connectionId);
          Api api = apiId == null ? null : api(c, apiId);
          Repo r = repo();
          if (r == null) {
            return Frame.html(409, ChangePages.noRepository(v));
          }
          String base = form.getFirst("base");
          if (form.getFirst("add") != null) {
            return Frame.html(
                200, ApiForm.html(v, c, api, base, r.label(), form, FieldProblems.NONE));
          }
          ApiForm.Read read = ApiForm.read(c.id(), apiId, base, form);
          return propose(
              v,
              r,
              base,
              read.draft(),
              read.targets(),
              read.problems(),
              problems -> ApiForm.html(v, c, api, base, r.label(), form, problems),
              "API " + c.id() + "/" + read.draft().apiId(),
              v.orgBase() + "/connections/" + Frame.enc(c.id()));
        });
  }

  /** Renders the form again with problems beside its fields. */
  @FunctionalInterface
  private interface FormAgain {
    String html(FieldProblems problems);
  }

  /**
   * The form's own problems first (nothing else is done), then the commit: with errors the form
   * again with the compiler's problems by field; valid, the branch pushed, its diff shown.
   */
  private Response propose(
      View v,
      Repo r,
      String base,
      TreeChange change,
      List<FieldProblems.Target> targets,
      Map<String, List<String>> formProblems,
      FormAgain again,
      String what,
      String back)
      throws Refused {
    if (!formProblems.isEmpty()) {
      return Frame.html(422, again.html(FieldProblems.ofFields(formProblems)));
    }
    var member = v.org().membersByLogin().get(v.login());
    String name = member == null ? null : member.fullName();
    try {
      ChangeBranches.Proposal p =
          changes
              .branches()
              .proposeIfValid(r.source(), organizationId, v.login(), name, base, change);
      if (!p.valid()) {
        var errors =
            p.diagnostics().stream().filter(dev.conduit.compiler.diag.Diagnostic::isError).toList();
        return Frame.html(422, again.html(FieldProblems.map(errors, targets)));
      }
      return Frame.html(
          200,
          ChangePages.made(
              v,
              Frame.Section.CONNECTIONS,
              "Change proposed: " + what,
              p,
              ReviewLink.of(r.source(), p.branch()),
              back));
    } catch (ChangeBranches.Unchanged e) {
      return Frame.html(200, ChangePages.unchanged(v, what, back));
    } catch (ChangeBranches.Refused e) {
      if (e.field() != null) {
        return Frame.html(
            422, again.html(FieldProblems.ofFields(Map.of(e.field(), List.of(e.getMessage())))));
      }
      throw new Refused(e.stale() ? 409 : 502, e.getMessage());
    }
  }

  /** The view, when it is an admin's. */
  private static View admin(View v) throws Refused {
    if (!v.isAdmin()) {
      throw new Refused(403, "Only an admin proposes a new connection.");
    }
    return v;
  }

  /** The connection, for its owner or an admin. */
  private static Connection managed(View v, String connectionId) throws Refused {
    Connection c =
        v.org()
            .bundle()
            .connection(connectionId)
            .orElseThrow(() -> new Refused(404, "There is no connection " + connectionId + "."));
    if (!v.mayManage(c.id())) {
      throw new Refused(
          403, "Only the owner of " + c.id() + " (" + c.owner() + ") or an admin may change it.");
    }
    return c;
  }

  /** The connection whose APIs are edited: managed, and not installed from the library. */
  private static Connection editableApis(View v, String connectionId) throws Refused {
    Connection c = managed(v, connectionId);
    if (c.installedFrom() != null) {
      throw new Refused(
          409,
          c.id()
              + " is installed from the library entry "
              + c.installedFrom().entry()
              + ": its APIs are the entry's (upgrade it, or change the entry).");
    }
    return c;
  }

  private static Api api(Connection c, String apiId) throws Refused {
    return c.api(apiId)
        .orElseThrow(
            () -> new Refused(404, "The connection " + c.id() + " has no API " + apiId + "."));
  }
}
