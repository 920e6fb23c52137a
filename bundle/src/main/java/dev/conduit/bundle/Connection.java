package dev.conduit.bundle;

import java.util.List;
import java.util.Optional;

/**
 * A resolved connection: auth, parameters, the hosts its secrets may reach, its APIs and the
 * applications granted to use it. A connection installed from the library arrives here already
 * expanded: the template's auth and APIs, the installer's parameters, owner and enabled APIs.
 *
 * @param allowedHosts hosts that requests carrying secrets may go to (resolved: never empty when
 *     the connection has secrets)
 * @param allowPrivateNetwork whether requests may go to loopback, link-local or private addresses
 * @param installedFrom the library entry it was installed from, or null for a custom connection
 * @param grants ids of the applications authorized to use the connection
 */
public record Connection(
    String id,
    String name,
    String description,
    String logo,
    String owner,
    Notifications notifications,
    List<String> allowedHosts,
    boolean allowPrivateNetwork,
    List<Parameter> parameters,
    Auth auth,
    InstalledFrom installedFrom,
    List<Api> apis,
    List<String> grants) {

  public Connection {
    allowedHosts = List.copyOf(allowedHosts);
    parameters = List.copyOf(parameters);
    apis = List.copyOf(apis);
    grants = List.copyOf(grants);
  }

  public Optional<Api> api(String apiId) {
    return apis.stream().filter(a -> a.id().equals(apiId)).findFirst();
  }

  public Optional<Parameter> parameter(String parameterName) {
    return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst();
  }

  public boolean isGranted(String applicationId) {
    return grants.contains(applicationId);
  }

  /**
   * A connection parameter. Exactly one of {@code value} (visible) and {@code sealed} (hidden) is
   * set; a parameter left empty has neither.
   *
   * @param value plain data: a string, number or boolean
   * @param sealed {@code sealed:v1:...}, opened only by the runtime
   */
  public record Parameter(String name, boolean hidden, Object value, String sealed) {}

  /**
   * Error alerts to the owner, at most one per error type per interval.
   *
   * @param webhookUrl where alerts are also POSTed, or null for mail only
   * @param webhookSecretParameter the hidden parameter whose value signs the webhook's bodies
   *     (HMAC-SHA256); set whenever webhookUrl is
   */
  public record Notifications(
      boolean onError, int minIntervalMinutes, String webhookUrl, String webhookSecretParameter) {
    public static final Notifications DEFAULT = new Notifications(false, 60, null, null);
  }

  /** The library entry and version a connection was installed from. */
  public record InstalledFrom(String library, String entry, String version) {}
}
