package dev.conduit.compiler.check;

import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import java.util.List;

/** Phase 5, check: every rule beyond the schemas, each reporting under its own code. */
public final class Checks {
  private Checks() {}

  public static void run(RepositoryModel model, CodeSyntax code, Diagnostics out) {
    Context ctx = new Context(model, out, code);
    OrganizationChecks.run(ctx);
    // connections are independent of each other (a library entry's template is only read): two
    // cores check them at once, and their reports are added in the connections' order
    List<Folder> connections =
        model.connections.values().stream().filter(f -> f.connection != null).toList();
    out.eachInParallel(
        connections,
        (folder, own) -> {
          ConnectionChecks.connection(ctx.reportingTo(own), folder);
          return null;
        });
    for (Folder folder : model.library.values()) {
      LibraryChecks.run(ctx, folder);
    }
    ApplicationChecks.run(ctx);
  }
}
