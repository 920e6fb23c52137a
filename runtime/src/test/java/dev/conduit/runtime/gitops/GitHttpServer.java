package dev.conduit.runtime.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real smart-HTTP Git host for tests: the JDK's HTTP server on loopback running JGit's
 * upload-pack on one bare repository as {@code /repo.git}, behind HTTP Basic authentication with
 * one user name and token (401 with a challenge otherwise, as Git hosts answer). It records every
 * Authorization header it receives, so a test can tell what the client sent.
 */
public final class GitHttpServer implements AutoCloseable {

  private final Path bare;
  private final String expected;
  private final HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  public GitHttpServer(Path bare, String username, String token) throws IOException {
    this.bare = bare;
    this.expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + token).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/repo.git/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
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
      try (Repository repo =
          new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build()) {
        UploadPack up = new UploadPack(repo);
        up.setBiDirectionalPipe(false);
        if (path.endsWith("/info/refs")
            && "service=git-upload-pack".equals(x.getRequestURI().getQuery())) {
          x.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-advertisement");
          x.sendResponseHeaders(200, 0);
          OutputStream out = x.getResponseBody();
          PacketLineOut pkt = new PacketLineOut(out);
          pkt.writeString("# service=git-upload-pack\n");
          pkt.end();
          up.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(pkt));
          out.flush();
        } else if (path.endsWith("/git-upload-pack") && x.getRequestMethod().equals("POST")) {
          InputStream in = x.getRequestBody();
          if ("gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
          }
          x.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
          x.sendResponseHeaders(200, 0);
          up.upload(in, x.getResponseBody(), null);
        } else {
          x.sendResponseHeaders(404, -1);
        }
      }
    }
  }
}
