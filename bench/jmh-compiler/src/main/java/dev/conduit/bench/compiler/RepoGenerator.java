package dev.conduit.bench.compiler;

import static dev.conduit.bench.compiler.Json.list;
import static dev.conduit.bench.compiler.Json.obj;

import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import dev.conduit.seal.SealingKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a realistic organization repository of N connections x M APIs for the compiler benchmarks,
 * built from the shapes of {@code connections-repo/}: every auth kind (client credentials as form,
 * query and JSON; Basic; an API key in the query; authorization code; none), every input type,
 * object arrays in inputs and nested in outputs, JSON, form and raw bodies, path-segment inputs,
 * before and after code blocks in JavaScript and Python, drafts and disabled APIs, sealed hidden
 * parameters, library entries and connections installed from them, grants, applications with uses,
 * third-party applications.
 *
 * <p>The output is deterministic for a seed, except the sealed values (sealing is randomized). It
 * validates clean: {@code conduit validate DIR} reports no problem. Every connection has M APIs in
 * the bundle; a connection installed from the library gets them from its entry, whose M API files
 * are shared by every installation.
 *
 * <pre>
 * java -cp bench/jmh-compiler/target/conduit-bench-compiler.jar:bench/jmh-compiler/target/lib/* \
 *   dev.conduit.bench.compiler.RepoGenerator --connections 1000 --apis 10 --force /tmp/org-1000
 * </pre>
 */
public final class RepoGenerator {

  /**
   * The example organization's sealing public key (connections-repo/organization.json): the
   * runtime's demo private key (connections-repo/demo-keys) opens what is sealed to it.
   */
  public static final String DEMO_PUBLIC_KEY =
      "CJO4ws0CEnAKZAo0dHlwZS5nb29nbGVhcGlzLmNvbS9nb29nbGUuY3J5cHRvLnRpbmsuSHBrZVB1YmxpY0tleRIqEgYIARABGAIaIKCktBX9I5GvfdjOS4PwAwTuPMumZO18O/4eHlHX+DlKGAMQARiTuMLNAiAB";

