package dev.conduit.runtime.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real smart-HTTP Git host for tests: the JDK's HTTP server on loopback running JGit's
 * upload-pack (fetches) and receive-pack (pushes) on one bare repository as {@code /repo.git},
 * behind HTTP Basic authentication with one user name and token (401 with a challenge otherwise, as
 * Git hosts answer). It records every Authorization header it receives, so a test can tell what the
 * client sent. The integration tests' server follows Initech through one ({@code ItGitHost}).
 */
public final class GitHttpServer implements AutoCloseable {

  private final Path bare;
  private final String expected;
  private final HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  public GitHttpServer(Path bare, String username, String token) throws IOException {
    this(bare, username, token, 0);
  }

  /** The same on a given port of 127.0.0.1 (0: any free one). */
  public GitHttpServer(Path bare, String username, String token, int port) throws IOException {
    this.bare = bare;
    this.expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + token).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/repo.git/", this::handle);
    server.start();
  }

  public String url() {
    return url(server.getAddress().getPort());
  }

  /** The repository's address when served on {@code port}. */
  public static String url(int port) {
    return "http://127.0.0.1:" + port + "/repo.git";
  }

  /** Every Authorization header received, in order ("none" for a request without one). */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String auth = x.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "none" : auth);
      if (!expected.equals(auth)) {
        x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        x.sendResponseHeaders(401, -1);
        return;
      }
      String path = x.getRequestURI().getPath();
      String query = x.getRequestURI().getQuery();
      try (Repository repo =
          new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build()) {
        if (path.endsWith("/info/refs") && "service=git-upload-pack".equals(query)) {
          UploadPack up = new UploadPack(repo);
          up.setBiDirectionalPipe(false);
          up.sendAdvertisedRefs(advertise(x, "git-upload-pack"));
          x.getResponseBody().flush();
        } else if (path.endsWith("/info/refs") && "service=git-receive-pack".equals(query)) {
          ReceivePack rp = new ReceivePack(repo);
          rp.setBiDirectionalPipe(false);
          rp.sendAdvertisedRefs(advertise(x, "git-receive-pack"));
          x.getResponseBody().flush();
        } else if (path.endsWith("/git-upload-pack") && x.getRequestMethod().equals("POST")) {
          UploadPack up = new UploadPack(repo);
          up.setBiDirectionalPipe(false);
          InputStream in = body(x);
          x.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
          x.sendResponseHeaders(200, 0);
          up.upload(in, x.getResponseBody(), null);
        } else if (path.endsWith("/git-receive-pack") && x.getRequestMethod().equals("POST")) {
          ReceivePack rp = new ReceivePack(repo);
          rp.setBiDirectionalPipe(false);
          InputStream in = body(x);
          x.getResponseHeaders().add("Content-Type", "application/x-git-receive-pack-result");
          x.sendResponseHeaders(200, 0);
          rp.receive(in, x.getResponseBody(), null);
        } else {
          x.sendResponseHeaders(404, -1);
        }
      }
    }
  }

  /** Starts a smart-HTTP ref advertisement for {@code service}: its header line, then the refs. */
  private static RefAdvertiser advertise(HttpExchange x, String service) throws IOException {
    x.getResponseHeaders().add("Content-Type", "application/x-" + service + "-advertisement");
    x.sendResponseHeaders(200, 0);
    PacketLineOut pkt = new PacketLineOut(x.getResponseBody());
    pkt.writeString("# service=" + service + "\n");
    pkt.end();
    return new RefAdvertiser.PacketLineOutRefAdvertiser(pkt);
  }

  private static InputStream body(HttpExchange x) throws IOException {
    InputStream in = x.getRequestBody();
    return "gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))
        ? new GZIPInputStream(in)
        : in;
  }
}
