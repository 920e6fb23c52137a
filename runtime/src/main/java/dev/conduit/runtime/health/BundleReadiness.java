package dev.conduit.runtime.health;

import dev.conduit.runtime.code.CodeBlocksAdapter;
import dev.conduit.runtime.logs.Background;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.registry.BundleRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when at least one bundle is loaded: a load balancer sends no traffic before. Also says
 * which confinement Python code blocks run under (issue 11), whatever the status.
 */
@Readiness
@ApplicationScoped
public class BundleReadiness implements HealthCheck {

  @Inject BundleRegistry registry;

  @Inject CodeBlocksAdapter code;

  @Override
  public HealthCheckResponse call() {
    var b = HealthCheckResponse.named("bundles").status(registry != null && registry.anyLoaded());
    if (registry != null) {
      // counts only: this endpoint is public; paths and refusal reasons are on the admins' bundle
      // endpoint
      b.withData("organizations", registry.organizations().size());
      b.withData(
          "refusedBundles", registry.states().stream().filter(s -> s.lastError() != null).count());
      b.withData(
          "unavailableConnections",
          registry.organizations().stream().mapToInt(o -> o.unavailable().size()).sum());
    }
    // a mode and what is missing, never a path: an operator or a scanner sees an unconfined server
    b.withData("pythonBlocks", code == null ? "unavailable" : code.confinementInEffect());
    return b.build();
  }

  /**
   * The process is alive; with the request-log writer's counters (written, commits, dropped,
   * failed, late, queued).
   */
  @Liveness
  @ApplicationScoped
  public static class Alive implements HealthCheck {
    @Inject RequestLogWriter logWriter;

    @Inject Background background;

    @Override
    public HealthCheckResponse call() {
      var b = HealthCheckResponse.named("alive").up();
      if (logWriter != null) {
        b.withData("requestLogsWritten", logWriter.written())
            .withData("requestLogCommits", logWriter.commits())
            .withData("requestLogsDropped", logWriter.dropped())
            .withData("requestLogsFailed", logWriter.failed())
            .withData("requestLogsLate", logWriter.late())
            .withData("requestLogsQueued", logWriter.queued())
            .withData("alertsDropped", background.dropped());
      }
      return b.build();
    }
  }
}
