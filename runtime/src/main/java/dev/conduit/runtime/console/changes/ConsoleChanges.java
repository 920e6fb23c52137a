package dev.conduit.runtime.console.changes;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.runtime.gitops.GitOps;
import dev.conduit.runtime.gitops.GitSettings;
import dev.conduit.runtime.library.LibraryFolder;
import dev.conduit.runtime.registry.BundleRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Which Git source holds which organization (read once per source from its organization.json), and
 * the one {@link ChangeBranches} of the server. The Git settings are re-read on each use, as the
 * GitOps reconcile does, so sources come and go without a restart.
 *
 * <p>The proposals of the server share what makes them fast: the organizations' repositories kept
 * in memory ({@link RemoteCopies}), the base commits' bundles ({@link BaseBundles}; the served
 * bundle when GitOps serves the base commit), and the code-check cache of the CLI ({@code
 * CONDUIT_CACHE}), so a code file already checked starts no engine.
 */
@ApplicationScoped
public class ConsoleChanges {

  private static final Logger LOG = Logger.getLogger(ConsoleChanges.class.getName());

  private final Map<String, String> organizationOfSource = new ConcurrentHashMap<>();
  private volatile ChangeBranches branches;

  @Inject BundleRegistry registry;

  @Inject GitOps gitops;

  /** The source whose repository is this organization's, if any is configured. */
  public Optional<GitSettings.Source> sourceFor(String organizationId) {
    GitSettings settings = GitSettings.read(ConfigProvider.getConfig());
    for (GitSettings.Source s : settings.sources()) {
      String key = s.label() + "|" + s.url() + "|" + s.branch() + "|" + s.path();
      String org = organizationOfSource.get(key);
      if (org == null) {
        try {
          org = branches().organizationOf(s);
          organizationOfSource.put(key, org);
        } catch (ChangeBranches.Refused e) {
          LOG.warning("console: Git source " + s.label() + ": " + e.getMessage());
          continue;
        }
      }
      if (org.equals(organizationId)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public ChangeBranches branches() {
    ChangeBranches b = branches;
    if (b == null) {
      synchronized (this) {
        if (branches == null) {
          // installs on a branch compile against the same public library as GitOps
          branches =
              new ChangeBranches(
                  new Compiler(CodeSyntaxes.forCommands(), LibraryFolder.configured()),
                  Clock.systemUTC(),
                  () -> GitSettings.read(ConfigProvider.getConfig()).fetchTimeoutSeconds(),
                  RemoteCopies.warm(),
                  BaseBundles.warm(this::served));
        }
        b = branches;
      }
    }
    return b;
  }

  /** The bundle this server serves for the organization, when it is that source's commit. */
  private Optional<Bundle> served(String organizationId, String sourceLabel, String commit) {
    return registry
        .organization(organizationId)
        .filter(o -> gitops.sourceOf(o).filter(sourceLabel::equals).isPresent())
        .map(o -> o.bundle())
        .filter(b -> b.source() != null && commit.equals(b.source().commit()));
  }
}
