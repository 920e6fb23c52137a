package dev.conduit.runtime.invoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests to upstream APIs, guarding where they go and what comes back, in this order:
 * <ol>
 *   <li>only absolute http(s) URLs;
 *   <li>a request that carries a secret (hidden parameter, auth value, before-block value of a
 *       connection with hidden parameters, any Basic request, any token request) goes only to
 *       one of the connection's allowed hosts: HOST_NOT_ALLOWED, nothing sent;
 *   <li>unless the connection sets allowPrivateNetwork, the host is resolved and every address
 *       it has must be public ({@link #isInternal}): PRIVATE_ADDRESS_REFUSED, nothing sent;
 *   <li>one deadline, the API's timeoutSeconds, covers connecting, the headers and the whole
 *       body: UPSTREAM_TIMEOUT (504);
 *   <li>the body is collected up to the cap (refused at once when Content-Length says more):
 *       RESPONSE_TOO_LARGE;
 *   <li>redirects are never followed: a 3xx comes back as the upstream's answer, so credentials
 *       never travel to a host that a redirect names.
 * </ol>
 * The client uses no proxy (secrets go straight to their host, not through whatever proxy the
 * environment names).
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
        // the client's own steps (parse headers, hand over the body) run on its selector thread
        // rather than hopping to a pool thread and back: nothing in them blocks (CappedBody only
        // copies), and a call then costs two thread switches fewer
        .executor(Runnable::run)
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
    HttpRequest request;
    try {
      request = b.build();
    } catch (IllegalArgumentException e) {
      throw new UpstreamException(ErrorCode.CONFIGURATION, "the request cannot be sent: " + e.getMessage());
    }
    // one deadline for everything: connecting, the headers and the whole body (the request's own
    // timeout stops at the headers, so a body that trickles in would otherwise hold the call)
    CompletableFuture<HttpResponse<byte[]>> call;
    try {
      call = client.sendAsync(request, info -> new CappedBody(maxResponseBytes, info));
    } catch (IllegalArgumentException e) {
      throw new UpstreamException(ErrorCode.CONFIGURATION, "the request cannot be sent: " + e.getMessage());
    }
    try {
      HttpResponse<byte[]> response = call.get(r.timeoutSeconds(), TimeUnit.SECONDS);
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(response.headers().map());
      return new Response(response.statusCode(), headers, response.body());
    } catch (TimeoutException e) {
      call.cancel(true);
      throw timeout(host, r);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new UpstreamException(ErrorCode.UPSTREAM_UNREACHABLE, "interrupted while waiting for " + host);
    } catch (ExecutionException e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof TooLarge) {
          throw new UpstreamException(ErrorCode.RESPONSE_TOO_LARGE, host + " answered with more than "
              + maxResponseBytes + " bytes (the limit is conduit.invoke.max-response-bytes)");
        }
        if (t instanceof HttpConnectTimeoutException) {
          throw new UpstreamException(ErrorCode.UPSTREAM_TIMEOUT, "connecting to " + host + " timed out");
        }
        if (t instanceof HttpTimeoutException) {
          throw timeout(host, r);
        }
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new UpstreamException(ErrorCode.UPSTREAM_UNREACHABLE, "cannot reach " + host + ": " + reason(cause));
    }
  }

  private static UpstreamException timeout(String host, OutgoingRequest r) {
    return new UpstreamException(ErrorCode.UPSTREAM_TIMEOUT,
        host + " did not answer within " + r.timeoutSeconds() + " s (the API's timeoutSeconds)");
  }

  /** The response body was larger than the cap. */
  private static final class TooLarge extends IOException {
    TooLarge() {
      super("response too large", null);
    }
  }

  /**
   * Collects a response body up to a cap and gives up as soon as it is passed (or at once when
   * the Content-Length announces more), cancelling the transfer.
   */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long max;
    private final long declared;
    private Flow.Subscription subscription;
    private long total;

    CappedBody(long max, HttpResponse.ResponseInfo info) {
      this.max = max;
      this.declared = info.headers().firstValueAsLong("content-length").orElse(-1);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (declared > max) {
        s.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        total += b.remaining();
        if (total > max) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }
  }

  /**
   * Whether a host is one of the allowed hosts: an exact name (or IP literal), or
   * {@code *.suffix} for any subdomain of suffix (not suffix itself). Case and a trailing dot
   * do not matter.
   */
  static boolean hostAllowed(String host, Collection<String> allowed) {
    String h = normalize(host);
    for (String a : allowed) {
      String p = normalize(a);
      if (p.startsWith("*.") ? h.endsWith(p.substring(1)) && h.length() > p.length() - 1 : h.equals(p)) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT).strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * Refuses hosts that resolve to internal addresses, checking every address the name has.
   * The HTTP client resolves the name again when it connects; both lookups go through the
   * JVM's address cache (networkaddress.cache.ttl, 30 s by default), so they agree unless the
   * cached entry expires in between: that window is the residual DNS-rebinding risk described
   * in docs/runtime-invoke.md (java.net.http cannot be told which address to connect to).
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
        throw new UpstreamException(ErrorCode.PRIVATE_ADDRESS_REFUSED, host + " resolves to " + a.getHostAddress()
            + ", an internal address (loopback, private, link-local, unique-local, multicast or unspecified); "
            + "the connection does not set allowPrivateNetwork");
      }
    }
  }

  /**
   * Whether an address is not on the public internet: loopback, unspecified, link-local
   * (169.254/16 with the cloud metadata endpoints, fe80::/10), private (10/8, 172.16/12,
   * 192.168/16), site-local and unique-local IPv6 (fec0::/10, fc00::/7), multicast, carrier-grade
   * NAT (100.64/10), 0/8, 192.0.0/24, benchmarking (198.18/15) and 240/4 with broadcast; IPv6
   * forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
   * NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address.
   */
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
    if (zeros(b, 0, 10) && (((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) || zeros(b, 10, 12))) {
      return embedded(b, 12); // ::ffff:a.b.c.d (mapped) or ::a.b.c.d (compatible)
    }
    if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
        && zeros(b, 4, 12)) {
      return embedded(b, 12); // 64:ff9b::a.b.c.d (NAT64)
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return embedded(b, 2); // 2002:aabb:ccdd::/48 (6to4)
    }
    return false;
  }

  private static boolean zeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean embedded(byte[] b, int at) {
    try {
      return isInternal(InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]}));
    } catch (UnknownHostException e) {
      return true;
    }
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
