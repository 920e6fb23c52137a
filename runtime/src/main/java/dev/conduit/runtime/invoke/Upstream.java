package dev.conduit.runtime.invoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends requests to upstream APIs, guarding where they go and what comes back, in this order:
 *
 * <ol>
 *   <li>only absolute http(s) URLs, and header names and values that cannot split the request (no
 *       CR, LF or NUL): CONFIGURATION, nothing sent;
 *   <li>a request that carries a secret (hidden parameter, auth value, before-block value of a
 *       connection with hidden parameters, any Basic request, any token request) goes only to one
 *       of the connection's allowed hosts: HOST_NOT_ALLOWED, nothing sent;
 *   <li>the host is resolved and no address it has may be a cloud metadata address ({@link
 *       #isMetadata}), and unless the connection sets allowPrivateNetwork every one must be public
 *       ({@link #isInternal}): PRIVATE_ADDRESS_REFUSED, nothing sent; a new connection then goes to
 *       exactly the addresses that were checked (no second lookup that a rebinding DNS server could
 *       answer differently);
 *   <li>one deadline, the API's timeoutSeconds, covers waiting for a pooled connection, connecting,
 *       the headers and the whole body ({@link Deadlines}): UPSTREAM_TIMEOUT (504);
 *   <li>the body is collected up to the cap (refused at once when Content-Length says more):
 *       RESPONSE_TOO_LARGE;
 *   <li>redirects are never followed: a 3xx comes back as the upstream's answer, so credentials
 *       never travel to a host that a redirect names.
 * </ol>
 *
 * The client (Apache HttpClient, classic) blocks the calling thread and keeps connections alive in
 * a pool. A blocking call on the caller's own thread is the cheapest way through on the server's
 * request threads: the JDK's asynchronous client handed every call to its selector thread and back,
 * two thread switches per call that cost more than the rest of the client (docs/benchmarks.md). It
 * uses no proxy (secrets go straight to their host, not through whatever proxy the environment
 * names), asks for no compression and keeps no cookies, so the upstream sees the request as the
 * template built it.
 */
public final class Upstream implements AutoCloseable {

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

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "host",
          "transfer-encoding",
          "upgrade",
          "expect",
          "keep-alive",
          "te",
          "trailer");
  private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);

  /** Connections in the pool: far more than a server's request threads, so none waits for one. */
  private static final int MAX_CONNECTIONS = 1024;

  /**
   * The addresses checked for this call, for the connection the client may open in it: the client
   * opens connections on the calling thread, so the pin reaches exactly this call.
   */
  private static final ThreadLocal<Pin> PINNED = new ThreadLocal<>();

  private record Pin(String host, InetAddress[] addresses) {}

  private final CloseableHttpClient publicOnly;
  private final CloseableHttpClient privateAllowed;
  private final Resolver resolver;
  private final long maxResponseBytes;
  private final Deadlines deadlines = new Deadlines();

  public Upstream(long maxResponseBytes) {
    this(InetAddress::getAllByName, maxResponseBytes);
  }

  public Upstream(Resolver resolver, long maxResponseBytes) {
    this.resolver = resolver;
    this.maxResponseBytes = maxResponseBytes;
    Resolver pinned =
        host -> {
          Pin pin = PINNED.get();
          if (pin == null || !pin.host().equals(host)) {
            // not a host this call checked: nothing may connect to it
            throw new UnknownHostException(host + " was not checked for this call");
          }
          return pin.addresses();
        };
    this.publicOnly = newClient(dns(pinned));
    this.privateAllowed = newClient(dns(pinned));
  }

  /** The client's resolver: names go to {@code resolve} as compared ({@link #bare}). */
  private static DnsResolver dns(Resolver resolve) {
    return new DnsResolver() {
      @Override
      public InetAddress[] resolve(String host) throws UnknownHostException {
        return resolve.resolve(bare(host));
      }

      @Override
      public String resolveCanonicalHostname(String host) {
        return host;
      }
    };
  }

  /**
   * A client with its own pool. Connections that may reach private addresses and those that may not
   * never share a pooled connection: a name that one connection reached on a private address must
   * not be reused by a call whose check saw a public one.
   */
  private static CloseableHttpClient newClient(DnsResolver dns) {
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(dns)
                // the JVM's trust store and TLS settings (javax.net.ssl.*), as the JDK's client had
                .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(CONNECT_TIMEOUT)
                        // a pooled connection idle for a second is checked before reuse (the
                        // upstream
                        // may have closed it): a closed one is replaced, not failed on
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build())
        .evictIdleConnections(TimeValue.ofSeconds(30))
        // unless the template sets its own
        .setUserAgent("Conduit")
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableContentCompression()
        .disableAuthCaching()
        .build();
  }

  /** A host name as compared: lower case, without an IPv6 literal's brackets. */
  private static String bare(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /** Sends with the request's own timeoutSeconds as its deadline. */
  public Response send(OutgoingRequest r, Collection<String> allowedHosts, boolean allowPrivate)
      throws UpstreamException {
    return send(r, allowedHosts, allowPrivate, TimeUnit.SECONDS.toNanos(r.timeoutSeconds()));
  }

  /**
   * Sends with a deadline of {@code timeoutNanos} from now (what is left of a call's time): waiting
   * for a connection, connecting, the headers and the whole body must fit in it.
   */
  public Response send(
      OutgoingRequest r, Collection<String> allowedHosts, boolean allowPrivate, long timeoutNanos)
      throws UpstreamException {
    String host = r.uri().getHost();
    String scheme = r.uri().getScheme() == null ? "" : r.uri().getScheme().toLowerCase(Locale.ROOT);
    if (host == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new UpstreamException(
          ErrorCode.CONFIGURATION, "the request URL is not an absolute http(s) URL");
    }
    host = bare(host);
    if (r.carriesSecrets() && !hostAllowed(host, allowedHosts)) {
      throw new UpstreamException(
          ErrorCode.HOST_NOT_ALLOWED,
          "the request carries secrets, and "
              + host
              + " is not in the connection's allowedHosts "
              + allowedHosts);
    }
    InetAddress[] checked = check(host, allowPrivate);
    HttpUriRequestBase request = request(r);
    if (timeoutNanos <= 0) {
      throw timeout(host, 0);
    }
    try (Deadlines.Watch watch = deadlines.watch(timeoutNanos, request::cancel)) {
      Timeout timeout = Timeout.of(timeoutNanos, TimeUnit.NANOSECONDS);
      request.setConfig(
          RequestConfig.custom()
              .setConnectionRequestTimeout(timeout)
              .setResponseTimeout(timeout)
              .build());
      PINNED.set(new Pin(host, checked));
      CloseableHttpClient client = allowPrivate ? privateAllowed : publicOnly;
      try (ClassicHttpResponse response = client.executeOpen(null, request, null)) {
        Map<String, List<String>> headers = headers(response);
        try {
          return new Response(response.getCode(), headers, body(response, request, host));
        } catch (IOException e) {
          throw watch.expired()
              ? timeout(host, timeoutNanos)
              : interrupted(
                  host,
                  "after it answered " + response.getCode() + ", before the whole body came",
                  e);
        }
      } catch (IOException e) {
        throw failure(e, watch, host, timeoutNanos);
      } finally {
        PINNED.remove();
      }
    }
  }

  /**
   * The request as the client sends it; header names and values that could split it are refused.
   */
  private static HttpUriRequestBase request(OutgoingRequest r) throws UpstreamException {
    if (!isToken(r.method())) {
      throw new UpstreamException(
          ErrorCode.CONFIGURATION,
          "the request cannot be sent: \"" + r.method() + "\" is not a valid method");
    }
    HttpUriRequestBase request = new HttpUriRequestBase(r.method(), r.uri());
    for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
      String name = h.getKey();
      if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (!isToken(name)) {
        throw new UpstreamException(
            ErrorCode.CONFIGURATION,
            "the request cannot be sent: \"" + name + "\" is not a valid header name");
      }
      for (String value : h.getValue()) {
        int bad = unsendable(value);
        if (bad >= 0) {
          throw new UpstreamException(
              ErrorCode.CONFIGURATION,
              "the request cannot be sent: the header \""
                  + name
                  + "\" has a line break or control character ("
                  + codePoint(value.charAt(bad))
                  + ") in its value");
        }
        request.addHeader(name, value);
      }
    }
    if (r.body() != null) {
      // no content type of its own: the template's Content-Type header says it
      request.setEntity(new ByteArrayEntity(r.body(), null));
    }
    return request;
  }

  /**
   * Where a header value has a character HTTP cannot carry (RFC 9110 5.5: control characters other
   * than tab, so CR, LF and NUL among them), or -1. One rule for the guard here and for {@link
   * RequestRenderer}, which blames the input that brought one in.
   */
  static int unsendable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return i;
      }
    }
    return -1;
  }

  static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  /** RFC 9110 token characters, what a method or a header name may be made of. */
  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The response's headers by name, in lower case (names are case-insensitive; logs show one form).
   */
  private static Map<String, List<String>> headers(ClassicHttpResponse response) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Header h : response.getHeaders()) {
      headers
          .computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
          .add(h.getValue());
    }
    return headers;
  }

  /** Reads the body up to the cap; past it, the transfer is cancelled (the connection closed). */
  private byte[] body(ClassicHttpResponse response, HttpUriRequestBase request, String host)
      throws IOException, UpstreamException {
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      return new byte[0];
    }
    long declared = entity.getContentLength();
    if (declared > maxResponseBytes) {
      request.cancel();
      throw tooLarge(host);
    }
    try (InputStream in = entity.getContent()) {
      // a declared length (the usual answer) is read into one array of that size: no copy, no
      // chunk buffer; anything past it (a server that says less than it sends) goes on below
      byte[] whole = declared > 0 ? new byte[(int) declared] : null;
      int next = 0;
      if (whole != null) {
        int got = in.readNBytes(whole, 0, whole.length);
        whole = got == whole.length ? whole : Arrays.copyOf(whole, got);
        next = in.read();
      }
      if (next == -1) {
        return whole;
      }
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(whole == null ? 256 : whole.length + 256);
      if (whole != null) {
        if (whole.length + 1L > maxResponseBytes) {
          request.cancel();
          throw tooLarge(host);
        }
        out.write(whole, 0, whole.length);
        out.write(next);
      }
      byte[] chunk = new byte[8192];
      for (int n; (n = in.read(chunk)) != -1; ) {
        if (out.size() + (long) n > maxResponseBytes) {
          // cancel first: closing the stream would otherwise read the rest to reuse the connection
          request.cancel();
          throw tooLarge(host);
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }
  }

  private UpstreamException tooLarge(String host) {
    return new UpstreamException(
        ErrorCode.RESPONSE_TOO_LARGE,
        host
            + " answered with more than "
            + maxResponseBytes
            + " bytes (the limit is conduit.invoke.max-response-bytes)");
  }

  private static UpstreamException failure(
      IOException e, Deadlines.Watch watch, String host, long timeoutNanos) {
    if (watch.expired()) {
      return timeout(host, timeoutNanos);
    }
    if (e instanceof ConnectTimeoutException) { // a SocketTimeoutException too: asked first
      return new UpstreamException(
          ErrorCode.UPSTREAM_TIMEOUT, "connecting to " + host + " timed out");
    }
    if (e instanceof SocketTimeoutException || e instanceof ConnectionRequestTimeoutException) {
      return timeout(host, timeoutNanos);
    }
    if (e instanceof UnknownHostException) {
      return new UpstreamException(ErrorCode.UPSTREAM_UNREACHABLE, "cannot resolve " + host);
    }
    if (e instanceof SSLException) {
      // an untrusted or expired certificate, a name that does not match it, no common protocol
      return new UpstreamException(
          ErrorCode.UPSTREAM_UNREACHABLE,
          "the TLS handshake with " + host + " failed: " + reason(e));
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return new UpstreamException(
          ErrorCode.UPSTREAM_UNREACHABLE, "cannot reach " + host + ": " + reason(e));
    }
    if (e instanceof ClientProtocolException) {
      return new UpstreamException(
          ErrorCode.UPSTREAM_BAD_RESPONSE,
          host
              + " answered something that is not HTTP ("
              + reason(e.getCause() == null ? e : e.getCause())
              + "); the request was sent and may have been processed");
    }
    // connected, so the request (or part of it) went out: whatever broke, it may have been
    // processed
    return interrupted(host, "after the request was sent, before an answer came", e);
  }

  /** The connection broke once the request was out: not "nothing was sent", so not UNREACHABLE. */
  private static UpstreamException interrupted(String host, String when, IOException e) {
    return new UpstreamException(
        ErrorCode.UPSTREAM_INTERRUPTED,
        "the connection to "
            + host
            + " broke "
            + when
            + " ("
            + reason(e)
            + "): the upstream may have processed the request");
  }

  /** Callers say whose time it was (the API's, the token request's): only they know. */
  private static UpstreamException timeout(String host, long timeoutNanos) {
    return new UpstreamException(
        ErrorCode.UPSTREAM_TIMEOUT,
        host
            + " did not answer within "
            + BigDecimal.valueOf(Math.max(0, timeoutNanos) / 1_000_000, 3)
                .stripTrailingZeros()
                .toPlainString()
            + " s");
  }

  @Override
  public void close() {
    deadlines.close();
    for (CloseableHttpClient client : List.of(publicOnly, privateAllowed)) {
      try {
        client.close();
      } catch (IOException e) {
        // closing idle connections: nothing to do about a failure
      }
    }
  }

  /**
   * Whether a host is one of the allowed hosts: an exact name (or IP literal), or {@code *.suffix}
   * for any subdomain of suffix (not suffix itself). Case and a trailing dot do not matter.
   */
  static boolean hostAllowed(String host, Collection<String> allowed) {
    String h = normalize(host);
    for (String a : allowed) {
      String p = normalize(a);
      if (p.startsWith("*.")
          ? h.endsWith(p.substring(1)) && h.length() > p.length() - 1
          : h.equals(p)) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String host) {
    String h = bare(host.strip());
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * Refuses hosts that resolve to a metadata address ({@link #isMetadata}), and, unless the
   * connection allows its private network, to internal ones, checking every address the name has.
   * Returns the addresses checked: a connection opened for the call goes to one of them, never to
   * what a second lookup might answer (DNS rebinding).
   */
  private InetAddress[] check(String host, boolean allowPrivate) throws UpstreamException {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new UpstreamException(ErrorCode.UPSTREAM_UNREACHABLE, "cannot resolve " + host);
    }
    for (InetAddress a : addresses) {
      if (isMetadata(a)) {
        throw new UpstreamException(
            ErrorCode.PRIVATE_ADDRESS_REFUSED,
            host
                + " resolves to "
                + a.getHostAddress()
                + ", an internal address where cloud metadata endpoints answer (link-local);"
                + " no connection may reach one, allowPrivateNetwork or not");
      }
      if (!allowPrivate && isInternal(a)) {
        throw new UpstreamException(
            ErrorCode.PRIVATE_ADDRESS_REFUSED,
            host
                + " resolves to "
                + a.getHostAddress()
                + ", an internal address (loopback, private, link-local, unique-local, multicast or unspecified); "
                + "a connection reaches one only when it sets allowPrivateNetwork and this"
                + " runtime's operator names its organization in "
                + PrivateNetworkRule.SETTING
                + " (none by default)");
      }
    }
    return addresses;
  }

  /**
   * Whether an address is not on the public internet: loopback, unspecified, link-local (169.254/16
   * with the cloud metadata endpoints, fe80::/10), private (10/8, 172.16/12, 192.168/16),
   * site-local and unique-local IPv6 (fec0::/10, fc00::/7), multicast, carrier-grade NAT
   * (100.64/10), 0/8, 192.0.0/24, benchmarking (198.18/15) and 240/4 with broadcast; IPv6 forms
   * that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
   * 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address.
   */
  static boolean isInternal(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0
          || first >= 240 // "this network", reserved, broadcast
          || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
          || (first == 198 && (second == 18 || second == 19)); // benchmarking
    }
    if ((b[0] & 0xfe) == 0xfc) {
      return true; // fc00::/7 unique local
    }
    int at = carriedAt(b);
    return at >= 0 && embedded(b, at);
  }

  /**
   * Whether an address is where cloud metadata endpoints answer with the machine's own credentials
   * (which reach every organization's data): link-local (169.254/16, fe80::/10, also inside the
   * IPv6 forms {@link #isInternal} reads) and AWS's fd00:ec2::254. No connection may reach one,
   * whether or not it allows its private network.
   */
  static boolean isMetadata(InetAddress a) {
    byte[] b = a.getAddress();
    if (a.isLinkLocalAddress() || Arrays.equals(b, AWS_METADATA_V6)) {
      return true;
    }
    int at = b.length == 16 ? carriedAt(b) : -1;
    return at >= 0 && (b[at] & 0xff) == 169 && (b[at + 1] & 0xff) == 254;
  }

  /**
   * Where the IPv4 address an IPv6 address carries starts: IPv4-mapped ::ffff:a.b.c.d,
   * IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16; -1 for none.
   */
  private static int carriedAt(byte[] b) {
    if (zeros(b, 0, 10)
        && (((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) || zeros(b, 10, 12))) {
      return 12; // ::ffff:a.b.c.d (mapped) or ::a.b.c.d (compatible)
    }
    if ((b[0] & 0xff) == 0x00
        && (b[1] & 0xff) == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && zeros(b, 4, 12)) {
      return 12; // 64:ff9b::a.b.c.d (NAT64)
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return 2; // 2002:aabb:ccdd::/48 (6to4)
    }
    return -1;
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
      return isInternal(
          InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]}));
    } catch (UnknownHostException e) {
      return true;
    }
  }

  private static final byte[] AWS_METADATA_V6 = {
    (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
  };

  private static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
