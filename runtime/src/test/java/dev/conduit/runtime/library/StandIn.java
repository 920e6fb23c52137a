package dev.conduit.runtime.library;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local upstream every library API is called against: a real HTTP server on 127.0.0.1 that
 * records the request it receives and answers with the body the test set for this call (built from
 * the API's own outputs). Token endpoints (an entry's oauth2-client-credentials tokenUrl) answer
 * the token set for their path, and their requests are kept apart from the API calls. Calls are
 * made one at a time, so one slot of each suffices.
 */
final class StandIn implements AutoCloseable {

  /** A request as the upstream saw it. */
  record Received(String method, URI uri, Headers headers, String body) {}

  private final HttpServer server;
  private final AtomicReference<String> answer = new AtomicReference<>("{}");
  private final AtomicReference<Received> last = new AtomicReference<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final AtomicReference<Received> lastToken = new AtomicReference<>();

  static {
    // without it the JDK server waits out the client's delayed ACK: ~40 ms a call instead of <1
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  StandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Received got =
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI(),
                  exchange.getRequestHeaders(),
                  body);
          String token = tokens.get(exchange.getRequestURI().getPath());
          (token != null ? lastToken : last).set(got);
          byte[] out = (token != null ? token : answer.get()).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The body of the next answer; forgets the last request. */
  void answer(String json) {
    answer.set(json);
    last.set(null);
  }

  /** Requests to {@code path} are token requests, answered with {@code json}. */
  void token(String path, String json) {
    tokens.put(path, json);
  }

  /** The last token request received, or null. */
  Received lastToken() {
    return lastToken.get();
  }

  /** The last request received, or null. */
  Received last() {
    return last.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
