package dev.conduit.compiler.cli;

import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import java.io.PrintStream;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The redirect URI to register at the provider, one info line per authorization-code connection.
 * The compiler does not know where the runtime runs, so the URI starts with the runtime's public
 * URL given by {@code --runtime-url}, else the placeholder of docs/accounts.md.
 */
final class RedirectUris {

  static final String PLACEHOLDER = "{conduit.public-url}";

  @Option(
      names = "--runtime-url",
      paramLabel = "URL",
      description =
          "The runtime's public URL (conduit.public-url), to print the exact redirect URI "
              + "of each authorization-code connection. Default: the placeholder "
              + PLACEHOLDER
              + ".")
  String runtimeUrl;

  /** Info lines on stderr: stdout stays the report (json, sarif, junit stay machine-readable). */
  void print(Optional<Bundle> bundle, PrintStream err) {
    String base = runtimeUrl == null ? PLACEHOLDER : runtimeUrl.replaceAll("/+$", "");
    bundle.ifPresent(
        b -> {
          for (Connection c : b.connections()) {
            if (c.auth() instanceof Auth.AuthorizationCode) {
              err.println(
                  c.id()
                      + ": register the redirect URI "
                      + base
                      + Auth.AuthorizationCode.redirectPath(c.id())
                      + " at the provider");
            }
          }
        });
  }
}
