package dev.conduit.runtime.health;

import dev.conduit.runtime.Runtime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when at least one bundle is loaded: a load balancer sends no traffic before. */
@Readiness
@ApplicationScoped
public class BundleReadiness implements HealthCheck {

  @Inject
  Runtime rt;

  @Override
  public HealthCheckResponse call() {
    var b = HealthCheckResponse.named("bundles").status(rt.registry() != null && rt.registry().anyLoaded());
    if (rt.registry() != null) {
      b.withData("organizations", rt.registry().organizations().size());
      rt.registry().states().forEach(s -> b.withData(s.path(), s.lastError() == null ? "loaded" : "refused: " + s.lastError()));
    }
    if (rt.logWriter() != null) {
      b.withData("requestLogsDropped", rt.logWriter().dropped());
    }
    return b.build();
  }

  /** The process is alive (the web container answers). */
  @Liveness
  @ApplicationScoped
  public static class Alive implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.up("alive");
    }
  }
}
