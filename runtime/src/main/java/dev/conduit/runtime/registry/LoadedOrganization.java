package dev.conduit.runtime.registry;

import dev.conduit.bundle.Application;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.bundle.Member;
import dev.conduit.runtime.invoke.PreparedConnection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One organization's bundle as served: prepared connections (secrets opened in memory, templates
 * parsed), the connections that could not be prepared with the reason of each, and indexes for the
 * hot paths (applications by key, members by login).
 *
 * @param unavailable connection id to why it could not be prepared (never a secret); calls to it
 *     answer CONNECTION_UNAVAILABLE while the rest of the bundle serves
 */
public record LoadedOrganization(
    Bundle bundle,
    String path,
    Instant loadedAt,
    Map<String, PreparedConnection> connections,
    Map<String, String> unavailable,
    Map<String, Application> applicationsByKey,
    Map<String, Member> membersByLogin) {

  public String id() {
    return bundle.organization().id();
  }

  public Optional<PreparedConnection> connection(String id) {
    return Optional.ofNullable(connections.get(id));
  }

  /**
   * Why a connection of the bundle could not be prepared, or empty (it serves, or does not exist).
   */
  public Optional<String> unavailable(String id) {
    return Optional.ofNullable(unavailable.get(id));
  }

  public boolean isAdmin(String login) {
    return bundle.organization().isAdmin(login);
  }

  public boolean isMember(String login) {
    return membersByLogin.containsKey(login);
  }

  /**
   * Whether a person may mark an alert read or acknowledge it: the person it was sent to, the
   * connection's owner, or an admin (the JSON API and the console both ask here).
   */
  public boolean mayChangeAlert(String login, String recipient, String connectionId) {
    return login.equals(recipient) || mayManage(login, connectionId);
  }

  /** Whether a person may manage a connection: its owner or an organization admin. */
  public boolean mayManage(String login, String connectionId) {
    return isAdmin(login)
        || bundle.connection(connectionId).map(c -> mayManage(login, c)).orElse(false);
  }

  /** The same rule for a connection in hand (no lookup: lists of a thousand connections ask it). */
  public boolean mayManage(String login, Connection c) {
    return isAdmin(login) || login.equals(c.owner());
  }
}
