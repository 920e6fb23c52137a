package dev.conduit.runtime.invoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local upstream on a raw socket that misbehaves as a test tells it: it reads each request whole,
 * then runs the script on the connection (answer half, reset, send garbage), which a well-behaved
 * server such as WireMock cannot be made to do.
 */
final class RawUpstream implements AutoCloseable {

  /** What to do with a connection once its request is read. */
  @FunctionalInterface
  interface Script {
    void run(Socket socket, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Script script = (s, out) -> reset(s);

  RawUpstream() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = Thread.ofPlatform().daemon().name("raw-upstream").start(this::accept);
  }

  String base() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  void script(Script s) {
    script = s;
    requests.set(0);
  }

  /** Requests read whole since the last script. */
  int requests() {
    return requests.get();
  }

  /** Closes with a TCP reset (RST), as a crashed or killed upstream process does. */
  static void reset(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
  }

  static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      readRequest(s.getInputStream());
      requests.incrementAndGet();
      script.run(s, s.getOutputStream());
    } catch (IOException | InterruptedException e) {
      // the client went away: nothing to do
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).strip()));
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
