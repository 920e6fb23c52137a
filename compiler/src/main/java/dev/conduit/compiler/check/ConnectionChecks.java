package dev.conduit.compiler.check;

import dev.conduit.bundle.Auth;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.model.ApiFile;
import dev.conduit.compiler.model.ConnectionFile;
import dev.conduit.compiler.model.ConnectionFile.ParameterEntry;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.resolve.Hosts;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.SealedValue;
import dev.conduit.template.Scope;
import dev.conduit.template.Template;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a connection folder (or a library entry's template): its parameters and sealed values, its
 * auth settings, its APIs, where its secrets may go, and parameters nothing uses.
 */
final class ConnectionChecks {

  private final Context ctx;
  private final Folder folder;
  private final ParsedFile file;
  private final ConnectionFile c;
  private final boolean template;

  /** Parameters referenced anywhere (auth, APIs, code), for the unused-parameter warning. */
  private final Set<String> used = new HashSet<>();

  private ConnectionChecks(Context ctx, Folder folder, boolean template) {
    this.ctx = ctx;
    this.folder = folder;
    this.file = folder.connection.file();
    this.c = folder.connection.value();
    this.template = template;
  }

  /** Checks a connection folder under connections/. */
  static void connection(Context ctx, Folder folder) {
    new ConnectionChecks(ctx, folder, false).run();
  }

  /** Checks a library entry's template under library/. */
  static void libraryTemplate(Context ctx, Folder folder) {
    new ConnectionChecks(ctx, folder, true).run();
  }

  private void run() {
    if (!folder.id.equals(c.id())) {
      ctx.out.at(
          file,
          "/id",
          Code.C201,
          "the connection id \"" + c.id() + "\" differs from its folder name \"" + folder.id + "\"",
          "rename one to match the other");
    }
    owner();
    parameters();
    webhook();
    if (c.installedFrom() != null) {
      InstallChecks.run(ctx, folder);
      return;
    }
    Names names = names(Map.of(), false);
    Map<String, Object> visible = Hosts.visibleValues(c);
    authSettings(names, visible);
    for (Located<ApiFile> api : folder.apis.values()) {
      new ApiChecks(ctx, folder, api, names, visible, c.allowedHosts(), secretsIn(c), used).run();
    }
    unusedParameters();
  }

  private void owner() {
    if (c.owner() != null && ctx.knowsMembers() && !ctx.logins.contains(c.owner())) {
      ctx.out.at(
          file,
          "/owner",
          Code.C203,
          "the owner \"" + c.owner() + "\" is not a member (members.json)",
          null);
    }
    if (!template
        && c.owner() == null
        && c.notifications() != null
        && Boolean.TRUE.equals(c.notifications().onError())) {
      ctx.out.at(
          file,
          "/notifications/onError",
          Code.C235,
          "error alerts are on, but the connection has no owner to receive them",
          "set \"owner\"");
    }
  }

  /**
   * An alert webhook: an absolute http(s) URL, signed with the value of one of the connection's own
   * hidden parameters (so the signing key is sealed like any other secret).
   */
  private void webhook() {
    var n = c.notifications();
    if (n == null || n.webhookUrl() == null && n.webhookSecretParameter() == null) {
      return;
    }
    if (n.webhookUrl() != null) {
      String why = webhookUrlProblem(n.webhookUrl());
      if (why != null) {
        ctx.out.at(file, "/notifications/webhookUrl", Code.C229, why, null);
      }
    }
    String name = n.webhookSecretParameter();
    if (name == null) {
      ctx.out.at(
          file,
          "/notifications/webhookUrl",
          Code.C239,
          "an alert webhook needs webhookSecretParameter: its bodies are signed (HMAC-SHA256)"
              + " with the value of a hidden parameter",
          "add a hidden parameter, seal the signing key into it, and name it in"
              + " \"webhookSecretParameter\"");
      return;
    }
    used.add(name);
    ParameterEntry p =
        c.parametersOrEmpty().stream().filter(e -> name.equals(e.name())).findFirst().orElse(null);
    if (p == null || !Boolean.TRUE.equals(p.hidden())) {
      ctx.out.at(
          file,
          "/notifications/webhookSecretParameter",
          Code.C239,
          p == null
              ? "webhookSecretParameter \"" + name + "\" names no parameter of this connection"
              : "webhookSecretParameter \""
                  + name
                  + "\" is a visible parameter: the signing key must be hidden (sealed)",
          "name a hidden parameter whose sealed value is the signing key");
    } else if (n.webhookUrl() == null) {
      ctx.out.at(
          file,
          "/notifications/webhookSecretParameter",
          Code.C239,
          "webhookSecretParameter is set but there is no webhookUrl to sign for",
          "add \"webhookUrl\" or remove \"webhookSecretParameter\"");
    } else {
      signingKeyLength(p);
    }
  }

  /** The fewest bytes an alert webhook's HMAC-SHA256 key may have (its output's size). */
  static final int MIN_SIGNING_KEY_BYTES = 32;

  /**
   * C241: a signing key shorter than {@link #MIN_SIGNING_KEY_BYTES}. A receiver trusts a body whose
   * signature matches, and a short key can be guessed offline from one signed alert. The sealed
   * value's length shows in its ciphertext (SealedValue.plaintextBytes), so no private key is
   * needed; a value that cannot be read is left to the sealed-value checks.
   */
  private void signingKeyLength(ParameterEntry p) {
    int index = c.parametersOrEmpty().indexOf(p);
    Integer bytes = null;
    String pointer = "/parameters/" + index;
    if (p.sealed() != null) {
      try {
        var n = dev.conduit.seal.SealedValue.parse(p.sealed()).plaintextBytes();
        bytes = n.isPresent() ? n.getAsInt() : null;
        pointer += "/sealed";
      } catch (dev.conduit.seal.SealException e) {
        return;
      }
    } else if (p.value() instanceof String v && !v.isEmpty()) {
      bytes = v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      pointer += "/value";
    }
    if (bytes != null && bytes < MIN_SIGNING_KEY_BYTES) {
      ctx.out.at(
          file,
          pointer,
          Code.C241,
          "the alert webhook's signing key \""
              + p.name()
              + "\" has "
              + bytes
              + " bytes; an HMAC-SHA256 signing key needs at least "
              + MIN_SIGNING_KEY_BYTES
              + " (a short one can be guessed from one signed alert)",
          "seal a random key: openssl rand -hex 32 | conduit seal --connection "
              + c.id()
              + " --parameter "
              + p.name());
    }
  }

  /** Why a webhook URL is not usable, or null when it is an absolute http(s) URL with a host. */
  private static String webhookUrlProblem(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
        return "the webhook URL \"" + url + "\" is not http or https";
      }
      if (u.getHost() == null) {
        return "the webhook URL \"" + url + "\" has no host";
      }
      return null;
    } catch (java.net.URISyntaxException e) {
      return "the webhook URL \"" + url + "\" does not parse: " + e.getReason();
    }
  }

  private void parameters() {
    Set<String> seen = new HashSet<>();
    boolean anyHidden = false;
    List<ParameterEntry> params = c.parametersOrEmpty();
    for (int i = 0; i < params.size(); i++) {
      ParameterEntry p = params.get(i);
      String at = "/parameters/" + i;
      if (!seen.add(p.name())) {
        ctx.out.at(
            file,
            at + "/name",
            Code.C202,
            "the parameter \"" + p.name() + "\" is declared twice",
            null);
      }
      if (p.isHidden()) {
        anyHidden = true;
        hiddenParameter(p, at);
      } else if (p.sealed() != null) {
        ctx.out.at(
            file,
            at + "/sealed",
            Code.C220,
            "the parameter \"" + p.name() + "\" is visible but holds a sealed value",
            "set \"hidden\": true, or give a plain \"value\"");
      }
    }
    if (anyHidden && !template && ctx.model.organization != null && ctx.sealer == null) {
      ctx.out.at(
          file,
          "/parameters",
          Code.C234,
          "the connection has hidden parameters, but organization.json has no sealing public key",
          "run `conduit keys init` to make the runtime's key pair");
    }
  }

  private void hiddenParameter(ParameterEntry p, String at) {
    if (p.value() != null) {
      ctx.out.at(
          file,
          at + "/value",
          Code.C218,
          "the hidden parameter \""
              + p.name()
              + "\" holds a plaintext value: it would be readable by anyone with the repository",
          "remove \"value\" and seal it: printf '%s' 'THE-VALUE' | conduit seal "
              + "--connection "
              + folder.id
              + " --parameter "
              + p.name()
              + " .");
    }
    if (p.sealed() == null) {
      if (!template && p.value() == null) {
        ctx.out.at(
            file,
            at,
            Code.C219,
            "the hidden parameter \"" + p.name() + "\" has no sealed value: it is empty",
            "seal one: printf '%s' 'THE-VALUE' | conduit seal --connection "
                + folder.id
                + " --parameter "
                + p.name()
                + " .");
      }
    } else if (ctx.sealer != null && !ctx.sealer.isSealedToThisKey(p.sealed())) {
      ctx.out.at(
          file,
          at + "/sealed",
          Code.C221,
          "the sealed value of \""
              + p.name()
              + "\" was sealed to another public key than organization.json's: the runtime cannot open it",
          "seal the value again: " + sealCommand(p));
    } else if (!template && ctx.model.organization != null) {
      sealedPlace(p, at);
    }
  }

  /**
   * A value sealed for another place (C237), or of the first format, which hides its place (C238).
   */
  private void sealedPlace(ParameterEntry p, String at) {
    SealedValue value;
    try {
      value = SealedValue.parse(p.sealed());
    } catch (SealException e) {
      return; // the schema's pattern reports a malformed value
    }
    SealContext here = new SealContext(ctx.model.organization.value().id(), folder.id, p.name());
    if (!value.showsBinding()) {
      ctx.out.at(
          file,
          at + "/sealed",
          Code.C238,
          "the sealed value of \""
              + p.name()
              + "\" has the first format ("
              + SealedValue.V1
              + "), which does not show where it belongs: a copy in the wrong place would be refused only when the runtime loads it",
          "seal it again: "
              + sealCommand(p)
              + "; or, where the runtime's private key is, upgrade every value at once: "
              + "conduit keys reseal --private-key FILE .");
    } else if (!value.binding().equals(here)) {
      SealContext there = value.binding();
      ctx.out.at(
          file,
          at + "/sealed",
          Code.C237,
          "the sealed value of \""
              + p.name()
              + "\" was sealed for "
              + (there.organizationId().equals(here.organizationId())
                  ? there.toString()
                  : there.describe())
              + ": the runtime would refuse it here",
          "seal the value again for this place: " + sealCommand(p));
    }
  }

  /** The command that seals a new value into parameter {@code p} of this connection. */
  private String sealCommand(ParameterEntry p) {
    return "printf '%s' 'THE-VALUE' | conduit seal --connection "
        + folder.id
        + " --parameter "
        + p.name()
        + " .";
  }

  /** The names references may use in this connection (plus an API's inputs, given by ApiChecks). */
  Names names(Map<String, dev.conduit.bundle.Api.InputType> inputs, boolean hasBefore) {
    Map<String, Boolean> params = new LinkedHashMap<>();
    c.parametersOrEmpty().forEach(p -> params.putIfAbsent(p.name(), p.isHidden()));
    Auth auth = c.auth() == null ? new Auth.None() : c.auth();
    return new Names(params, inputs, Set.copyOf(auth.values()), hasBefore, auth.type());
  }

  private void authSettings(Names names, Map<String, Object> visible) {
    if (c.auth() == null) {
      return;
    }
    switch (c.auth()) {
      case Auth.None none -> {}
      case Auth.Basic b -> {
        authTemplate("/auth/username", b.username(), names);
        authTemplate("/auth/password", b.password(), names);
        mustBeSealed("/auth/password", b.password(), "password", names);
      }
      case Auth.ClientCredentials cc -> {
        authTemplate("/auth/tokenUrl", cc.tokenUrl(), names);
        // defaulted parameters (none declared) are reported at the auth object itself
        boolean declared = file.has("/auth/parameters");
        cc.parameters()
            .forEach(
                (name, value) -> {
                  String at = declared ? "/auth/parameters/" + escape(name) : "/auth";
                  authTemplate(at, value, names);
                  if (name.toLowerCase(java.util.Locale.ROOT).matches(".*(secret|password).*")) {
                    mustBeSealed(at, value, "token parameter \"" + name + "\"", names);
                  }
                });
        cc.headers()
            .forEach((name, value) -> authTemplate("/auth/headers/" + escape(name), value, names));
        JsonPaths.check(ctx, file, "/auth/tokenResponse", cc.tokenResponse());
        JsonPaths.check(ctx, file, "/auth/tokenExpired/bodyPath", cc.tokenExpired().bodyPath());
        HostCheck.check(
            ctx,
            file,
            "/auth/tokenUrl",
            cc.tokenUrl(),
            visible,
            "the token request's credentials",
            c.allowedHosts());
      }
      case Auth.AuthorizationCode ac -> {
        authTemplate("/auth/authorizationUrl", ac.authorizationUrl(), names);
        authTemplate("/auth/tokenUrl", ac.tokenUrl(), names);
        authTemplate("/auth/clientId", ac.clientId(), names);
        authTemplate("/auth/clientSecret", ac.clientSecret(), names);
        mustBeSealed("/auth/clientSecret", ac.clientSecret(), "client secret", names);
        JsonPaths.check(ctx, file, "/auth/tokenResponse", ac.tokenResponse());
        JsonPaths.check(ctx, file, "/auth/tokenExpired/bodyPath", ac.tokenExpired().bodyPath());
        HostCheck.check(
            ctx,
            file,
            "/auth/authorizationUrl",
            ac.authorizationUrl(),
            visible,
            null,
            c.allowedHosts());
        HostCheck.check(
            ctx,
            file,
            "/auth/tokenUrl",
            ac.tokenUrl(),
            visible,
            "the client secret",
            c.allowedHosts());
        if (ac.authorizationParameters() != null) {
          ac.authorizationParameters()
              .forEach(
                  (name, value) ->
                      authTemplate("/auth/authorizationParameters/" + escape(name), value, names));
        }
        if (ac.revocationUrl() != null) {
          authTemplate("/auth/revocationUrl", ac.revocationUrl(), names);
          HostCheck.check(
              ctx,
              file,
              "/auth/revocationUrl",
              ac.revocationUrl(),
              visible,
              "the client secret and the account's token",
              c.allowedHosts());
        }
        if (ac.accountName() != null) {
          JsonPaths.check(ctx, file, "/auth/accountName/path", ac.accountName().path());
          if (ac.accountName().userinfoUrl() != null) {
            authTemplate("/auth/accountName/userinfoUrl", ac.accountName().userinfoUrl(), names);
            HostCheck.check(
                ctx,
                file,
                "/auth/accountName/userinfoUrl",
                ac.accountName().userinfoUrl(),
                visible,
                "the account's access token",
                c.allowedHosts());
          }
        }
      }
    }
  }

  private void authTemplate(String pointer, String text, Names names) {
    TemplateCheck.check(file, pointer, text, TemplateCheck.Site.AUTH, names, false, ctx.out)
        .ifPresent(this::markUsed);
  }

  /** A secret in auth settings must come from a hidden (sealed) parameter, never be written out. */
  private void mustBeSealed(String pointer, String text, String what, Names names) {
    try {
      Template t = Template.parse(text);
      boolean sealed =
          t.references().stream()
              .anyMatch(r -> r.scope() == Scope.CONNECTION && names.isHiddenParameter(r.name()));
      if (!sealed && !template) {
        ctx.out.at(
            file,
            pointer,
            Code.C231,
            "the " + what + " is not taken from a hidden parameter: it would be plaintext in Git",
            "declare a hidden parameter, seal the value (conduit seal), and write {{connection.NAME}} here");
      }
    } catch (dev.conduit.template.TemplateException e) {
      // reported by authTemplate
    }
  }

  void markUsed(Template t) {
    t.references().stream()
        .filter(r -> r.scope() == Scope.CONNECTION)
        .forEach(r -> used.add(r.name()));
  }

  private void unusedParameters() {
    List<ParameterEntry> params = c.parametersOrEmpty();
    for (int i = 0; i < params.size(); i++) {
      String name = params.get(i).name();
      if (!used.contains(name)) {
        ctx.out.at(
            file,
            "/parameters/" + i,
            Code.C226,
            "the parameter \"" + name + "\" is declared but nothing references it",
            "reference it as {{connection." + name + "}} or remove it");
      }
    }
  }

  /**
   * What a request of this connection carries by default (Basic auth sends credentials on every
   * call).
   */
  private static String secretsIn(ConnectionFile c) {
    if (c.auth() == null || !c.auth().sendsCredentialsItself()) {
      return null;
    }
    return c.auth() instanceof Auth.Basic
        ? "the Basic auth credentials"
        : "the " + c.auth().type() + " credentials";
  }

  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
