package dev.conduit.compiler.diff;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Application;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.bundle.Member;
import dev.conduit.bundle.ThirdPartyApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a pull request changes, semantically: connections, APIs, grants, applications added, removed
 * or changed, and which changes break a consumer (an API an application uses removed, unpublished
 * or disabled; an input made required; an output removed). Sealed values are only ever reported as
 * "changed".
 */
public final class BundleDiff {

  private final Bundle base;
  private final Bundle head;
  private final List<Change> changes = new ArrayList<>();

  private BundleDiff(Bundle base, Bundle head) {
    this.base = base;
    this.head = head;
  }

  public static List<Change> between(Bundle base, Bundle head) {
    BundleDiff d = new BundleDiff(base, head);
    d.organization();
    d.connections();
    d.applications();
    d.thirdPartyApps();
    d.members();
    return List.copyOf(d.changes);
  }

  private void organization() {
    List<String> details = new ArrayList<>();
    field(details, "name", base.organization().name(), head.organization().name());
    field(details, "admins", base.organization().admins(), head.organization().admins());
    if (!Objects.equals(base.organization().sealingKeyId(), head.organization().sealingKeyId())) {
      details.add(
          "sealing key replaced ("
              + base.organization().sealingKeyId()
              + " -> "
              + head.organization().sealingKeyId()
              + "): values sealed to the old key no longer open");
    }
    if (!details.isEmpty()) {
      changes.add(
          new Change(
              Change.Kind.changed,
              "organization",
              head.organization().id(),
              details,
              null,
              List.of()));
    }
  }

  private void connections() {
    Map<String, Connection> before = byId(base.connections(), Connection::id);
    Map<String, Connection> after = byId(head.connections(), Connection::id);
    for (String id : union(before.keySet(), after.keySet())) {
      Connection b = before.get(id);
      Connection a = after.get(id);
      if (b == null) {
        changes.add(
            new Change(
                Change.Kind.added,
                "connections",
                id,
                List.of(a.name() + " (auth " + authType(a) + ", " + apiCount(a) + ")"),
                null,
                List.of()));
        a.grants()
            .forEach(
                g ->
                    changes.add(
                        new Change(
                            Change.Kind.added,
                            "grants",
                            id + " -> " + g,
                            List.of(),
                            null,
                            List.of())));
      } else if (a == null) {
        List<String> used = usesOf(id, null);
        changes.add(
            new Change(
                Change.Kind.removed,
                "connections",
                id,
                List.of(b.name()),
                used.isEmpty() ? null : "applications use its APIs",
                used));
      } else {
        connection(b, a);
      }
    }
  }

  private void connection(Connection b, Connection a) {
    List<String> details = new ArrayList<>();
    field(details, "name", b.name(), a.name());
    field(details, "owner", b.owner(), a.owner());
    field(details, "auth", authType(b), authType(a));
    if (authType(b).equals(authType(a)) && !Objects.equals(b.auth(), a.auth())) {
      details.add("auth settings changed");
    }
    field(details, "allowed hosts", b.allowedHosts(), a.allowedHosts());
    field(details, "private network allowed", b.allowPrivateNetwork(), a.allowPrivateNetwork());
    field(details, "error alerts", b.notifications(), a.notifications());
    field(details, "installed from", installed(b.installedFrom()), installed(a.installedFrom()));
    parameters(details, b, a);
    if (!details.isEmpty()) {
      changes.add(new Change(Change.Kind.changed, "connections", a.id(), details, null, List.of()));
    }
    for (String g : union(new TreeSet<>(b.grants()), new TreeSet<>(a.grants()))) {
      if (!b.grants().contains(g)) {
        changes.add(
            new Change(
                Change.Kind.added, "grants", a.id() + " -> " + g, List.of(), null, List.of()));
      } else if (!a.grants().contains(g)) {
        List<String> used =
            usesOf(a.id(), null).stream().filter(u -> u.startsWith(g + ":")).toList();
        changes.add(
            new Change(
                Change.Kind.removed,
                "grants",
                a.id() + " -> " + g,
                List.of(),
                used.isEmpty() ? null : "the application loses access to APIs it uses",
                used));
      }
    }
    Map<String, Api> before = byId(b.apis(), Api::id);
    Map<String, Api> after = byId(a.apis(), Api::id);
    for (String id : union(before.keySet(), after.keySet())) {
      api(a.id(), before.get(id), after.get(id));
    }
  }

