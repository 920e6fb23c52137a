package dev.conduit.compiler.resolve;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Application;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.bundle.LibraryEntry;
import dev.conduit.bundle.Member;
import dev.conduit.bundle.Organization;
import dev.conduit.bundle.ThirdPartyApp;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.ApiFile;
import dev.conduit.compiler.model.ApplicationFile;
import dev.conduit.compiler.model.ConnectionFile;
import dev.conduit.compiler.model.LibraryFile;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.PlainData;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import dev.conduit.compiler.source.FileKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Phase 4, resolve: turns the file model into the bundle model. Library installs are expanded (the
 * template's auth and APIs with the installer's parameters, owner and enabled APIs), defaults are
 * filled in, code is attached, grants are linked to their connections. Problems that make a piece
 * impossible to resolve are reported here; everything else is left to the checks.
 */
public final class Resolver {

  private final RepositoryModel model;
  private final Diagnostics out;

  public Resolver(RepositoryModel model, Diagnostics out) {
    this.model = model;
    this.out = out;
  }

  /** The resolved bundle (without source), or empty when the organization itself is unusable. */
  public Optional<Bundle> resolve() {
    if (model.organization == null) {
      return Optional.empty();
    }
    var org = model.organization.value();
    Organization organization =
        new Organization(
            org.id(),
            org.name(),
            org.description(),
            org.admins(),
            org.sealing() == null ? null : org.sealing().keyId());
    List<Member> members = model.members == null ? List.of() : model.members.value().members();
    // each connection resolves on its own: in parallel, reported and kept in the folders' order
    List<Folder> folders =
        model.connections.values().stream().filter(f -> f.connection != null).toList();
    List<Connection> connections = new ArrayList<>();
    out.eachInParallel(folders, (folder, own) -> new Resolver(model, own).connection(folder))
        .forEach(c -> c.ifPresent(connections::add));
    List<Application> applications =
        model.applications.values().stream()
            .map(Located::value)
            .map(Resolver::application)
            .toList();
    List<ThirdPartyApp> thirdParty =
        model.thirdPartyApps.values().stream()
            .map(Located::value)
            .map(
                t ->
                    new ThirdPartyApp(
                        t.id(),
                        t.name(),
                        t.description(),
                        t.homepage(),
                        t.owner(),
                        t.appKey(),
                        t.secretHash(),
                        t.redirectUris()))
            .toList();
    List<LibraryEntry> library = new ArrayList<>();
    for (Folder folder : model.library.values()) {
      if (folder.manifest != null && folder.connection != null) {
        library.add(libraryEntry(folder));
      }
    }
    return Optional.of(
        new Bundle(
            Bundle.FORMAT,
            null,
            organization,
            members,
            connections,
            applications,
            thirdParty,
            library));
  }

  private Optional<Connection> connection(Folder folder) {
    ConnectionFile c = folder.connection.value();
    List<String> grants =
        folder.grants == null
            ? List.of()
            : folder.grants.value().applications().stream()
                .map(g -> g.application())
                .distinct()
                .toList();
    if (c.installedFrom() == null) {
      List<Api> apis = new ArrayList<>();
      for (Located<ApiFile> api : folder.apis.values()) {
        apis.add(api(folder, api.value(), true));
      }
      return Optional.of(
          new Connection(
              c.id(),
              c.name(),
              c.description(),
              c.logo(),
              c.owner(),
              notifications(c),
              Hosts.allowed(c, folder),
              Boolean.TRUE.equals(c.allowPrivateNetwork()),
              parameters(c, Map.of()),
              c.auth(),
              null,
              apis,
              grants));
    }
    return installed(folder, c, grants);
  }

