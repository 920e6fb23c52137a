package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Connection;
import dev.conduit.bundle.LibraryEntry;
import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Installer;
import dev.conduit.compiler.library.Upgrade;
import dev.conduit.runtime.console.Gate.Refused;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.runtime.console.changes.ConsoleChanges;
import dev.conduit.runtime.console.changes.LibraryInstall;
import dev.conduit.runtime.console.changes.LibraryUpgrade;
import dev.conduit.runtime.gitops.GitSettings;
import dev.conduit.runtime.library.LibraryFolder;
import dev.conduit.runtime.library.OrganizationLibrary;
import dev.conduit.runtime.library.PublicLibraryCatalog;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's Library section (docs/console.md): browse and search the public library and the
 * organization's own (its bundle's library/ entries: never another organization's), an entry's
 * page, install it and upgrade an install, each change a commit on a new branch. Its own resource
 * class: JAX-RS picks the class with the longest literal path first, so /console/ORG/library is
 * this one's and the rest of /console stays ConsoleResource's.
 *
 * <p>Any member browses (as GET /api/v1/library does); admins and connection owners install (the
 * installer becomes the new connection's owner); an install's owner or an admin upgrades it (as
 * they propose any change to it).
 */
@Path("/console/{organization}/library")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Console", description = "The console's pages (docs/console.md)")
public class LibraryPages {

  private static final PublicLibraryCatalog CATALOG = PublicLibraryCatalog.packaged();

  @Inject BundleRegistry registry;

  @Inject ConsoleChanges changes;

  @Context HttpServletRequest request;

  @PathParam("organization")
  String organizationId;

  private View view() throws Refused, Gate.SignInFirst {
    return Gate.view(registry, request, organizationId);
  }

  static boolean mayInstall(View v) {
    return v.isAdmin() || v.isOwner();
  }

  @GET
  @Operation(summary = "Console: the public library (search, category, pages)")
  public Response browse(
      @QueryParam("q") String q,
      @QueryParam("category") String category,
      @QueryParam("page") String page) {
    return Gate.render(
        request,
        () -> {
          View v = view();
          int p = Gate.page(page, LibraryHtml.PAGE_SIZE);
          return Frame.html(
              200,
              LibraryHtml.browse(
                  v, CATALOG, OrganizationLibrary.of(v.org().bundle()), q, category, p));
        });
  }

  @GET
  @Path("entries/{entry}/logo")
  @Produces({"image/svg+xml", "image/png"})
  @Operation(summary = "Console: a library entry's logo")
  public Response logo(@PathParam("entry") String entry) {
    return Gate.render(
        request,
        () -> {
          view();
          return logo(
              CATALOG
                  .logo(entry)
                  .orElseThrow(() -> new Refused(404, "The library has no entry " + entry + ".")));
        });
  }

  private static Response logo(PublicLibraryCatalog.Logo logo) {
    return Response.ok(logo.bytes(), logo.mediaType())
        .header("Cache-Control", "private, no-cache")
        .header("X-Content-Type-Options", "nosniff")
        // an SVG opened on its own runs nothing
        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .build();
  }

  @GET
  @Path("organization/{entry}")
  @Operation(summary = "Console: an entry of the organization's own library and its install form")
  public Response ownEntry(@PathParam("entry") String entry) {
    return Gate.render(
        request,
        () -> {
          View v = view();
          Target t = own(v, entry);
          return Frame.html(200, t.page().apply(installSection(v, t, fresh(v, t.entry()), null)));
        });
  }

  @GET
  @Path("organization/{entry}/logo")
  @Produces("image/svg+xml")
  @Operation(summary = "Console: the logo of an entry of the organization's own library")
  public Response ownLogo(@PathParam("entry") String entry) {
    return Gate.render(
        request,
        () -> {
          View v = view();
          return logo(
              OrganizationLibrary.of(v.org().bundle())
                  .logo(entry)
                  .orElseThrow(() -> noOwnEntry(v, entry)));
        });
  }

  @POST
  @Path("organization/{entry}/install")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: install an entry of the organization's own library as a branch")
  public Response installOwn(
      @PathParam("entry") String entry, MultivaluedMap<String, String> form) {
    return Gate.posted(
        registry,
        request,
        organizationId,
        form,
        v -> {
          mayInstallOrRefuse(v);
          Target t = own(v, entry);
          String version = form.getFirst("version");
          if (version != null && !version.equals(t.entry().version())) {
            throw new Refused(
                409,
                "The organization's library has "
                    + entry
                    + " at "
                    + t.entry().version()
                    + " only (the form asked for "
                    + version
                    + "): open the page again.");
          }
          return install(v, t, form);
        });
  }

  /**
   * An entry to install and where it comes from.
   *
   * @param library {@link Installer#PUBLIC} or {@link Installer#ORGANIZATION}
   * @param href the entry's page; its install form posts under it
   * @param page the entry's page around an install section
   */
  private record Target(
      Catalog.Entry entry, String library, String href, Function<String, String> page) {}

  private static Target own(View v, String entry) throws Refused {
    LibraryEntry e =
        OrganizationLibrary.of(v.org().bundle())
            .entry(entry)
            .orElseThrow(() -> noOwnEntry(v, entry));
    return new Target(
        OrganizationLibrary.installable(e),
        Installer.ORGANIZATION,
        LibraryHtml.ownHref(v, e.id()),
        section -> LibraryHtml.ownEntry(v, e, section));
  }

  private static Target publicEntry(View v, Catalog.Entry e) {
    return new Target(
        e,
        Installer.PUBLIC,
        LibraryHtml.entryHref(v, e.id()),
        section -> LibraryHtml.entry(v, e, section));
  }

  private static Refused noOwnEntry(View v, String entry) {
    return new Refused(
        404,
        v.org().bundle().organization().name()
            + "'s own library has no entry "
            + entry
            + " (library/"
            + entry
            + "/ in its repository).");
  }

  private static void mayInstallOrRefuse(View v) throws Refused {
    if (!mayInstall(v)) {
      throw new Refused(
          403,
          "Installing from the library is for admins and connection owners; "
              + v.login()
              + " is a member.");
    }
  }

  @GET
  @Path("entries/{entry}")
  @Operation(summary = "Console: a library entry (guide, versions, APIs) and its install form")
  public Response entry(@PathParam("entry") String entry, @QueryParam("version") String version) {
    return Gate.render(
        request,
        () -> {
          View v = view();
          Optional<Catalog> catalog = LibraryFolder.catalog();
          if (catalog.isEmpty()) {
            return Frame.html(
                200,
                LibraryHtml.indexOnly(
                    v,
                    CATALOG
                        .entry(entry)
                        .orElseThrow(
                            () -> new Refused(404, "The library has no entry " + entry + "."))));
          }
          Target t = publicEntry(v, show(catalog.get(), entry, version));
          return Frame.html(200, t.page().apply(installSection(v, t, fresh(v, t.entry()), null)));
        });
  }

  @POST
  @Path("entries/{entry}/install")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: check, then make, an install as a branch (admins and owners)")
  public Response install(@PathParam("entry") String entry, MultivaluedMap<String, String> form) {
    return Gate.posted(
        registry,
        request,
        organizationId,
        form,
        v -> {
          mayInstallOrRefuse(v);
          Catalog.Entry e =
              show(
                  LibraryFolder.catalog()
                      .orElseThrow(
                          () -> new Refused(409, "The runtime has no library folder to install.")),
                  entry,
                  form.getFirst("version"));
          return install(v, publicEntry(v, e), form);
        });
  }

  /**
   * The install form posted: its problems beside their fields, else the preview (the commit worked
   * out in memory) or, confirmed, the branch; an install identical to what the repository has is
   * "No changes", as an edit form posted untouched.
   */
  private Response install(View v, Target t, MultivaluedMap<String, String> form) throws Refused {
    Catalog.Entry e = t.entry();
    GitSettings.Source source = source(v);
    Read read = read(v, t, form);
    if (!read.filled().errors().isEmpty()) {
      // the form again, each problem beside its field (200, as the logs' filters)
      return Frame.html(200, t.page().apply(installSection(v, t, read.filled(), source)));
    }
    LibraryInstall install =
        new LibraryInstall(
            organizationId,
            e,
            read.filled().id(),
            read.filled().apis(),
            read.filled().grants(),
            v.login(),
            read.filled().visible(),
            read.hidden(),
            read.filled().sealed(),
            t.library());
    boolean make = "propose".equals(form.getFirst("step"));
    String what = e.id() + "@" + e.version() + " as " + install.connectionId();
    ChangeBranches.Proposal p;
    try {
      p =
          changes
              .branches()
              .change(
                  source,
                  organizationId,
                  v.login(),
                  fullName(v),
                  form.getFirst("base"),
                  install.change(),
                  make);
    } catch (ChangeBranches.Unchanged u) {
      return Frame.html(
          200,
          ChangePages.unchanged(
              v,
              Frame.Section.LIBRARY,
              "Install " + what + ": the repository has this install already.",
              v.orgBase() + "/connections/" + Frame.enc(install.connectionId())));
    } catch (ChangeBranches.Refused r) {
      if (r.stale()) {
        throw new Refused(409, r.getMessage());
      }
      Map<String, String> errors = new LinkedHashMap<>(read.filled().errors());
      errors.put(r.field() == null ? "" : r.field(), r.getMessage());
      InstallHtml.Filled again =
          new InstallHtml.Filled(
              read.filled().id(),
              read.filled().apis(),
              read.filled().grants(),
              read.filled().visible(),
              Map.of(),
              errors);
      return Frame.html(409, t.page().apply(installSection(v, t, again, source)));
    }
    if (!make) {
      InstallHtml.Filled sealed =
          new InstallHtml.Filled(
              read.filled().id(),
              read.filled().apis(),
              read.filled().grants(),
              read.filled().visible(),
              install.sealed(),
              Map.of());
      return Frame.html(200, InstallHtml.preview(v, e, t.href(), sealed, form.getFirst("base"), p));
    }
    return Frame.html(
        200,
        ChangePages.made(
            v,
            Frame.Section.LIBRARY,
            "Install proposed: " + what,
            p,
            ReviewLink.of(source, p.branch()),
            LibraryHtml.base(v)));
  }

  @GET
  @Path("upgrades/{connection}")
  @Operation(summary = "Console: an install's upgrade, as a three-way diff (owner or admin)")
  public Response upgrade(
      @PathParam("connection") String connectionId,
      @QueryParam("to") String to,
      @QueryParam(UpgradeHtml.DOWNGRADE) String downgrade) {
    return Gate.render(
        request, () -> upgradePage(view(), connectionId, to, null, UpgradeHtml.asked(downgrade)));
  }

  @POST
  @Path("upgrades/{connection}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Console: make an install's upgrade a branch (owner or admin)")
  public Response proposeUpgrade(
      @PathParam("connection") String connectionId, MultivaluedMap<String, String> form) {
    return Gate.posted(
        registry,
        request,
        organizationId,
        form,
        v ->
            upgradePage(
                v,
                connectionId,
                form.getFirst("to"),
                form.getFirst("base"),
                UpgradeHtml.asked(form.getFirst(UpgradeHtml.DOWNGRADE))));
  }

  /**
   * The upgrade's page: with {@code base} null, the preview (the commit worked out in memory on the
   * branch's head); with it, the branch made from that commit. A version older than the installed
   * one is a downgrade: without {@code downgradeAsked} the page asks to confirm it, nothing else.
   */
  private Response upgradePage(
      View v, String connectionId, String to, String base, boolean downgradeAsked) throws Refused {
    Connection c =
        v.org()
            .bundle()
            .connection(connectionId)
            .orElseThrow(() -> new Refused(404, "There is no connection " + connectionId + "."));
    if (!v.mayManage(c.id())) {
      throw new Refused(
          403, "Only the owner of " + c.id() + " (" + c.owner() + ") or an admin may upgrade it.");
    }
    if (c.installedFrom() == null || !"public".equals(c.installedFrom().library())) {
      throw new Refused(409, c.id() + " is not installed from the public library.");
    }
    Catalog catalog =
        LibraryFolder.catalog()
            .orElseThrow(() -> new Refused(409, "The runtime has no library folder to upgrade."));
    Catalog.Entry installed = show(catalog, c.installedFrom().entry(), c.installedFrom().version());
    Catalog.Entry target = show(catalog, c.installedFrom().entry(), to);
    String back = v.orgBase() + "/connections/" + Frame.enc(c.id());
    if (target.version().equals(installed.version())) {
      // as an edit form posted untouched: nothing to commit, and not an error
      return Frame.html(
          200,
          ChangePages.unchanged(
              v,
              Frame.Section.LIBRARY,
              "Upgrade "
                  + c.id()
                  + ": it is installed from "
                  + target.id()
                  + "@"
                  + target.version()
                  + " already.",
              back));
    }
    Optional<String> downgrade = Upgrade.downgrade(installed, target);
    if (downgrade.isPresent() && !downgradeAsked) {
      return Frame.html(409, UpgradeHtml.confirmDowngrade(v, c, target.version(), downgrade.get()));
    }
    GitSettings.Source source = source(v);
    LibraryUpgrade up = new LibraryUpgrade(c.id(), installed, target, v.login(), downgradeAsked);
    String head = base;
    try {
      if (head == null) {
        head = changes.branches().head(source);
      }
      ChangeBranches.Proposal p =
          changes
              .branches()
              .change(source, organizationId, v.login(), fullName(v), head, up, base != null);
      if (base != null) {
        return Frame.html(
            200,
            ChangePages.made(
                v,
                Frame.Section.LIBRARY,
                (up.downgrade() ? "Downgrade proposed: " : "Upgrade proposed: ")
                    + c.id()
                    + " to "
                    + target.id()
                    + "@"
                    + target.version(),
                p,
                ReviewLink.of(source, p.branch()),
                back));
      }
      return Frame.html(200, UpgradeHtml.page(v, c, installed.versions(), up, p, null, head));
    } catch (ChangeBranches.Unchanged u) {
      return Frame.html(
          200,
          ChangePages.unchanged(
              v,
              Frame.Section.LIBRARY,
              "Upgrade " + c.id() + " to " + target.version() + ": the merge changes no file.",
              back));
    } catch (ChangeBranches.Refused r) {
      if (r.stale() || up.result() == null) {
        throw new Refused(409, r.getMessage());
      }
      return Frame.html(
          409, UpgradeHtml.page(v, c, installed.versions(), up, null, r.getMessage(), head));
    }
  }

  /** The install section of an entry's page: the form, or why there is none for this person. */
  private String installSection(
      View v, Target t, InstallHtml.Filled filled, GitSettings.Source known) {
    if (!mayInstall(v)) {
      return "<h2 id=\"install\">Install</h2><p id=\"install-not-allowed\">Admins and connection"
          + " owners install entries; ask one of them.</p>";
    }
    Optional<GitSettings.Source> source =
        known != null ? Optional.of(known) : changes.sourceFor(organizationId);
    if (source.isEmpty()) {
      return "<h2 id=\"install\">Install</h2><p id=\"no-repository\">Installs are pull requests to"
          + " the organization's repository; the console makes them when the runtime knows that"
          + " repository (conduit.git settings, docs/console.md).</p>";
    }
    try {
      String head = changes.branches().head(source.get());
      return InstallHtml.form(
          v,
          t.entry(),
          t.href(),
          head,
          source.get().label() + " (" + source.get().branch() + ")",
          filled);
    } catch (ChangeBranches.Refused r) {
      return "<h2 id=\"install\">Install</h2><div class=\"error\" role=\"alert\">"
          + esc(r.getMessage())
          + "</div>";
    }
  }

  /** The form as first shown: the entry's id (another when taken), every API. */
  private static InstallHtml.Filled fresh(View v, Catalog.Entry e) {
    String id = e.id();
    for (int n = 2; v.org().bundle().connection(id).isPresent(); n++) {
      id = e.id() + "-" + n;
    }
    return new InstallHtml.Filled(
        id,
        e.apis().stream().map(Catalog.Api::id).toList(),
        List.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }

  private record Read(InstallHtml.Filled filled, Map<String, String> hidden) {}

  /**
   * The posted form, with every problem by field (nothing sealed or written yet). An id the
   * organization has is a problem unless that connection is an install of the same entry: the
   * commit then says whether the install is the same ("No changes") or another (refused).
   */
  private static Read read(View v, Target t, MultivaluedMap<String, String> form) {
    Catalog.Entry e = t.entry();
    Map<String, String> errors = new LinkedHashMap<>();
    String id = form.getFirst("id") == null ? "" : form.getFirst("id").strip();
    if (!dev.conduit.compiler.library.Names.isId(id)) {
      errors.put(
          "id",
          "“" + id + "” cannot be a connection id: lower-case letters, digits and hyphens, 1-63.");
    } else if (v.org().bundle().connection(id).filter(c -> !installOf(c, t)).isPresent()) {
      errors.put("id", "The organization has a connection " + id + " already: choose another id.");
    }
    List<String> apis = form.get("api") == null ? List.of() : List.copyOf(form.get("api"));
    List<String> known = e.apis().stream().map(Catalog.Api::id).toList();
    if (apis.isEmpty()) {
      errors.put("apis", "Choose at least one API to enable.");
    } else if (!known.containsAll(apis)) {
      errors.put("apis", e.id() + "@" + e.version() + " has only the APIs " + known + ".");
    }
    List<String> grants = form.get("grant") == null ? List.of() : List.copyOf(form.get("grant"));
    List<String> applications = v.org().bundle().applications().stream().map(a -> a.id()).toList();
    if (!applications.containsAll(grants)) {
      errors.put("grants", "The organization has only the applications " + applications + ".");
    }
    Map<String, String> visible = new LinkedHashMap<>();
    Map<String, String> hidden = new LinkedHashMap<>();
    Map<String, String> sealed = new LinkedHashMap<>();
    for (Catalog.Parameter p : e.parameters()) {
      String given;
      if (p.hidden()) {
        given = form.getFirst("hidden." + p.name());
        if (given != null && !given.isEmpty()) {
          hidden.put(p.name(), given);
        }
        String before = form.getFirst("sealed." + p.name());
        if (before != null && !before.isEmpty()) {
          sealed.put(p.name(), before);
          given = before;
        }
      } else {
        given = form.getFirst("visible." + p.name());
        if (given != null && !given.isEmpty()) {
          visible.put(p.name(), given);
        }
      }
      if (p.required() && (given == null || given.isBlank())) {
        errors.put("param." + p.name(), "Required: " + (p.label() == null ? p.name() : p.label()));
      }
    }
    return new Read(new InstallHtml.Filled(id, apis, grants, visible, sealed, errors), hidden);
  }

  /** Whether the connection is installed from this entry of this library (any version). */
  private static boolean installOf(Connection c, Target t) {
    return c.installedFrom() != null
        && t.library().equals(c.installedFrom().library())
        && t.entry().id().equals(c.installedFrom().entry());
  }

  private GitSettings.Source source(View v) throws Refused {
    return changes
        .sourceFor(organizationId)
        .orElseThrow(
            () -> new Refused(409, "The runtime knows no repository of this organization."));
  }

  private static Catalog.Entry show(Catalog catalog, String entry, String version) throws Refused {
    try {
      return catalog.show(version == null || version.isBlank() ? entry : entry + "@" + version);
    } catch (IllegalArgumentException e) {
      throw new Refused(404, e.getMessage());
    }
  }

  private static String fullName(View v) {
    var member = v.org().membersByLogin().get(v.login());
    return member == null ? null : member.fullName();
  }
}
