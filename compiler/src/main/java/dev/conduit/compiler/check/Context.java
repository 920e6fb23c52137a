package dev.conduit.compiler.check;

import dev.conduit.bundle.Member;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** What every check may need: the model, the members' logins, the sealer, the report. */
final class Context {
  final RepositoryModel model;
  final Diagnostics out;
  final Set<String> logins;

  /** Null when the organization has no (valid) sealing public key. */
  final Sealer sealer;

  final CodeSyntax code;

  /**
   * The problems of each code file checked so far, by path: a file that several APIs use is parsed
   * once (a parse with the real engines costs milliseconds; see docs/benchmarks.md). Shared by the
   * connections' checks, which run in parallel.
   */
  final Map<String, List<CodeSyntax.Problem>> codeProblems;

  Context(RepositoryModel model, Diagnostics out, CodeSyntax code) {
    this.model = model;
    this.out = out;
    this.code = code;
    this.logins =
        model.members == null
            ? Set.of()
            : model.members.value().members().stream()
                .map(Member::login)
                .collect(Collectors.toSet());
    Sealer s = null;
    if (model.organization != null && model.organization.value().sealing() != null) {
      try {
        s = new Sealer(model.organization.value().sealing().publicKey());
      } catch (SealException e) {
        s = null; // reported by OrganizationChecks
      }
    }
    this.sealer = s;
    this.codeProblems = new ConcurrentHashMap<>();
  }

  private Context(Context base, Diagnostics out) {
    this.model = base.model;
    this.out = out;
    this.code = base.code;
    this.logins = base.logins;
    this.sealer = base.sealer;
    this.codeProblems = base.codeProblems;
  }

  /** The same context reporting elsewhere: a task's own collection in a parallel pass. */
  Context reportingTo(Diagnostics elsewhere) {
    return new Context(this, elsewhere);
  }

  /** Whether member logins can be checked (members.json loaded). */
  boolean knowsMembers() {
    return model.members != null;
  }
}
