package dev.conduit.code;

import java.util.Objects;

/**
 * Whose block a call runs: the organization and the connection. Nothing a block leaves behind
 * reaches a call of another tenant: a Python worker serves one tenant for its whole life, and every
 * JavaScript call gets a fresh context.
 *
 * @param organization the organization's id (the security boundary of the product)
 * @param connection the connection's id within it (its blocks share its secrets)
 */
public record Tenant(String organization, String connection) {

  /**
   * The one tenant of a runner that serves a single one: the compiler's checks, tools, tests. A
   * runtime serving organizations passes each call's own tenant instead.
   */
  public static final Tenant SOLE = new Tenant("", "");

  public Tenant {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(connection, "connection");
  }

  @Override
  public String toString() {
    return this == SOLE || (organization.isEmpty() && connection.isEmpty())
        ? "(sole tenant)"
        : organization + "/" + connection;
  }
}
