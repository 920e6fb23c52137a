package dev.conduit.runtime.web;

import dev.conduit.bundle.Auth;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.Refusal;

/**
 * Which account a call to an authorization-code connection acts for (docs/accounts.md), for the
 * invoke endpoint (an application) and Test API (a person) alike: the one named by the header
 * {@value #HEADER}, else by the query parameter {@code account}; none for every other auth kind.
 */
public final class CallAccounts {

  /** The header that names the account a call acts for. */
  public static final String HEADER = "X-Conduit-Account";

  private CallAccounts() {}

  /** The account a call names: the header, else the query parameter; null when neither does. */
  public static String named(String header, String query) {
    return header != null && !header.isBlank() ? header : query;
  }

  /**
   * The id of the account an application's call acts for, which its member must have allowed the
   * application; null when the connection does not act for accounts.
   */
  public static String forApplication(
      Accounts accounts, PreparedConnection c, String applicationId, String named) throws Refusal {
    return actsForAccounts(accounts, c)
        ? accounts.forApplication(c, applicationId, named).id()
        : null;
  }

  /**
   * The id of the account a person's Test API call acts for: one of their own; null when the
   * connection does not act for accounts.
   */
  public static String forPerson(
      Accounts accounts, PreparedConnection c, String login, String named) throws Refusal {
    return actsForAccounts(accounts, c) ? accounts.forPerson(c, login, named).id() : null;
  }

  private static boolean actsForAccounts(Accounts accounts, PreparedConnection c) throws Refusal {
    if (!(c.connection().auth() instanceof Auth.AuthorizationCode)) {
      return false;
    }
    if (accounts == null) {
      throw new Refusal(
          503, ErrorCode.ACCOUNT_NOT_AUTHORIZED.name(), "accounts need the runtime's private key");
    }
    return true;
  }
}