  /** An installed connection: the template's auth and APIs, the installer's own settings. */
  private Optional<Connection> installed(Folder folder, ConnectionFile c, List<String> grants) {
    ConnectionFile.InstalledFrom from = c.installedFrom();
    String at = "/installedFrom";
    boolean isPublic = "public".equals(from.libraryOrDefault());
    Folder entry = model.entryFor(from);
    if (isPublic) {
      if (entry == null) {
        return Optional.empty(); // reported when the public entries were attached
      }
    } else if (entry == null || entry.manifest == null || entry.connection == null) {
      if (!model.isBroken("library/" + from.entry() + "/library.json")
          && !model.isBroken("library/" + from.entry() + "/connection.json")) {
        out.at(
            folder.connection.file(),
            at + "/entry",
            Code.C223,
            "no library entry \"" + from.entry() + "\" (library/" + from.entry() + "/library.json)",
            model.library.isEmpty()
                ? null
                : "entries: " + String.join(", ", model.library.keySet()));
      }
      return Optional.empty();
    }
    if (!entry.manifest.value().version().equals(from.version())) {
      out.at(
          folder.connection.file(),
          at + "/version",
          Code.C223,
          "installed version "
              + from.version()
              + " of \""
              + from.entry()
              + "\", but the library has version "
              + entry.manifest.value().version(),
          "upgrade the installation to " + entry.manifest.value().version());
      return Optional.empty();
    }
    ConnectionFile template = entry.connection.value();
    List<String> enabled = c.enabledApis() == null ? List.of() : c.enabledApis();
    List<Api> apis = new ArrayList<>();
    for (Located<ApiFile> api : entry.apis.values()) {
      apis.add(api(entry, api.value(), enabled.contains(api.value().id())));
    }
    Map<String, ConnectionFile.ParameterEntry> own = new LinkedHashMap<>();
    c.parametersOrEmpty().forEach(p -> own.put(p.name(), p));
    return Optional.of(
        new Connection(
            c.id(),
            c.name() == null ? template.name() : c.name(),
            c.description() == null ? template.description() : c.description(),
            c.logo() == null ? template.logo() : c.logo(),
            c.owner(),
            notifications(c),
            Hosts.allowed(template, entry),
            Boolean.TRUE.equals(template.allowPrivateNetwork()),
            parameters(template, own),
            template.auth(),
            new Connection.InstalledFrom(from.libraryOrDefault(), from.entry(), from.version()),
            apis,
            grants));
  }

  /**
   * The parameters: as declared, or (for an install) as the template declares them with the
   * installer's values and visibility.
   */
  private static List<Connection.Parameter> parameters(
      ConnectionFile declaring, Map<String, ConnectionFile.ParameterEntry> installerValues) {
    List<Connection.Parameter> params = new ArrayList<>();
    for (ConnectionFile.ParameterEntry p : declaring.parametersOrEmpty()) {
      ConnectionFile.ParameterEntry v = installerValues.getOrDefault(p.name(), p);
      // The installer's visibility wins (an upgrade keeps it); the template's is the default.
      boolean hidden = v.hidden() != null ? v.hidden() : p.isHidden();
      params.add(
          new Connection.Parameter(
              p.name(), hidden, hidden ? null : v.value(), hidden ? v.sealed() : null));
    }
    return params;
  }

  private static Connection.Notifications notifications(ConnectionFile c) {
    if (c.notifications() == null) {
      return Connection.Notifications.DEFAULT;
    }
    return new Connection.Notifications(
        Boolean.TRUE.equals(c.notifications().onError()),
        c.notifications().minIntervalMinutes() == null
            ? 60
            : c.notifications().minIntervalMinutes(),
        c.notifications().webhookUrl(),
        c.notifications().webhookSecretParameter());
  }

  private Api api(Folder folder, ApiFile a, boolean enabledByInstaller) {
    ApiFile.RequestEntry r = a.request();
    Api.Request request =
        new Api.Request(
            r.method(),
            r.url(),
            r.query() == null ? Map.of() : r.query(),
            r.headers() == null ? Map.of() : r.headers(),
            body(r),
            r.timeoutSeconds() == null ? 30 : r.timeoutSeconds());
    return new Api(
        a.id(),
        a.name(),
        a.description(),
        a.icon(),
        a.color(),
        Api.Status.valueOf(a.status()),
        !Boolean.FALSE.equals(a.enabled()) && enabledByInstaller,
        a.inputsOrEmpty().stream().map(Resolver::input).toList(),
        code(folder, a.before()),
        request,
        code(folder, a.after()),
        a.outputsOrEmpty().stream().map(Resolver::output).toList());
  }