  /** What was written. {@code bundleApis} = connections x APIs per connection. */
  public record Summary(
      int files,
      int connections,
      int installed,
      int apiFiles,
      int bundleApis,
      int libraryEntries,
      int codeFiles,
      int codeBlocks,
      int applications,
      int uses,
      int thirdPartyApps,
      int members,
      int sealedValues) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d files: %d connections (%d installed from %d library entries), %d APIs in the bundle "
              + "(%d API files), %d code files (%d code blocks), %d applications with %d uses, "
              + "%d third-party apps, %d members, %d sealed values",
          files,
          connections,
          installed,
          libraryEntries,
          bundleApis,
          apiFiles,
          codeFiles,
          codeBlocks,
          applications,
          uses,
          thirdPartyApps,
          members,
          sealedValues);
    }
  }

  /** How a connection authenticates (and so what its requests carry). */
  enum Kind {
    /** demo: client credentials, parameters in a form, token URL from a visible base_url. */
    CLIENT_CREDENTIALS_FORM,
    /** wecom: client credentials by GET query, "token expired" read from a 200 body. */
    CLIENT_CREDENTIALS_QUERY,
    /** jira: Basic with a sealed API token. */
    BASIC,
    /** openweather: no auth, a sealed API key in the query string. */
    KEY_IN_QUERY,
    /** github: authorization code, explicit allowedHosts. */
    AUTHORIZATION_CODE,
    /** sms-gateway: a key header, the request signed by a JavaScript before block. */
    SIGNED_IN_CODE,
    /** exchange-rates: a public API whose responses code blocks reshape. */
    PUBLIC_WITH_CODE,
    /** client credentials as JSON with a tenant header, allowedHosts with a wildcard. */
    CLIENT_CREDENTIALS_JSON,
    /** tianyancha: installed from a library entry. */
    INSTALLED
  }

  private static final String[] VENDORS = {
    "crm",
    "erp",
    "hris",
    "billing",
    "helpdesk",
    "payments",
    "shipping",
    "marketing",
    "storage",
    "analytics",
    "chat",
    "calendar",
    "docs",
    "sms",
    "weather",
    "fx",
    "maps",
    "survey",
    "esign",
    "inventory"
  };
  private static final String[] NOUNS = {
    "orders",
    "customers",
    "invoices",
    "tickets",
    "shipments",
    "contacts",
    "products",
    "payments",
    "users",
    "projects",
    "assets",
    "leads",
    "quotes",
    "contracts",
    "devices",
    "events"
  };
  private static final String[] COLORS = {
    "#2F80ED", "#27AE60", "#9B51E0", "#0052CC", "#EB6E4B", "#F2994A", "#07C160", "#24292F",
    "#0084FF"
  };
  private static final String[] FIRST = {
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
    "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Uma", "Victor", "Wendy"
  };
  private static final String[] LAST = {
    "Chen", "Martin", "Wang", "Okafor", "Li", "Schmidt", "Garcia", "Kim", "Nowak", "Rossi", "Silva",
    "Tanaka"
  };
  private static final String[] DEPARTMENTS = {
    "IT", "Sales", "Human Resources", "Finance", "Operations", "Marketing", "Legal", "Support"
  };

  private final Path root;
  private final int connectionCount;
  private final int apisPerConnection;
  private final Random random;
  private final Sealer sealer;
  private final String publicKey;
  private final String orgId;
  private final List<String> logins = new ArrayList<>();
  private final int applicationCount;
  private final int libraryCount;

  /** Published and enabled APIs by connection, for applications' uses. */
  private final Map<String, List<String>> usable = new LinkedHashMap<>();

  /** Applications granted each connection. */
  private final Map<String, List<String>> granted = new LinkedHashMap<>();

  /** Library entry id -> its API ids. */
  private final Map<String, List<String>> libraryApis = new LinkedHashMap<>();

  private int files;
  private int apiFiles;
  private int codeFiles;
  private int codeBlocks;
  private int sealedValues;
  private int installed;
  private int uses;

  private RepoGenerator(
      Path root, int connections, int apisPerConnection, long seed, String publicKey) {
    if (connections < 1 || apisPerConnection < 1) {
      throw new IllegalArgumentException("at least one connection with one API");
    }
    this.root = root;
    this.connectionCount = connections;
    this.apisPerConnection = apisPerConnection;
    this.random = new Random(seed);
    this.publicKey = publicKey;
    try {
      this.sealer = new Sealer(publicKey);
    } catch (SealException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    this.orgId = new UUID(random.nextLong(), random.nextLong()).toString();
    this.applicationCount = Math.max(3, (connections + 9) / 10);
    this.libraryCount = Math.max(1, (connections + 99) / 100);
  }

  /**
   * Writes the repository into {@code root} (created; it must not exist or be empty), sealing
   * hidden values to the example organization's public key.
   */
  public static Summary generate(Path root, int connections, int apisPerConnection, long seed)
      throws IOException {
    return generate(root, connections, apisPerConnection, seed, DEMO_PUBLIC_KEY);
  }

  /** As {@link #generate(Path, int, int, long)}, sealing to another public key (base64 keyset). */
  public static Summary generate(
      Path root, int connections, int apisPerConnection, long seed, String publicKey)
      throws IOException {
    if (Files.exists(root)) {
      try (var entries = Files.list(root)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(root + " is not empty");
        }
      }
    }
    Files.createDirectories(root);
    return new RepoGenerator(root, connections, apisPerConnection, seed, publicKey).run();
  }

  private Summary run() throws IOException {
    members();
    organization();
    for (int e = 0; e < libraryCount; e++) {
      libraryEntry(e);
    }
    for (int i = 0; i < connectionCount; i++) {
      connection(i);
    }
    applications();
    int thirdParty = Math.max(1, connectionCount / 100);
    for (int t = 0; t < thirdParty; t++) {
      thirdPartyApp(t);
    }
    write(
        "README.md",
        "# Generated organization\n\nWritten by dev.conduit.bench.compiler.RepoGenerator "
            + "for the compiler benchmarks ("
            + connectionCount
            + " connections x "
            + apisPerConnection
            + " APIs). Not a real organization.\n");
    return new Summary(
        files,
        connectionCount,
        installed,
        apiFiles,
        connectionCount * apisPerConnection,
        libraryCount,
        codeFiles,
        codeBlocks,
        applicationCount,
        uses,
        thirdParty,
        logins.size(),
        sealedValues);
  }

  // --- organization and members ---

  private void members() throws IOException {
    int count = Math.max(10, connectionCount / 10);
    List<Object> members = list();
    for (int m = 0; m < count; m++) {
      String first = FIRST[m % FIRST.length];
      String last = LAST[(m / FIRST.length + m) % LAST.length];
      String login = first.toLowerCase(Locale.ROOT) + (m < FIRST.length ? "" : String.valueOf(m));
      logins.add(login);
      members.add(
          obj(
              "login",
              login,
              "accountId",
              "acc-" + hex(8),
              "userId",
              String.format(Locale.ROOT, "u-%04d", m + 1),
              "full_name",
              first + " " + last,
              "email",
              login + "@org.example",
              "mobile_phone",
              String.format(Locale.ROOT, "+86 138 %04d %04d", m / 10000, m % 10000),
              "department",
              DEPARTMENTS[m % DEPARTMENTS.length],
              "job",
              m % 7 == 0 ? "Integration lead" : "Analyst",
              "job_number",
              String.format(Locale.ROOT, "E%04d", m + 1),
              "work_site",
              m % 3 == 0 ? "Shanghai HQ" : "Remote"));
    }
    writeJson("members.json", obj("$schema", "../schemas/members.schema.json", "members", members));
  }

  private void organization() throws IOException {
    String keyId;
    try {
      keyId = SealingKeys.keyIdOf(publicKey);
    } catch (SealException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    writeJson(
        "organization.json",
        obj(
            "$schema",
            "../schemas/organization.schema.json",
            "id",
            orgId,
            "name",
            "Generated Trading Co. (" + connectionCount + " x " + apisPerConnection + ")",
            "description",
            "A generated organization for the compiler benchmarks.",
            "admins",
            list(logins.get(0), logins.get(1)),
            "sealing",
            obj("publicKey", publicKey, "keyId", keyId)));
  }

  // --- library entries ---

  private void libraryEntry(int e) throws IOException {
    String id = "registry-" + String.format(Locale.ROOT, "%02d", e);
    String dir = "library/" + id;
    String host = "open.api.registry" + e + ".example.com";
    writeJson(
        dir + "/library.json",
        obj(
            "$schema",
            "../../../schemas/library.schema.json",
            "id",
            id,
            "version",
            "1.0.0",
            "name",
            "Company Registry " + e,
            "summary",
            "Company registration data: business information, shareholders and search.",
            "categories",
            list("Business data", "Compliance"),
            "guide",
            obj(
                "productIntroduction",
                    "A business information platform covering registered companies and organizations.",
                "officialWebsite", "https://www.registry" + e + ".example.com",
                "integrationOverview",
                    "Register on the open platform, apply for the APIs you need, copy the token into the connection, then enable the APIs.",
                "apiDocumentation", "https://open.registry" + e + ".example.com/docs",
                "contact", "integrations@org.example"),
            "publisher",
            obj("name", "Integration team", "login", logins.get(0))));
    writeJson(
        dir + "/connection.json",
        obj(
            "$schema",
            "../../../schemas/connection.schema.json",
            "id",
            id,
            "name",
            "Company Registry " + e,
            "description",
            "Company registration data. The token is sent in the Authorization header.",
            "parameters",
            list(
                obj(
                    "name",
                    "token",
                    "label",
                    "Token",
                    "description",
                    "From the open platform > My APIs.",
                    "hidden",
                    true,
                    "required",
                    true)),
            "allowedHosts",
            list(host),
            "auth",
            obj("type", "none")));
    Ctx ctx =
        new Ctx(
            id,
            Kind.INSTALLED,
            "https://" + host + "/services/v2",
            Map.of("Authorization", "{{connection.token}}"),
            Map.of(),
            false);
    List<String> ids = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (int j = 0; j < apisPerConnection; j++) {
      String apiId = apiId(e, j, taken);
      ids.add(apiId);
      writeJson(dir + "/apis/" + apiId + ".json", api(ctx, e, j, apiId, true, true));
      apiFiles++;
    }
    libraryApis.put(id, ids);
  }

  // --- connections ---

  private void connection(int i) throws IOException {
    String vendor = VENDORS[i % VENDORS.length];
    String id = String.format(Locale.ROOT, "%s-%04d", vendor, i);
    String dir = "connections/" + id;
    String owner = logins.get(i % logins.size());
    String vhost = vendor + i + ".example.com";
    Kind kind =
        connectionCount >= 20 && i % 20 == 19
            ? Kind.INSTALLED
            : Kind.values()[i % (Kind.values().length - 1)];
    Map<String, Object> c =
        obj(
            "$schema",
            "../../../schemas/connection.schema.json",
            "id",
            id,
            "name",
            title(vendor) + " " + i,
            "description",
            "The " + vendor + " system of business unit " + (i % 37) + ".",
            "owner",
            owner,
            "notifications",
            i % 5 == 0
                ? obj("onError", false)
                : obj("onError", true, "minIntervalMinutes", 10 + (i % 12) * 10));
    List<Object> params = list();
    Ctx ctx;
    switch (kind) {
      case CLIENT_CREDENTIALS_FORM -> {
        params.add(param("base_url", "Base URL", "https://api." + vhost + "/v1"));
        params.add(param("client_id", "Client ID", "client-" + hex(6)));
        params.add(hidden(id, "client_secret", "Client secret"));
        c.put(
            "auth",
            obj(
                "type",
                "oauth2-client-credentials",
                "tokenUrl",
                "{{connection.base_url}}/oauth/token",
                "method",
                "POST",
                "parameters",
                obj(
                    "grant_type",
                    "client_credentials",
                    "client_id",
                    "{{connection.client_id}}",
                    "client_secret",
                    "{{connection.client_secret}}"),
                "parametersIn",
                "form",
                "tokenResponse",
                obj("accessTokenPath", "$.access_token", "expiresInPath", "$.expires_in"),
                "refreshBeforeSeconds",
                30,
                "tokenExpired",
                obj("status", list(401))));
        ctx =
            new Ctx(
                id,
                kind,
                "{{connection.base_url}}",
                Map.of("Authorization", "Bearer {{auth.access_token}}"),
                Map.of(),
                false);
      }
      case CLIENT_CREDENTIALS_QUERY -> {
        params.add(param("corpid", "Corp ID", "ww" + hex(16)));
        params.add(hidden(id, "corpsecret", "Corp secret"));
        params.add(param("agentid", "Agent ID", 1000000 + i));
        c.put(
            "auth",
            obj(
                "type",
                "oauth2-client-credentials",
                "tokenUrl",
                "https://qyapi." + vhost + "/cgi-bin/gettoken",
                "method",
                "GET",
                "parameters",
                obj("corpid", "{{connection.corpid}}", "corpsecret", "{{connection.corpsecret}}"),
                "parametersIn",
                "query",
                "tokenResponse",
                obj("accessTokenPath", "$.access_token", "expiresInPath", "$.expires_in"),
                "expiresInSeconds",
                7200,
                "refreshBeforeSeconds",
                300,
                "tokenExpired",
                obj("bodyPath", "$.errcode", "bodyValues", list(42001, 40014))));
        ctx =
            new Ctx(
                id,
                kind,
                "https://qyapi." + vhost + "/cgi-bin",
                Map.of(),
                linked(
                    "access_token", "{{auth.access_token}}", "agentid", "{{connection.agentid}}"),
                false);
      }
      case BASIC -> {
        params.add(param("username", "Account email", "integrations@org.example"));
        params.add(hidden(id, "api_token", "API token"));
        c.put("logo", "https://cdn." + vhost + "/logo.png");
        c.put(
            "auth",
            obj(
                "type",
                "basic",
                "username",
                "{{connection.username}}",
                "password",
                "{{connection.api_token}}"));
        ctx =
            new Ctx(
                id,
                kind,
                "https://org" + i + "." + vhost + "/rest/api/3",
                Map.of("Accept", "application/json"),
                Map.of(),
                false);
      }
      case KEY_IN_QUERY -> {
        params.add(hidden(id, "appid", "API key"));
        c.put("auth", obj("type", "none"));
        ctx =
            new Ctx(
                id,
                kind,
                "https://api." + vhost + "/data/2.5",
                Map.of(),
                Map.of("appid", "{{connection.appid}}"),
                false);
      }
      case AUTHORIZATION_CODE -> {
        params.add(param("client_id", "Client ID", "Ov23li" + hex(10)));
        params.add(hidden(id, "client_secret", "Client secret"));
        c.put("allowedHosts", list("login." + vhost, "api." + vhost));
        c.put(
            "auth",
            obj(
                "type",
                "oauth2-authorization-code",
                "authorizationUrl",
                "https://login." + vhost + "/oauth/authorize",
                "tokenUrl",
                "https://login." + vhost + "/oauth/access_token",
                "clientId",
                "{{connection.client_id}}",
                "clientSecret",
                "{{connection.client_secret}}",
                "scopes",
                list("read", "write"),
                "clientAuthentication",
                i % 2 == 0 ? "body" : "basic",
                "tokenResponse",
                obj(
                    "accessTokenPath",
                    "$.access_token",
                    "expiresInPath",
                    "$.expires_in",
                    "refreshTokenPath",
                    "$.refresh_token")));
        ctx =
            new Ctx(
                id,
                kind,
                "https://api." + vhost,
                linked(
                    "Authorization",
                    "Bearer {{auth.access_token}}",
                    "Accept",
                    "application/vnd." + vendor + "+json"),
                Map.of(),
                false);
      }
      case SIGNED_IN_CODE -> {
        params.add(param("app_key", "App key", vendor + "-" + hex(4)));
        params.add(hidden(id, "app_secret", "App secret"));
        params.add(param("sign_name", "Signature", "Org" + i));
        c.put("auth", obj("type", "none"));
        ctx =
            new Ctx(
                id,
                kind,
                "https://gw." + vhost + "/v2",
                linked(
                    "X-App-Key",
                    "{{connection.app_key}}",
                    "X-Sign-Name",
                    "{{connection.sign_name}}"),
                Map.of(),
                true);
        code(dir, true);
      }
      case PUBLIC_WITH_CODE -> {
        params.add(param("base_url", "Base URL", "https://data." + vhost));
        c.put("auth", obj("type", "none"));
        ctx = new Ctx(id, kind, "{{connection.base_url}}", Map.of(), Map.of(), true);
        code(dir, false);
      }
      case CLIENT_CREDENTIALS_JSON -> {
        params.add(param("tenant", "Tenant", "t" + hex(6)));
        params.add(param("client_id", "Client ID", "client-" + hex(6)));
        params.add(hidden(id, "client_secret", "Client secret"));
        c.put("allowedHosts", list("*." + vhost));
        c.put(
            "auth",
            obj(
                "type",
                "oauth2-client-credentials",
                "tokenUrl",
                "https://auth." + vhost + "/oauth2/token",
                "parameters",
                obj(
                    "grant_type",
                    "client_credentials",
                    "client_id",
                    "{{connection.client_id}}",
                    "client_secret",
                    "{{connection.client_secret}}"),
                "parametersIn",
                "json",
                "headers",
                obj("X-Tenant", "{{connection.tenant}}"),
                "tokenResponse",
                obj("accessTokenPath", "$.data.token", "expiresInPath", "$.data.expires")));
        ctx =
            new Ctx(
                id,
                kind,
                "https://api." + vhost + "/v3",
                linked(
                    "Authorization",
                    "Bearer {{auth.access_token}}",
                    "X-Tenant",
                    "{{connection.tenant}}"),
                Map.of(),
                false);
      }
      case INSTALLED -> {
        installed++;
        String entry = "registry-" + String.format(Locale.ROOT, "%02d", (i / 20) % libraryCount);
        c.remove("description");
        c.put("installedFrom", obj("entry", entry, "version", "1.0.0", "library", "organization"));
        params.add(hidden(id, "token", "Token"));
        c.put("parameters", params);
        c.put("enabledApis", list(libraryApis.get(entry).toArray()));
        writeJson(dir + "/connection.json", c);
        usable.put(id, libraryApis.get(entry));
        grants(dir, id, i, owner);
        return;
      }
      default -> throw new IllegalStateException(kind.toString());
    }
    c.put("parameters", params);
    // keep "auth" last, as the examples do
    Object auth = c.remove("auth");
    c.put("auth", auth);
    writeJson(dir + "/connection.json", c);
    List<String> ok = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (int j = 0; j < apisPerConnection; j++) {
      String apiId = apiId(i, j, taken);
      boolean published = (i * 7 + j) % 23 != 5;
      boolean enabled = (i * 3 + j) % 29 != 11;
      writeJson(dir + "/apis/" + apiId + ".json", api(ctx, i, j, apiId, published, enabled));
      apiFiles++;
      if (published && enabled) {
        ok.add(apiId);
      }
    }
    usable.put(id, ok);
    grants(dir, id, i, owner);
  }

  private void grants(String dir, String id, int i, String owner) throws IOException {
    List<String> apps = new ArrayList<>();
    apps.add(appId(i % applicationCount));
    String second = appId((i * 7 + 3) % applicationCount);
    if (i % 3 != 0 && !apps.contains(second)) {
      apps.add(second);
    }
    granted.put(id, apps);
    List<Object> list = list();
    for (int g = 0; g < apps.size(); g++) {
      list.add(
          obj(
              "application",
              apps.get(g),
              "grantedBy",
              owner,
              "note",
              g == 0 ? "Requested by the application's team." : null));
    }
    writeJson(
        dir + "/grants.json",
        obj("$schema", "../../../schemas/grants.schema.json", "applications", list));
  }

  private Map<String, Object> param(String name, String label, Object value) {
    return obj("name", name, "label", label, "value", value);
  }

  private Map<String, Object> hidden(String connection, String name, String label) {
    sealedValues++;
    String sealed =
        sealer.seal(
            connection + "-" + name + "-not-real-" + hex(8),
            new SealContext(orgId, connection, name));
    return obj(
        "name",
        name,
        "label",
        label,
        "description",
        "Sealed to the runtime's key: conduit seal.",
        "hidden",
        true,
        "sealed",
        sealed);
  }

  // --- code blocks ---

  /**
   * The four code files of a connection. Each starts with a comment naming its connection, so no
   * two files have the same text (a cache keyed by content would otherwise make the benchmark
   * measure one parse per template instead of one per file).
   */
  private void code(String dir, boolean signed) throws IOException {
    String js = "// " + dir + ": generated for the compiler benchmarks.\n";
    String py = "# " + dir + ": generated for the compiler benchmarks.\n";
    String sign =
        signed
            ? """
          // X-Signature: hex HMAC-SHA256 of "<app_key>\\n<timestamp>" keyed by the app secret.
          function main(input) {
            const timestamp = String(conduit.nowSeconds());
            const payload = input.connection.app_key + "\\n" + timestamp;
            return { timestamp: timestamp, signature: conduit.hmacSha256(input.connection.app_secret, payload) };
          }
          """
            : """
          // A request id and the time, for the provider's logs.
          function main(input) {
            const timestamp = String(conduit.nowSeconds());
            return { timestamp: timestamp, signature: "unsigned-" + timestamp };
          }
          """;
    write(dir + "/code/sign-request.js", js + sign);
    write(
        dir + "/code/restructure.js",
        js
            + """
        // The API answers {"data":{"items":{"A":1,"B":2}}}; outputs want a sorted list.
        function main(input) {
          const body = input.response.body || {};
          const items = (body.data && body.data.items) || {};
          const list = Object.keys(items).sort().map(function (key) {
            return { key: key, value: items[key] };
          });
          return { count: list.length, items: list };
        }
        """);
    write(
        dir + "/code/normalize.py",
        py
            + """
        # Strip "+86" (and spaces or dashes) from a phone number; make a request id.
        import re

        def main(input):
            phone = re.sub(r"^\\+86", "", str(input["input"].get("id", "")).strip())
            return {"request_id": "req-" + re.sub(r"[\\s-]", "", phone)}
        """);
    write(
        dir + "/code/wrap_in_array.py",
        py
            + """
        # The provider answers one object for one item and a list for several: always a list.

        def main(input):
            body = input["response"]["body"]
            items = body.get("data") if isinstance(body, dict) else body
            if items is None:
                items = []
            elif isinstance(items, dict):
                items = [items]
            return {"items": items}
        """);
    codeFiles += 4;
  }

  // --- APIs ---

  /** What an API's request takes from its connection. */
  private record Ctx(
      String connection,
      Kind kind,
      String base,
      Map<String, String> headers,
      Map<String, String> query,
      boolean code) {}

  private static final String[] SHAPES = {
    "search", "create", "update", "send", "get", "delete", "export", "list"
  };

  private String apiId(int i, int j, Set<String> taken) {
    String id = SHAPES[j % SHAPES.length] + "-" + NOUNS[(j / SHAPES.length + i) % NOUNS.length];
    if (!taken.add(id)) {
      id = id + "-" + j;
      taken.add(id);
    }
    return id;
  }

  private Map<String, Object> api(
      Ctx c, int i, int j, String id, boolean published, boolean enabled) {
    String noun = id.substring(id.indexOf('-') + 1).replaceAll("-[0-9]+$", "");
    String shape = SHAPES[j % SHAPES.length];
    List<Object> inputs = list();
    Map<String, Object> request = obj("method", "GET", "url", c.base + "/" + noun);
    Map<String, Object> query = new LinkedHashMap<>();
    Map<String, Object> headers = new LinkedHashMap<>(c.headers);
    List<Object> outputs = list();
    String description;
    switch (shape) {
      case "search" -> {
        description = "Finds " + noun + " updated since a date.";
        inputs.add(input("keyword", "Keyword", "Text", true, null));
        inputs.add(
            input(
                "updated_since", "Updated since", "DateTime", false, "2026-01-01T00:00:00+08:00"));
        inputs.add(input("max_results", "Max results", "Number", false, 50));
        inputs.add(input("fields", "Fields", "Array", false, list("id", "name")));
        query.put("q", "name ~ \"{{input.keyword}}\" AND updated >= \"{{input.updated_since}}\"");
        query.put("limit", "{{input.max_results}}");
        query.put("fields", "{{input.fields}}");
        outputs.add(output("total", "Total", "$.total", "Number"));
        outputs.add(
            objectArray(
                "items",
                "Items",
                "$.items",
                output("id", "ID", "$.id", "Text"),
                output("name", "Name", "$.fields.name", "Text"),
                output("updated", "Updated", "$.fields.updated", "DateTime"),
                output("tags", "Tags", "$.fields.tags", "Array")));
      }
      case "create" -> {
        description = "Creates one of the " + noun + "; items is a required object array.";
        request.put("method", "POST");
        inputs.add(input("customer", "Customer", "Text", true, null));
        inputs.add(
            obj(
                "alias",
                "items",
                "name",
                "Items",
                "type",
                "ObjectArray",
                "required",
                true,
                "fields",
                list(
                    input("sku", "SKU", "Text", true, null),
                    input("quantity", "Quantity", "Number", true, null),
                    input("note", "Note", "Text", false, ""))));
        inputs.add(input("deliver_by", "Deliver by", "DateTime", false, null));
        inputs.add(input("labels", "Labels", "Array", false, list()));
        inputs.add(input("owner", "Owner", "Members", false, null));
        request.put(
            "body",
            obj(
                "type",
                "json",
                "json",
                obj(
                    "customer", "{{input.customer}}",
                    "items", "{{input.items}}",
                    "deliverBy", "{{input.deliver_by}}",
                    "labels", "{{input.labels}}",
                    "owner", "{{input.owner}}",
                    "source", "conduit")));
        outputs.add(output("id", "ID", "$.id", "Text"));
        outputs.add(output("status", "Status", "$.status", "Text"));
        outputs.add(output("total", "Total", "$.total", "Number"));
      }
      case "update" -> {
        description = "Updates one of the " + noun + " and links attachments.";
        request.put("method", i % 2 == 0 ? "PUT" : "PATCH");
        request.put("url", c.base + "/" + noun + "/{{input.record_id}}");
        inputs.add(input("record_id", "Record", "Text", true, null));
        inputs.add(input("title", "Title", "Text", true, null));
        inputs.add(input("files", "Attachments", "Attachment", false, null));
        inputs.add(input("department", "Department", "Department", false, null));
        inputs.add(
            obj(
                "alias",
                "components",
                "name",
                "Components",
                "type",
                "ObjectArray",
                "required",
                true,
                "description",
                "Required, but its fields are not, so an empty list is fine.",
                "fields",
                list(input("name", "Name", "Text", false, null))));
        request.put(
            "body",
            obj(
                "type",
                "json",
                "json",
                obj(
                    "fields",
                        obj(
                            "title",
                            "{{input.title}}",
                            "department",
                            "{{input.department}}",
                            "components",
                            "{{input.components}}"),
                    "body",
                        obj(
                            "type",
                            "doc",
                            "version",
                            1,
                            "content",
                            list(
                                obj(
                                    "type",
                                    "paragraph",
                                    "content",
                                    list(
                                        obj("type", "text", "text", "{{input.title}}"),
                                        obj(
                                            "type",
                                            "text",
                                            "text",
                                            " Attachments: {{input.files}}"))))))));
        outputs.add(output("updated", "Updated", "$.updated", "DateTime"));
        outputs.add(output("record", "Record", "$.record", "Object"));
      }
      case "send" -> {
        description = "Sends a message about " + noun + " as a form post.";
        request.put("method", "POST");
        inputs.add(input("phone", "Phone", "Text", true, null));
        inputs.add(input("message", "Message", "Text", true, null));
        inputs.add(input("priority", "Priority", "Number", false, 0));
        request.put(
            "body",
            obj(
                "type",
                "form",
                "form",
                obj(
                    "phone", "{{input.phone}}",
                    "text", "【" + noun + "】{{input.message}}",
                    "priority", "{{input.priority}}")));
        outputs.add(output("message_id", "Message ID", "$.data.id", "Text"));
        outputs.add(output("accepted", "Accepted", "$.success", "Boolean"));
      }
      case "get" -> {
        description = "Reads one of the " + noun + " with its history.";
        request.put("url", c.base + "/" + noun + "/{{input.id}}");
        inputs.add(input("id", "ID", "Text", true, null));
        outputs.add(output("name", "Name", "$.name", "Text"));
        outputs.add(output("created", "Created", "$.created_at", "DateTime"));
        outputs.add(output("attributes", "Attributes", "$.attributes", "Object"));
        outputs.add(
            objectArray(
                "history",
                "History",
                "$.history",
                output("at", "At", "$.at", "DateTime"),
                output("by", "By", "$.by.name", "Text"),
                objectArray(
                    "changes",
                    "Changes",
                    "$.changes",
                    output("field", "Field", "$.field", "Text"),
                    output("to", "To", "$.to", "Text"))));
      }
      case "delete" -> {
        description = "Deletes one of the " + noun + ".";
        request.put("method", "DELETE");
        request.put("url", c.base + "/" + noun + "/{{input.id}}");
        inputs.add(input("id", "ID", "Text", true, null));
        inputs.add(input("reason", "Reason", "Text", false, "requested by the owner"));
        query.put("reason", "{{input.reason}}");
        outputs.add(output("deleted", "Deleted", "$.deleted", "Boolean"));
      }
      case "export" -> {
        description = "Exports " + noun + " of a period as XML.";
        request.put("method", "POST");
        request.put("url", c.base + "/" + noun + "/export");
        inputs.add(input("from", "From", "DateTime", true, null));
        inputs.add(input("to", "To", "DateTime", false, "2026-12-31"));
        inputs.add(input("format", "Format", "Text", false, "xml"));
        request.put(
            "body",
            obj(
                "type",
                "raw",
                "contentType",
                "application/xml; charset=utf-8",
                "raw",
                "<export><from>{{input.from}}</from><to>{{input.to}}</to><format>{{input.format}}</format></export>"));
        request.put("timeoutSeconds", 60);
        outputs.add(output("job", "Job", "$.job.id", "Text"));
        outputs.add(output("rows", "Rows", "$.job.rows", "Number"));
      }
      default -> { // list
        description = "Lists the " + noun + " of departments and members.";
        inputs.add(input("department", "Department", "Department", true, null));
        inputs.add(input("members", "Members", "Members", false, null));
        inputs.add(input("fetch_child", "Include sub-departments", "Number", false, 0));
        query.put("department_id", "{{input.department}}");
        query.put("userids", "{{input.members}}");
        query.put("fetch_child", "{{input.fetch_child}}");
        outputs.add(output("errcode", "Error code", "$.errcode", "Number"));
        outputs.add(
            objectArray(
                "members",
                "Members",
                "$.userlist",
                output("userid", "User ID", "$.userid", "Text"),
                output("name", "Name", "$.name", "Text"),
                output("departments", "Departments", "$.department", "Array")));
      }
    }
    query.putAll(c.query);
    if (!query.isEmpty()) {
      request.put("query", query);
    }
    Map<String, Object> before = null;
    Map<String, Object> after = null;
    if (c.code) {
      codeBlocks++;
      switch (j % 4) {
        case 0 -> {
          before = obj("file", "code/sign-request.js", "timeoutMs", 1000);
          headers.put("X-Timestamp", "{{before.timestamp}}");
          headers.put("X-Signature", "{{before.signature}}");
        }
        case 1 -> after = obj("file", "code/restructure.js");
        case 2 -> {
          before = obj("file", "code/normalize.py", "timeoutMs", 1500);
          headers.put("X-Request-Id", "{{before.request_id}}");
        }
        default -> after = obj("file", "code/wrap_in_array.py");
      }
    }
    if (!headers.isEmpty()) {
      request.put("headers", headers);
    }
    // keep the request's keys in the examples' order
    Map<String, Object> ordered =
        obj(
            "method",
            request.get("method"),
            "url",
            request.get("url"),
            "query",
            request.get("query"),
            "headers",
            request.get("headers"),
            "body",
            request.get("body"),
            "timeoutSeconds",
            request.get("timeoutSeconds") != null
                ? request.get("timeoutSeconds")
                : (j % 3 == 0 ? 10 : null));
    String name = title(shape) + " " + noun;
    return obj(
        "$schema", "../../../../schemas/api.schema.json",
        "id", id,
        "name", name,
        "description", description,
        "icon", shape,
        "color", COLORS[(i + j) % COLORS.length],
        "status", published ? "published" : "draft",
        "enabled", enabled,
        "inputs", inputs,
        "before", before,
        "request", ordered,
        "after", after,
        "outputs", outputs);
  }

  private static Map<String, Object> input(
      String alias, String name, String type, boolean required, Object defaultValue) {
    return obj(
        "alias", alias, "name", name, "type", type, "required", required, "default", defaultValue);
  }

  private static Map<String, Object> output(String alias, String name, String path, String type) {
    return obj("alias", alias, "name", name, "path", path, "type", type);
  }

  private static Map<String, Object> objectArray(
      String alias, String name, String path, Object... fields) {
    return obj(
        "alias", alias, "name", name, "path", path, "type", "ObjectArray", "fields", list(fields));
  }

  // --- applications ---

  private static String appId(int a) {
    return String.format(Locale.ROOT, "app-%04d", a);
  }

  private void applications() throws IOException {
    Map<String, List<Object>> usesByApp = new LinkedHashMap<>();
    for (int a = 0; a < applicationCount; a++) {
      usesByApp.put(appId(a), list());
    }
    // each connection is used by the first application it grants, through up to 3 of its APIs
    for (Map.Entry<String, List<String>> e : granted.entrySet()) {
      String connection = e.getKey();
      String app = e.getValue().get(0);
      List<String> apis = usable.get(connection);
      for (int u = 0; u < Math.min(3, apis.size()); u++) {
        boolean workflow = (connection.hashCode() + u) % 2 == 0;
        usesByApp
            .get(app)
            .add(
                obj(
                    "kind",
                    workflow ? "workflow" : "worksheet",
                    "name",
                    workflow ? "Sync " + connection : "Records of " + connection,
                    "element",
                    (workflow ? "Call Integrated API: " : "API Query: ") + apis.get(u),
                    "link",
                    u == 0 ? "https://hap.org.example/app/" + app + "/" + connection : null,
                    "connection",
                    connection,
                    "api",
                    apis.get(u)));
        uses++;
      }
    }
    for (int a = 0; a < applicationCount; a++) {
      String id = appId(a);
      writeJson(
          "applications/" + id + ".json",
          obj(
              "$schema",
              "../../schemas/application.schema.json",
              "id",
              id,
              "name",
              "Application " + a,
              "description",
              "An internal application of team " + (a % 12) + ".",
              "owner",
              logins.get(a % logins.size()),
              "credential",
              obj("key", id + "-key", "secretHash", "sha256:" + sha256(id + "-" + hex(8))),
              "uses",
              usesByApp.get(id)));
    }
  }

  private void thirdPartyApp(int t) throws IOException {
    String id = String.format(Locale.ROOT, "portal-%02d", t);
    writeJson(
        "third-party-apps/" + id + ".json",
        obj(
            "$schema",
            "../../schemas/third-party-app.schema.json",
            "id",
            id,
            "name",
            "Portal " + t,
            "description",
            "A self-service portal that signs employees in with their account.",
            "homepage",
            "https://portal" + t + ".org.example/",
            "owner",
            logins.get(t % logins.size()),
            "appKey",
            hex(12).toUpperCase(Locale.ROOT),
            "secretHash",
            "sha256:" + sha256(id + hex(8)),
            "redirectUris",
            list(
                "http://localhost:8000/callback",
                "https://portal" + t + ".org.example/oauth/callback")));
  }

  // --- helpers ---

  private static Map<String, String> linked(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static String title(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  private String hex(int digits) {
    StringBuilder sb = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      sb.append(Character.forDigit(random.nextInt(16), 16));
    }
    return sb.toString();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private void writeJson(String path, Map<String, Object> value) throws IOException {
    write(path, Json.write(value));
  }

  private void write(String path, String text) throws IOException {
    Path target = root.resolve(path);
    Files.createDirectories(target.getParent());
    Files.writeString(target, text, StandardCharsets.UTF_8);
    files++;
  }

  /** Deletes a directory tree (for --force). */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * {@code RepoGenerator [--connections N] [--apis M] [--seed S] [--force] DIR}: writes the
   * repository and prints a summary on stderr. Exit 0, or 2 on bad usage.
   */
  public static void main(String[] args) {
    int connections = 1000;
    int apis = 10;
    long seed = 42;
    boolean force = false;
    Path dir = null;
    try {
      for (int a = 0; a < args.length; a++) {
        switch (args[a]) {
          case "--connections" -> connections = Integer.parseInt(args[++a]);
          case "--apis" -> apis = Integer.parseInt(args[++a]);
          case "--seed" -> seed = Long.parseLong(args[++a]);
          case "--force" -> force = true;
          case "-h", "--help" -> {
            System.out.println(
                "usage: RepoGenerator [--connections N (1000)] [--apis M (10)] "
                    + "[--seed S (42)] [--force: replace DIR] DIR");
            return;
          }
          default -> {
            if (args[a].startsWith("-") || dir != null) {
              throw new IllegalArgumentException("unexpected argument " + args[a]);
            }
            dir = Path.of(args[a]);
          }
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("give the directory to write");
      }
    } catch (RuntimeException e) {
      System.err.println("RepoGenerator: " + e.getMessage() + " (try --help)");
      System.exit(2);
      return;
    }
    try {
      if (force) {
        delete(dir);
      }
      long start = System.nanoTime();
      Summary summary = generate(dir, connections, apis, seed);
      System.err.printf(
          Locale.ROOT,
          "wrote %s in %d ms: %s%n",
          dir,
          (System.nanoTime() - start) / 1_000_000,
          summary);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("RepoGenerator: " + e.getMessage());
      System.exit(2);
    }
  }
}