  private static void parameters(List<String> details, Connection b, Connection a) {
    Map<String, Connection.Parameter> before = byId(b.parameters(), Connection.Parameter::name);
    Map<String, Connection.Parameter> after = byId(a.parameters(), Connection.Parameter::name);
    for (String name : union(before.keySet(), after.keySet())) {
      Connection.Parameter pb = before.get(name);
      Connection.Parameter pa = after.get(name);
      if (pb == null) {
        details.add("parameter " + name + " added" + (pa.hidden() ? " (hidden)" : ""));
      } else if (pa == null) {
        details.add("parameter " + name + " removed");
      } else if (pb.hidden() != pa.hidden()) {
        details.add("parameter " + name + " is now " + (pa.hidden() ? "hidden" : "visible"));
      } else if (pa.hidden() && !Objects.equals(pb.sealed(), pa.sealed())) {
        details.add("parameter " + name + ": sealed value changed");
      } else if (!pa.hidden() && !Objects.equals(pb.value(), pa.value())) {
        details.add("parameter " + name + ": " + pb.value() + " -> " + pa.value());
      }
    }
  }

  private void api(String connection, Api b, Api a) {
    String subject = connection + "/" + (a == null ? b.id() : a.id());
    if (b == null) {
      changes.add(
          new Change(
              Change.Kind.added,
              "apis",
              subject,
              List.of(a.name() + " (" + a.status() + (a.enabled() ? "" : ", disabled") + ")"),
              null,
              List.of()));
      return;
    }
    List<String> used = usesOf(connection, b.id());
    if (a == null) {
      changes.add(
          new Change(
              Change.Kind.removed,
              "apis",
              subject,
              List.of(b.name()),
              b.invocable() ? "the API is removed" : null,
              used));
      return;
    }
    List<String> details = new ArrayList<>();
    List<String> breaking = new ArrayList<>();
    field(details, "name", b.name(), a.name());
    if (b.status() != a.status()) {
      details.add("status: " + b.status() + " -> " + a.status());
      if (a.status() == Api.Status.draft && b.enabled()) {
        breaking.add("unpublished");
      }
    }
    if (b.enabled() != a.enabled()) {
      details.add(a.enabled() ? "enabled" : "disabled");
      if (!a.enabled() && b.status() == Api.Status.published) {
        breaking.add("disabled");
      }
    }
    inputs(details, breaking, b.inputs(), a.inputs(), "input ");
    outputs(details, breaking, b.outputs(), a.outputs(), "output ");
    if (!Objects.equals(b.request(), a.request())) {
      details.add("request changed" + requestDetail(b.request(), a.request()));
    }
    codeChange(details, "before block", b.before(), a.before());
    codeChange(details, "after block", b.after(), a.after());
    if (!details.isEmpty()) {
      changes.add(
          new Change(
              Change.Kind.changed,
              "apis",
              subject,
              details,
              breaking.isEmpty() ? null : String.join("; ", breaking),
              breaking.isEmpty() ? List.of() : used));
    }
  }

  private static void inputs(
      List<String> details,
      List<String> breaking,
      List<Api.Input> before,
      List<Api.Input> after,
      String prefix) {
    Map<String, Api.Input> b = byId(before, Api.Input::alias);
    Map<String, Api.Input> a = byId(after, Api.Input::alias);
    for (String alias : union(b.keySet(), a.keySet())) {
      Api.Input ib = b.get(alias);
      Api.Input ia = a.get(alias);
      if (ib == null) {
        boolean required = ia.required() && ia.defaultValue() == null;
        details.add(prefix + alias + " added" + (ia.required() ? " (required)" : ""));
        if (required) {
          breaking.add("new required " + prefix + alias);
        }
      } else if (ia == null) {
        details.add(prefix + alias + " removed");
        breaking.add(prefix + alias + " removed (callers that send it are refused)");
      } else {
        if (ib.type() != ia.type()) {
          details.add(prefix + alias + ": type " + ib.type() + " -> " + ia.type());
          breaking.add(prefix + alias + " changed type");
        }
        if (!ib.required() && ia.required()) {
          details.add(prefix + alias + ": now required");
          breaking.add(prefix + alias + " made required");
        } else if (ib.required() && !ia.required()) {
          details.add(prefix + alias + ": now optional");
        }
        if (!Objects.equals(ib.defaultValue(), ia.defaultValue())) {
          details.add(
              prefix + alias + ": default " + ib.defaultValue() + " -> " + ia.defaultValue());
        }
        if (!ia.fields().isEmpty() || !ib.fields().isEmpty()) {
          inputs(details, breaking, ib.fields(), ia.fields(), prefix + alias + ".");
        }
      }
    }
  }

