package dev.conduit.runtime.health;

import dev.conduit.runtime.Runtime;
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

  @Inject Runtime rt;

  @Override
  public HealthCheckResponse call() {
    var b =
        HealthCheckResponse.named("bundles")
            .status(rt.registry() != null && rt.registry().anyLoaded());
    if (rt.registry() != null) {
      // counts only: this endpoint is public; paths and refusal reasons are on the admins' bundle
      // endpoint
      b.withData("organizations", rt.registry().organizations().size());
      b.withData(
          "refusedBundles",
          rt.registry().states().stream().filter(s -> s.lastError() != null).count());
      b.withData(
          "unavailableConnections",
          rt.registry().organizations().stream().mapToInt(o -> o.unavailable().size()).sum());
    }
    // a mode and what is missing, never a path: an operator or a scanner sees an unconfined server
    b.withData("pythonBlocks", rt.pythonConfinement());
    return b.build();
  }

  /**
   * The process is alive; with the request-log writer's counters (written, dropped, failed, late,
   * queued).
   */
  @Liveness
  @ApplicationScoped
  public static class Alive implements HealthCheck {
    @Inject Runtime rt;

    @Override
    public HealthCheckResponse call() {
      var b = HealthCheckResponse.named("alive").up();
      if (rt.logWriter() != null) {
        b.withData("requestLogsWritten", rt.logWriter().written())
            .withData("requestLogsDropped", rt.logWriter().dropped())
            .withData("requestLogsFailed", rt.logWriter().failed())
            .withData("requestLogsLate", rt.logWriter().late())
            .withData("requestLogsQueued", rt.logWriter().queued())
            .withData("alertsDropped", rt.backgroundDropped());
      }
      return b.build();
    }
  }
}
