package dev.conduit.runtime.invoke;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.Fixtures;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections and APIs built in code, as the bundle carries them, for tests that need a particular
 * shape (an allowed host, an auth kind, a body kind). Hidden parameters are sealed to the unit
 * tests' runtime key, exactly as the compiler would seal them.
 */
final class Build {

  private Build() {}

  static ConnectionBuilder connection(String id) {
    return new ConnectionBuilder(id);
  }

  static ApiBuilder api(String id, String method, String url) {
    return new ApiBuilder(id, method, url);
  }

  static Api.Input input(String alias, Api.InputType type, boolean required) {
    return new Api.Input(alias, alias, null, type, required, null, List.of());
  }

  static Api.Output output(String alias, String path, Api.OutputType type, Api.Output... fields) {
    return new Api.Output(alias, alias, null, path, type, List.of(fields));
  }

  static Auth.ClientCredentials clientCredentials(
      String tokenUrl,
      String method,
      String parametersIn,
      Map<String, String> parameters,
      Map<String, String> headers,
      Integer expiresInSeconds,
      int refreshBefore,
      Auth.TokenExpired expired) {
    return new Auth.ClientCredentials(
        tokenUrl,
        method,
        parameters,
        parametersIn,
        headers,
        Auth.TokenResponse.DEFAULT,
        expiresInSeconds,
        refreshBefore,
        expired);
  }

  static final class ConnectionBuilder {
    private final String id;
    private final List<Connection.Parameter> parameters = new ArrayList<>();
    private final List<Api> apis = new ArrayList<>();
    private List<String> hosts = List.of("127.0.0.1", "localhost");
    private boolean privateNetwork = true;
    private Auth auth = new Auth.None();

    ConnectionBuilder(String id) {
      this.id = id;
    }

    ConnectionBuilder param(String name, Object value) {
      parameters.add(new Connection.Parameter(name, false, value, null));
      return this;
    }

    ConnectionBuilder hidden(String name, String plaintext) {
      try {
        String sealed =
            new Sealer(Fixtures.KEYS.publicKey())
                .seal(plaintext, new SealContext(Fixtures.ORG, id, name));
        parameters.add(new Connection.Parameter(name, true, null, sealed));
      } catch (SealException e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    ConnectionBuilder auth(Auth a) {
      this.auth = a;
      return this;
    }

    ConnectionBuilder allowedHosts(String... h) {
      this.hosts = List.of(h);
      return this;
    }

    ConnectionBuilder allowPrivateNetwork(boolean allow) {
      this.privateNetwork = allow;
      return this;
    }

    ConnectionBuilder api(ApiBuilder a) {
      apis.add(a.build());
      return this;
    }

    Connection build() {
      return new Connection(
          id,
          id,
          null,
          null,
          "bob",
          Connection.Notifications.DEFAULT,
          hosts,
          privateNetwork,
          parameters,
          auth,
          null,
          apis,
          List.of("app-one"));
    }
  }

  static final class ApiBuilder {
    private final String id;
    private final String method;
    private final String url;
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<Api.Input> inputs = new ArrayList<>();
    private final List<Api.Output> outputs = new ArrayList<>();
    private Api.Body body;
    private int timeoutSeconds = 5;
    private Api.Status status = Api.Status.published;
    private boolean enabled = true;
    private Api.CodeBlock before;
    private Api.CodeBlock after;

    ApiBuilder(String id, String method, String url) {
      this.id = id;
      this.method = method;
      this.url = url;
    }

    ApiBuilder query(String name, String template) {
      query.put(name, template);
      return this;
    }

    ApiBuilder header(String name, String template) {
      headers.put(name, template);
      return this;
    }

    ApiBuilder json(Object json) {
      body = new Api.Body.Json(json);
      return this;
    }

    ApiBuilder form(Map<String, String> form) {
      body = new Api.Body.Form(form);
      return this;
    }

    ApiBuilder raw(String contentType, String text) {
      body = new Api.Body.Raw(contentType, text);
      return this;
    }

    ApiBuilder timeout(int seconds) {
      timeoutSeconds = seconds;
      return this;
    }

    ApiBuilder input(Api.Input in) {
      inputs.add(in);
      return this;
    }

    ApiBuilder inputs(String... textAliases) {
      for (String a : textAliases) {
        inputs.add(Build.input(a, Api.InputType.Text, false));
      }
      return this;
    }

    ApiBuilder output(Api.Output out) {
      outputs.add(out);
      return this;
    }

    ApiBuilder draft() {
      status = Api.Status.draft;
      return this;
    }

    ApiBuilder disabled() {
      enabled = false;
      return this;
    }

    ApiBuilder before(Api.CodeBlock block) {
      before = block;
      return this;
    }

    ApiBuilder after(Api.CodeBlock block) {
      after = block;
      return this;
    }

    Api build() {
      return new Api(
          id,
          id,
          null,
          null,
          null,
          status,
          enabled,
          inputs,
          before,
          new Api.Request(method, url, query, headers, body, timeoutSeconds),
          after,
          outputs);
    }
  }
}