  private static void outputs(
      List<String> details,
      List<String> breaking,
      List<Api.Output> before,
      List<Api.Output> after,
      String prefix) {
    Map<String, Api.Output> b = byId(before, Api.Output::alias);
    Map<String, Api.Output> a = byId(after, Api.Output::alias);
    for (String alias : union(b.keySet(), a.keySet())) {
      Api.Output ob = b.get(alias);
      Api.Output oa = a.get(alias);
      if (ob == null) {
        details.add(prefix + alias + " added");
      } else if (oa == null) {
        details.add(prefix + alias + " removed");
        breaking.add(prefix + alias + " removed");
      } else {
        if (ob.type() != oa.type()) {
          details.add(prefix + alias + ": type " + ob.type() + " -> " + oa.type());
          breaking.add(prefix + alias + " changed type");
        }
        if (!ob.path().equals(oa.path())) {
          details.add(prefix + alias + ": path " + ob.path() + " -> " + oa.path());
        }
        outputs(details, breaking, ob.fields(), oa.fields(), prefix + alias + ".");
      }
    }
  }

  private static String requestDetail(Api.Request b, Api.Request a) {
    List<String> parts = new ArrayList<>();
    if (!b.method().equals(a.method())) {
      parts.add("method " + b.method() + " -> " + a.method());
    }
    if (!b.url().equals(a.url())) {
      parts.add("url " + b.url() + " -> " + a.url());
    }
    if (!b.query().equals(a.query())) {
      parts.add("query");
    }
    if (!b.headers().equals(a.headers())) {
      parts.add("headers");
    }
    if (!Objects.equals(b.body(), a.body())) {
      parts.add("body");
    }
    if (b.timeoutSeconds() != a.timeoutSeconds()) {
      parts.add("timeout " + b.timeoutSeconds() + "s -> " + a.timeoutSeconds() + "s");
    }
    return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
  }

  private static void codeChange(
      List<String> details, String what, Api.CodeBlock b, Api.CodeBlock a) {
    if (b == null && a != null) {
      details.add(what + " added (" + a.file() + ")");
    } else if (b != null && a == null) {
      details.add(what + " removed");
    } else if (b != null && !b.equals(a)) {
      details.add(what + " changed (" + a.file() + ")");
    }
  }

  private void applications() {
    Map<String, Application> before = byId(base.applications(), Application::id);
    Map<String, Application> after = byId(head.applications(), Application::id);
    for (String id : union(before.keySet(), after.keySet())) {
      Application b = before.get(id);
      Application a = after.get(id);
      if (b == null) {
        changes.add(
            new Change(Change.Kind.added, "applications", id, List.of(a.name()), null, List.of()));
      } else if (a == null) {
        changes.add(
            new Change(
                Change.Kind.removed, "applications", id, List.of(b.name()), null, List.of()));
      } else {
        List<String> details = new ArrayList<>();
        field(details, "name", b.name(), a.name());
        field(details, "owner", b.owner(), a.owner());
        field(details, "key", b.credential().key(), a.credential().key());
        if (!b.credential().secretHash().equals(a.credential().secretHash())) {
          details.add("secret rotated: the old secret stops working when this is deployed");
        }
        for (String use :
            union(new TreeSet<>(describe(b.uses())), new TreeSet<>(describe(a.uses())))) {
          if (!describe(b.uses()).contains(use)) {
            details.add("uses " + use);
          } else if (!describe(a.uses()).contains(use)) {
            details.add("no longer uses " + use);
          }
        }
        if (!details.isEmpty()) {
          changes.add(
              new Change(Change.Kind.changed, "applications", id, details, null, List.of()));
        }
      }
    }
  }

