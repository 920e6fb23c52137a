package dev.conduit.runtime.invoke;

import java.util.List;
import java.util.Set;

/**
 * Which organizations the operator lets reach loopback and private addresses. A connection's own
 * {@code allowPrivateNetwork} is written by its organization, so on a runtime several organizations
 * share it cannot be the last word: without this rule any of them could call the operator's
 * internal services or another organization's intranet. A connection reaches private addresses only
 * when it sets the flag <em>and</em> its organization is named here
 * (conduit.upstream.private-network-organizations: organization ids; none by default, so a runtime
 * is closed until its operator names who may; {@code *} for every organization, a runtime one team
 * has to itself). Cloud metadata addresses stay refused to everyone ({@link Upstream#isMetadata}).
 */
public record PrivateNetworkRule(boolean everyOrganization, Set<String> organizations) {

  /** The setting's key, named by every refusal so that the reader knows what to change. */
  public static final String SETTING = "conduit.upstream.private-network-organizations";

  /** No organization may use the flag: the default. */
  public static final PrivateNetworkRule NONE = new PrivateNetworkRule(false, Set.of());

  /** Every organization may use the flag ("*"): one team's runtime. */
  public static final PrivateNetworkRule EVERY_ORGANIZATION =
      new PrivateNetworkRule(true, Set.of());

  /** Read from the setting's entries: "*" for every organization, else organization ids. */
  public static PrivateNetworkRule of(List<String> entries) {
    List<String> ids = entries.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    return ids.contains("*") ? EVERY_ORGANIZATION : new PrivateNetworkRule(false, Set.copyOf(ids));
  }

  /** These organizations only (tests, benchmarks). */
  public static PrivateNetworkRule only(String... organizationIds) {
    return of(List.of(organizationIds));
  }

  /** Whether a connection of the organization that sets allowPrivateNetwork gets it. */
  public boolean permits(String organizationId) {
    return everyOrganization || organizations.contains(organizationId);
  }
}
