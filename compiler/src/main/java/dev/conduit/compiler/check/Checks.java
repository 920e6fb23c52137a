package dev.conduit.compiler.check;

import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.model.RepositoryModel.Folder;

/** Phase 5, check: every rule beyond the schemas, each reporting under its own code. */
public final class Checks {
  private Checks() {}

  public static void run(RepositoryModel model, CodeSyntax code, Diagnostics out) {
    Context ctx = new Context(model, out, code);
    OrganizationChecks.run(ctx);
    for (Folder folder : model.connections.values()) {
      if (folder.connection != null) {
        ConnectionChecks.connection(ctx, folder);
      }
    }
    for (Folder folder : model.library.values()) {
      LibraryChecks.run(ctx, folder);
    }
    ApplicationChecks.run(ctx);
  }
}
