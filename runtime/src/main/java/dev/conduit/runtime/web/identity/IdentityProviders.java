package dev.conduit.runtime.web.identity;

import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.identity.IdentityProvider;
import dev.conduit.runtime.identity.IdentitySettings;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.JdbcIdentityStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;

/**
 * The runtime's one identity provider, built at first use. Its password check signs in through the
 * request being served: the injected {@link HttpServletRequest} is CDI's proxy for the current
 * request, so one provider serves every request.
 */
@ApplicationScoped
public class IdentityProviders {

  @Inject RuntimeConfig config;

  @Inject BundleRegistry registry;

  @Inject JdbcIdentityStore store;

  @Inject Clock clock;

  @Inject HttpServletRequest request;

  private IdentityProvider provider;

  @PostConstruct
  void build() {
    IdentitySettings s = IdentitySettings.DEFAULT;
    IdentitySettings settings =
        new IdentitySettings(
            Duration.ofSeconds(config.accessTokenSeconds()),
            Duration.ofSeconds(config.refreshTokenSeconds()),
            s.codeTtl(),
            s.maxFailedSignIns(),
            s.failureWindow(),
            s.lockDuration());
    provider =
        new IdentityProvider(
            new RegistryDirectory(registry),
            store,
            (login, password) -> Members.check(request, login, password),
            clock,
            settings);
  }

  @Produces
  IdentityProvider identityProvider() {
    return provider;
  }
}
