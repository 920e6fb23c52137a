package dev.conduit.runtime.web.identity;

import dev.conduit.bundle.Member;
import dev.conduit.runtime.identity.Directory;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import java.util.Optional;

/** The identity provider's view of the loaded bundles. */
final class RegistryDirectory implements Directory {

  private final BundleRegistry registry;

  RegistryDirectory(BundleRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Optional<Client> client(String appKey) {
    return registry
        .client(appKey)
        .map(
            hit ->
                new Client(
                    hit.app().appKey(),
                    hit.organization().id(),
                    hit.app().id(),
                    hit.app().name(),
                    hit.app().description(),
                    hit.app().homepage(),
                    hit.app().secretHash(),
                    hit.app().redirectUris()));
  }

  @Override
  public Optional<String> organizationName(String organizationId) {
    return registry.organization(organizationId).map(o -> o.bundle().organization().name());
  }

  @Override
  public Optional<Member> member(String organizationId, String login) {
    return registry
        .organization(organizationId)
        .map(LoadedOrganization::membersByLogin)
        .map(m -> m.get(login));
  }
}