  private void thirdPartyApps() {
    Map<String, ThirdPartyApp> before = byId(base.thirdPartyApps(), ThirdPartyApp::id);
    Map<String, ThirdPartyApp> after = byId(head.thirdPartyApps(), ThirdPartyApp::id);
    for (String id : union(before.keySet(), after.keySet())) {
      ThirdPartyApp b = before.get(id);
      ThirdPartyApp a = after.get(id);
      if (b == null) {
        changes.add(
            new Change(
                Change.Kind.added,
                "third-party-apps",
                id,
                List.of(a.name() + " (app_key " + a.appKey() + ")"),
                null,
                List.of()));
      } else if (a == null) {
        changes.add(
            new Change(
                Change.Kind.removed,
                "third-party-apps",
                id,
                List.of(b.name()),
                "users can no longer sign in to it through Conduit",
                List.of()));
      } else {
        List<String> details = new ArrayList<>();
        field(details, "name", b.name(), a.name());
        field(details, "app_key", b.appKey(), a.appKey());
        if (!b.secretHash().equals(a.secretHash())) {
          details.add("app secret rotated");
        }
        List<String> removed =
            b.redirectUris().stream().filter(u -> !a.redirectUris().contains(u)).toList();
        field(details, "redirect URIs", b.redirectUris(), a.redirectUris());
        if (!details.isEmpty()) {
          changes.add(
              new Change(
                  Change.Kind.changed,
                  "third-party-apps",
                  id,
                  details,
                  removed.isEmpty() && b.appKey().equals(a.appKey())
                      ? null
                      : "sign-ins with the old app_key or redirect URIs fail",
                  List.of()));
        }
      }
    }
  }

  private void members() {
    Map<String, Member> before = byId(base.members(), Member::login);
    Map<String, Member> after = byId(head.members(), Member::login);
    for (String login : union(before.keySet(), after.keySet())) {
      if (!before.containsKey(login)) {
        changes.add(new Change(Change.Kind.added, "members", login, List.of(), null, List.of()));
      } else if (!after.containsKey(login)) {
        changes.add(new Change(Change.Kind.removed, "members", login, List.of(), null, List.of()));
      } else if (!before.get(login).equals(after.get(login))) {
        changes.add(
            new Change(
                Change.Kind.changed,
                "members",
                login,
                List.of("profile changed"),
                null,
                List.of()));
      }
    }
  }

  /** "app: worksheet Customers / Company details" for each base use of the connection (and API). */
  private List<String> usesOf(String connection, String api) {
    List<String> out = new ArrayList<>();
    for (Application app : base.applications()) {
      for (Application.Usage u : app.uses()) {
        if (u.connection().equals(connection) && (api == null || u.api().equals(api))) {
          out.add(
              app.id()
                  + ": "
                  + u.kind()
                  + " \""
                  + u.name()
                  + "\""
                  + (u.element() == null ? "" : " / " + u.element()));
        }
      }
    }
    return out;
  }

  private static List<String> describe(List<Application.Usage> uses) {
    return uses.stream()
        .map(u -> u.connection() + "/" + u.api() + " (" + u.kind() + " \"" + u.name() + "\")")
        .toList();
  }

  /**
   * The APIs the new connection will serve: an install enables only the APIs chosen, so "3 APIs"
   * for an install of 2 of an entry's 3 would overstate what it adds.
   */
  static String apiCount(Connection c) {
    long enabled = c.apis().stream().filter(Api::enabled).count();
    int all = c.apis().size();
    if (enabled == all) {
      return all + (all == 1 ? " API" : " APIs");
    }
    return enabled + " of " + all + (all == 1 ? " API" : " APIs") + " enabled";
  }

  private static String authType(Connection c) {
    return c.auth().type();
  }

  /** "public tianyancha@1.1.0", as a person names an install (not the record's own text). */
  private static String installed(Connection.InstalledFrom from) {
    return from == null ? null : from.library() + " " + from.entry() + "@" + from.version();
  }

  private static void field(List<String> details, String name, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      details.add(name + ": " + before + " -> " + after);
    }
  }

  private static <T> Map<String, T> byId(List<T> list, Function<T, String> id) {
    return list.stream()
        .collect(Collectors.toMap(id, Function.identity(), (x, y) -> x, LinkedHashMap::new));
  }

  private static TreeSet<String> union(
      java.util.Collection<String> a, java.util.Collection<String> b) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
