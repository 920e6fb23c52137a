package dev.conduit.runtime.registry;

import dev.conduit.bundle.Application;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Member;
import dev.conduit.runtime.invoke.PreparedConnection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One organization's bundle as served: prepared connections (secrets opened in memory,
 * templates parsed), and indexes for the hot paths (applications by key, members by login).
 */
public record LoadedOrganization(
    Bundle bundle,
    String path,
    Instant loadedAt,
    Map<String, PreparedConnection> connections,
    Map<String, Application> applicationsByKey,
    Map<String, Member> membersByLogin) {

  public String id() {
    return bundle.organization().id();
  }

  public Optional<PreparedConnection> connection(String id) {
    return Optional.ofNullable(connections.get(id));
  }

  public boolean isAdmin(String login) {
    return bundle.organization().isAdmin(login);
  }

  public boolean isMember(String login) {
    return membersByLogin.containsKey(login);
  }

  /** Whether a person may manage a connection: its owner or an organization admin. */
  public boolean mayManage(String login, String connectionId) {
    return isAdmin(login) || connection(connectionId)
        .map(c -> login.equals(c.connection().owner())).orElse(false);
  }
}
