package dev.conduit.runtime.console;

import dev.conduit.bundle.Connection;
import dev.conduit.runtime.registry.LoadedOrganization;

/**
 * Who is looking at which organization: the checked member, their CSRF token, and what the
 * organization's permissions let them do (the same rules as the JSON API: members read, a
 * connection's owner or an admin manages it, admins see everything).
 */
record View(LoadedOrganization org, String login, String csrf) {

  String orgBase() {
    return Frame.BASE + "/" + Frame.enc(org.id());
  }

  boolean isAdmin() {
    return org.isAdmin(login);
  }

  boolean mayManage(String connectionId) {
    return org.mayManage(login, connectionId);
  }

  /** Whether they own at least one connection. */
  boolean isOwner() {
    return org.bundle().connections().stream().anyMatch(c -> login.equals(c.owner()));
  }

  String roleLabel() {
    return isAdmin() ? "admin" : isOwner() ? "owner" : "member";
  }

  /** The connections whose logs and alerts they read. */
  java.util.List<Connection> managed() {
    return org.bundle().connections().stream().filter(c -> org.mayManage(login, c)).toList();
  }
}
