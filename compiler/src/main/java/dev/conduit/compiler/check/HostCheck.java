package dev.conduit.compiler.check;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.resolve.UrlHost;
import java.util.List;
import java.util.Map;

/**
 * Proves that secrets stay on their hosts: a URL that carries a hidden parameter or an auth value
 * must have a host fixed at compile time and (when the connection lists allowedHosts) one of those
 * hosts.
 */
final class HostCheck {
  private HostCheck() {}

  /**
   * @param secret what secret the request carries, for messages; null when it carries none
   * @param declaredHosts the connection's allowedHosts as written, or null when defaulted
   */
  static void check(
      Context ctx,
      ParsedFile file,
      String pointer,
      String url,
      Map<String, Object> visible,
      String secret,
      List<String> declaredHosts) {
    UrlHost host = UrlHost.of(url, visible);
    switch (host) {
      case UrlHost.Invalid invalid -> ctx.out.at(file, pointer, Code.C229, invalid.why(), null);
      case UrlHost.Dynamic dynamic -> {
        if (secret != null) {
          ctx.out.at(
              file,
              pointer,
              Code.C227,
              "this request carries "
                  + secret
                  + ", but "
                  + dynamic.because()
                  + ": a caller could send the secret to a host of its choosing",
              "fix the scheme and host in the URL (or take them from a connection parameter); "
                  + "inputs may fill the path and query");
        }
      }
      case UrlHost.Fixed fixed -> {
        if (secret == null) {
          return;
        }
        if (declaredHosts != null && !UrlHost.allowedBy(fixed.host(), declaredHosts)) {
          ctx.out.at(
              file,
              pointer,
              Code.C228,
              "this request carries "
                  + secret
                  + " to "
                  + fixed.host()
                  + ", which is not in the connection's allowedHosts "
                  + declaredHosts,
              "add \"" + fixed.host() + "\" to allowedHosts if the provider really lives there");
        }
        if (fixed.scheme().equals("http") && !isLocal(fixed.host())) {
          ctx.out.at(
              file,
              pointer,
              Code.C230,
              "this request carries "
                  + secret
                  + " over plain http to "
                  + fixed.host()
                  + ": anyone on the network path can read it",
              "use https");
        }
      }
    }
  }

  private static boolean isLocal(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }
}
