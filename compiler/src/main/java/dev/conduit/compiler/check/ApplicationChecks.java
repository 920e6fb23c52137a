package dev.conduit.compiler.check;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Suggestions;
import dev.conduit.compiler.model.ApiFile;
import dev.conduit.compiler.model.ApplicationFile;
import dev.conduit.compiler.model.ConnectionFile;
import dev.conduit.compiler.model.GrantsFile;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import dev.conduit.compiler.model.ThirdPartyAppFile;
import dev.conduit.compiler.parse.ParsedFile;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may use what: grants name applications of this organization; an application's declared uses
 * name published, enabled APIs of connections it is granted; keys are unique.
 */
final class ApplicationChecks {
  private ApplicationChecks() {}

  static void run(Context ctx) {
    RepositoryModel m = ctx.model;
    for (Folder folder : m.connections.values()) {
      if (folder.grants != null) {
        grants(ctx, folder.grants);
      }
    }
    Map<String, String> keys = new HashMap<>();
    for (Located<ApplicationFile> located : m.applications.values()) {
      ApplicationFile app = located.value();
      ParsedFile file = located.file();
      if (!app.id().equals(file.idFromPath())) {
        ctx.out.at(
            file,
            "/id",
            Code.C201,
            "the application id \""
                + app.id()
                + "\" differs from its file name \""
                + file.idFromPath()
                + ".json\"",
            null);
      }
      String other = keys.putIfAbsent(app.credential().key(), app.id());
      if (other != null) {
        ctx.out.at(
            file,
            "/credential/key",
            Code.C202,
            "the key \""
                + app.credential().key()
                + "\" is also application \""
                + other
                + "\"'s key: keys identify applications",
            null);
      }
      owner(ctx, file, app.owner());
      List<ApplicationFile.Use> uses = app.usesOrEmpty();
      for (int i = 0; i < uses.size(); i++) {
        use(ctx, file, "/uses/" + i, app.id(), uses.get(i));
      }
    }
    Set<String> appKeys = new HashSet<>();
    for (Located<ThirdPartyAppFile> located : m.thirdPartyApps.values()) {
      thirdParty(ctx, located, appKeys);
    }
  }

  private static void grants(Context ctx, Located<GrantsFile> grants) {
    Set<String> seen = new HashSet<>();
    List<GrantsFile.Grant> list = grants.value().applications();
    for (int i = 0; i < list.size(); i++) {
      GrantsFile.Grant g = list.get(i);
      String at = "/applications/" + i;
      if (!seen.add(g.application())) {
        ctx.out.at(
            grants.file(),
            at + "/application",
            Code.C202,
            "the application \"" + g.application() + "\" is granted twice",
            null);
      }
      if (!ctx.model.applications.containsKey(g.application())
          && !ctx.model.isBroken("applications/" + g.application() + ".json")) {
        String s = Suggestions.closest(g.application(), ctx.model.applications.keySet());
        ctx.out.at(
            grants.file(),
            at + "/application",
            Code.C210,
            "no application \""
                + g.application()
                + "\" in this organization (applications/"
                + g.application()
                + ".json)"
                + (s == null ? "" : " (did you mean \"" + s + "\"?)"),
            "only applications of the same organization can be authorized");
      }
      if (g.grantedBy() != null) {
        owner(ctx, grants.file(), g.grantedBy(), at + "/grantedBy");
      }
    }
  }

  private static void use(
      Context ctx, ParsedFile file, String at, String appId, ApplicationFile.Use use) {
    Folder folder = ctx.model.connections.get(use.connection());
    if (folder == null || folder.connection == null) {
      if (!ctx.model.isBroken("connections/" + use.connection() + "/connection.json")) {
        ctx.out.at(
            file,
            at + "/connection",
            Code.C212,
            "no connection \"" + use.connection() + "\"",
            null);
      }
      return;
    }
    ConnectionFile c = folder.connection.value();
    Located<ApiFile> api;
    boolean enabledByInstall = true;
    if (c.installedFrom() != null) {
      Folder entry = ctx.model.entryFor(c.installedFrom());
      if (entry == null || entry.manifest == null) {
        return; // the missing library entry is reported on the connection
      }
      api = entry.apis.get(use.api());
      enabledByInstall = c.enabledApis() != null && c.enabledApis().contains(use.api());
    } else {
      api = folder.apis.get(use.api());
    }
    if (api == null) {
      if (!ctx.model.isBroken(folder.path + "/apis/" + use.api() + ".json")) {
        ctx.out.at(
            file,
            at + "/api",
            Code.C212,
            "the connection \"" + use.connection() + "\" has no API \"" + use.api() + "\"",
            null);
      }
      return;
    }
    boolean published = "published".equals(api.value().status());
    boolean enabled = !Boolean.FALSE.equals(api.value().enabled()) && enabledByInstall;
    if (!published || !enabled) {
      ctx.out.at(
          file,
          at + "/api",
          Code.C213,
          "\""
              + use.name()
              + "\" uses "
              + use.connection()
              + "/"
              + use.api()
              + ", which is "
              + (!published ? "a draft" : "disabled")
              + ": applications cannot invoke it",
          !published
              ? "publish it (\"status\": \"published\")"
              : c.installedFrom() != null ? "add it to the connection's enabledApis" : "enable it");
    }
    if (folder.grants == null && ctx.model.isBroken(folder.path + "/grants.json")) {
      return; // the broken grants file is reported; whether it grants is unknown
    }
    boolean granted =
        folder.grants != null
            && folder.grants.value().applications().stream()
                .anyMatch(g -> g.application().equals(appId));
    if (!granted) {
      ctx.out.at(
          file,
          at + "/connection",
          Code.C214,
          "the application is not granted the connection \"" + use.connection() + "\"",
          "add {\"application\": \"" + appId + "\"} to " + folder.path + "/grants.json");
    }
  }

  private static void thirdParty(
      Context ctx, Located<ThirdPartyAppFile> located, Set<String> appKeys) {
    ThirdPartyAppFile t = located.value();
    ParsedFile file = located.file();
    if (!t.id().equals(file.idFromPath())) {
      ctx.out.at(
          file,
          "/id",
          Code.C201,
          "the id \"" + t.id() + "\" differs from its file name \"" + file.idFromPath() + ".json\"",
          null);
    }
    if (!appKeys.add(t.appKey())) {
      ctx.out.at(
          file,
          "/appKey",
          Code.C202,
          "the app_key \"" + t.appKey() + "\" is used by another third-party application",
          null);
    }
    owner(ctx, file, t.owner());
    for (int i = 0; i < t.redirectUris().size(); i++) {
      URI uri = URI.create(t.redirectUris().get(i).replace(" ", "%20"));
      String host = uri.getHost() == null ? "" : uri.getHost();
      boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
      if ("http".equalsIgnoreCase(uri.getScheme()) && !local) {
        ctx.out.at(
            file,
            "/redirectUris/" + i,
            Code.C236,
            "the redirect URI uses plain http: authorization codes would travel unencrypted",
            "use https");
      }
    }
  }

  private static void owner(Context ctx, ParsedFile file, String login) {
    owner(ctx, file, login, "/owner");
  }

  private static void owner(Context ctx, ParsedFile file, String login, String pointer) {
    if (login != null && ctx.knowsMembers() && !ctx.logins.contains(login)) {
      ctx.out.at(
          file, pointer, Code.C203, "\"" + login + "\" is not a member (members.json)", null);
    }
  }
}