  private static Api.Body body(ApiFile.RequestEntry r) {
    if (r.body() == null) {
      return null;
    }
    return switch (r.body().path("type").asString()) {
      case "json" -> new Api.Body.Json(PlainData.of(r.body().get("json")));
      case "form" -> new Api.Body.Form(PlainData.strings(r.body().get("form")));
      default ->
          new Api.Body.Raw(
              r.body().path("contentType").asString(), r.body().path("raw").asString());
    };
  }

  private static Api.Input input(ApiFile.InputEntry i) {
    return new Api.Input(
        i.alias(),
        i.name(),
        i.description(),
        Api.InputType.valueOf(i.type()),
        i.isRequired(),
        PlainData.of(i.defaultValue()),
        i.fieldsOrEmpty().stream().map(Resolver::input).toList());
  }

  private static Api.Output output(ApiFile.OutputEntry o) {
    return new Api.Output(
        o.alias(),
        o.name(),
        o.description(),
        o.path(),
        Api.OutputType.valueOf(o.type()),
        o.fieldsOrEmpty().stream().map(Resolver::output).toList());
  }

  /**
   * A code block with its source and its shared files' after it; a missing file is reported by the
   * checks and left empty.
   */
  private Api.CodeBlock code(Folder folder, ApiFile.CodeBlockEntry block) {
    if (block == null) {
      return null;
    }
    String path = folder.path + "/" + block.file();
    // shared files after the block: its functions are defined before main runs (JavaScript hoists
    // them; Python defines them as the module runs), and the block's line numbers stay its own
    StringBuilder source = new StringBuilder(model.code.getOrDefault(path, ""));
    for (String shared : block.sharedOrEmpty()) {
      source.append('\n').append(model.code.getOrDefault(folder.path + "/" + shared, ""));
    }
    return new Api.CodeBlock(
        path,
        FileKind.languageOf(block.file()),
        block.timeoutMs() == null ? 2000 : block.timeoutMs(),
        source.toString());
  }

  private static Application application(ApplicationFile a) {
    return new Application(
        a.id(),
        a.name(),
        a.description(),
        a.owner(),
        new Application.Credential(a.credential().key(), a.credential().secretHash()),
        a.usesOrEmpty().stream()
            .map(
                u ->
                    new Application.Usage(
                        u.kind(), u.name(), u.element(), u.link(), u.connection(), u.api()))
            .toList());
  }

  private static LibraryEntry libraryEntry(Folder folder) {
    LibraryFile m = folder.manifest.value();
    ConnectionFile template = folder.connection.value();
    LibraryFile.Guide g = m.guide();
    return new LibraryEntry(
        m.id(),
        m.version(),
        m.name(),
        m.summary(),
        m.categories() == null ? List.of() : m.categories(),
        new LibraryEntry.Guide(
            g.productIntroduction(),
            g.officialWebsite(),
            g.integrationOverview(),
            g.apiDocumentation(),
            g.contact()),
        m.publisher() == null ? null : m.publisher().name(),
        template.auth() == null ? Auth.None.TYPE : template.auth().type(),
        template.parametersOrEmpty().stream()
            .map(
                p ->
                    new LibraryEntry.ParameterSpec(
                        p.name(),
                        p.label(),
                        p.description(),
                        p.isHidden(),
                        Boolean.TRUE.equals(p.required())))
            .toList(),
        folder.apis.values().stream()
            .map(
                a ->
                    new LibraryEntry.ApiSummary(
                        a.value().id(), a.value().name(), a.value().description()))
            .toList());
  }
}
