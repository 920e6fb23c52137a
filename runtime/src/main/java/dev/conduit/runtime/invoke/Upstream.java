package dev.conduit.runtime.invoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sends requests to upstream APIs, guarding where they go: requests carrying secrets only to
 * the connection's allowed hosts; nothing to loopback, link-local, private or otherwise
 * internal addresses unless the connection allows its private network; redirects are never
 * followed (a 3xx comes back as the upstream's answer, so credentials never travel to a host
 * that a redirect names). Responses larger than the cap are cut off with an error.
 */
public final class Upstream {

  /** A refusal or transport failure, already classified. */
  public static final class UpstreamException extends Exception {
    private final ErrorCode code;

    UpstreamException(ErrorCode code, String message) {
      super(message);
      this.code = code;
    }

    public ErrorCode code() {
      return code;
    }
  }

  /** What came back. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {}

  /** Resolves host names; tests replace it to simulate hostile DNS. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host",
      "transfer-encoding", "upgrade", "expect", "keep-alive", "te", "trailer");

  private final HttpClient client;
  private final Resolver resolver;
  private final long maxResponseBytes;

  public Upstream(long maxResponseBytes) {
    this(HttpClient.newBuilder()
        // no proxy selector: a container's default one is slow, and secrets go straight to
        // the allowed host, not through whatever proxy the environment names
        .proxy(HttpClient.Builder.NO_PROXY)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .build(), InetAddress::getAllByName, maxResponseBytes);
  }

  public Upstream(HttpClient client, Resolver resolver, long maxResponseBytes) {
    this.client = client;
    this.resolver = resolver;
    this.maxResponseBytes = maxResponseBytes;
  }

  public Response send(OutgoingRequest r, Collection<String> allowedHosts, boolean allowPrivate)
      throws UpstreamException {
    String host = r.uri().getHost();
    String scheme = r.uri().getScheme() == null ? "" : r.uri().getScheme().toLowerCase(Locale.ROOT);
    if (host == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new UpstreamException(ErrorCode.CONFIGURATION, "the request URL is not an absolute http(s) URL");
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (r.carriesSecrets() && !hostAllowed(host, allowedHosts)) {
      throw new UpstreamException(ErrorCode.HOST_NOT_ALLOWED,
          "the request carries secrets, and " + host + " is not in the connection's allowedHosts " + allowedHosts);
    }
    if (!allowPrivate) {
      checkPublic(host);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(Duration.ofSeconds(r.timeoutSeconds()));
    r.headers().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    try {
      HttpResponse<InputStream> response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] body = readCapped(response.body());
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(response.headers().map());
      return new Response(response.statusCode(), headers, body);
    } catch (HttpConnectTimeoutException e) {
      throw new UpstreamException(ErrorCode.UPSTREAM_TIMEOUT, "connecting to " + host + " timed out");
    } catch (HttpTimeoutException e) {
      throw new UpstreamException(ErrorCode.UPSTREAM_TIMEOUT,
          host + " did not answer within " + r.timeoutSeconds() + " s");
    } catch (IOException e) {
      throw new UpstreamException(ErrorCode.UPSTREAM_UNREACHABLE, "cannot reach " + host + ": " + reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(ErrorCode.UPSTREAM_UNREACHABLE, "interrupted");
    } catch (IllegalArgumentException e) {
      throw new UpstreamException(ErrorCode.CONFIGURATION, "the request cannot be sent: " + e.getMessage());
    }
  }

  private byte[] readCapped(InputStream in) throws IOException, UpstreamException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxResponseBytes) {
          throw new UpstreamException(ErrorCode.RESPONSE_TOO_LARGE,
              "the response is larger than " + maxResponseBytes + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  static boolean hostAllowed(String host, Collection<String> allowed) {
    for (String a : allowed) {
      String p = a.toLowerCase(Locale.ROOT);
      if (p.startsWith("*.") ? host.endsWith(p.substring(1)) : host.equals(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses hosts that resolve to internal addresses. The check runs right before sending;
   * the HTTP client resolves again, so a DNS answer that changes between the two (rebinding)
   * is the residual risk documented in docs/runtime-invoke.md.
   */
  private void checkPublic(String host) throws UpstreamException {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new UpstreamException(ErrorCode.UPSTREAM_UNREACHABLE, "cannot resolve " + host);
    }
    for (InetAddress a : addresses) {
      if (isInternal(a)) {
        throw new UpstreamException(ErrorCode.PRIVATE_ADDRESS_REFUSED,
            host + " resolves to " + a.getHostAddress() + ", an internal address; the connection does not allow its private network");
      }
    }
  }

  static boolean isInternal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || first >= 240                       // "this network", reserved, broadcast
          || (first == 100 && second >= 64 && second < 128)    // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
          || (first == 198 && (second == 18 || second == 19)); // benchmarking
    }
    if ((b[0] & 0xfe) == 0xfc) {
      return true; // fc00::/7 unique local
    }
    boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      try {
        return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
      } catch (UnknownHostException e) {
        return true;
      }
    }
    return false;
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
