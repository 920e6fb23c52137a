package dev.conduit.runtime.accounts;

import dev.conduit.bundle.Auth;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant.GrantException;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.Refusal;
import dev.conduit.runtime.invoke.TokenManager.TokenException;
import dev.conduit.runtime.registry.LoadedOrganization;
import java.util.List;
import java.util.logging.Logger;

/**
 * The rules of accounts, in one place for the JSON endpoints, the pages and invoke: a member sees
 * and manages their own accounts; the connection's owner and the organization's admins also see
 * every account of the connection and may refresh or remove any (not rename it, change its consent
 * or re-authorize it: those are the member's own). An application may use an account only when it
 * is granted the connection and the account's member allowed it.
 */
public final class Accounts {

  private static final Logger LOG = Logger.getLogger(Accounts.class.getName());

  /** Why something may not be done: an HTTP status, a stable code and a message safe to show. */
  public static final class Refused extends Refusal {
    Refused(int status, String code, String message) {
      super(status, code, message);
    }
  }

  private final AccountCache store;
  private final ConnectFlow flow;
  private final AccountTokens tokens;
  private final AuthorizationCodeGrant grant;
  private final Links links;

  public Accounts(
      AccountCache store,
      ConnectFlow flow,
      AccountTokens tokens,
      AuthorizationCodeGrant grant,
      Links links) {
    this.store = store;
    this.flow = flow;
    this.tokens = tokens;
    this.grant = grant;
    this.links = links;
  }

  public Links links() {
    return links;
  }

  public ConnectFlow flow() {
    return flow;
  }

  /** The authorization-code connection of an organization, or 404. */
  public static PreparedConnection connection(LoadedOrganization org, String connectionId)
      throws Refused {
    PreparedConnection c =
        org.connection(connectionId)
            .orElseThrow(
                () -> new Refused(404, "NOT_FOUND", "no connection \"" + connectionId + "\""));
    if (!(c.connection().auth() instanceof Auth.AuthorizationCode)) {
      throw new Refused(
          404,
          "NOT_FOUND",
          "the connection \""
              + connectionId
              + "\" does not use OAuth 2.0 authorization code: it has no accounts");
    }
    return c;
  }

  /** The accounts a person sees: their own; every one for the connection's owner and admins. */
  public List<Account> visible(LoadedOrganization org, String login, PreparedConnection c) {
    return store.list(org.id(), c.id(), org.mayManage(login, c.id()) ? null : login);
  }

  /**
   * An account a person may act on: 404 when the connection has no such account (or the person may
   * not even see it), 403 when they see it but the action is its member's alone.
   */
  public Account account(
      LoadedOrganization org,
      String login,
      PreparedConnection c,
      String accountId,
      boolean managersToo)
      throws Refused {
    Account a = store.find(org.id(), c.id(), accountId).orElse(null);
    boolean manager = org.mayManage(login, c.id());
    if (a == null || !a.member().equals(login) && !manager) {
      throw new Refused(
          404,
          "NOT_FOUND",
          "the connection \"" + c.id() + "\" has no account \"" + accountId + "\" of yours");
    }
    if (!a.member().equals(login) && !managersToo) {
      throw new Refused(
          403,
          "NOT_YOUR_ACCOUNT",
          "only " + a.member() + ", who connected the account, may do this");
    }
    return a;
  }

  /** Starts connecting a new account; returns the provider's authorization URL. */
  public String connect(
      LoadedOrganization org,
      String login,
      PreparedConnection c,
      String name,
      List<String> applications)
      throws Refused {
    checkApplications(c, applications);
    try {
      return flow.start(
          c, login, name == null ? null : ConnectFlow.clip(name), applications, null, false);
    } catch (GrantException e) {
      throw new Refused(500, ErrorCode.CONFIGURATION.name(), e.getMessage());
    }
  }

  /** Starts re-authorizing the member's own account (same account, new grant). */
  public String reauthorize(
      LoadedOrganization org, String login, PreparedConnection c, String accountId) throws Refused {
    Account a = account(org, login, c, accountId, false);
    try {
      return flow.start(c, login, a.name(), a.applications(), a.id(), true);
    } catch (GrantException e) {
      throw new Refused(500, ErrorCode.CONFIGURATION.name(), e.getMessage());
    }
  }

  public Account rename(
      LoadedOrganization org, String login, PreparedConnection c, String accountId, String name)
      throws Refused {
    account(org, login, c, accountId, false);
    if (name == null || name.isBlank()) {
      throw new Refused(
          400, "INVALID_INPUT", "name: give the account a name (1 to 200 characters)");
    }
    store.rename(accountId, ConnectFlow.clip(name));
    return store.find(org.id(), c.id(), accountId).orElseThrow();
  }

  /** Sets which applications may use the member's account (only ones granted the connection). */
  public Account allow(
      LoadedOrganization org,
      String login,
      PreparedConnection c,
      String accountId,
      List<String> applications)
      throws Refused {
    account(org, login, c, accountId, false);
    checkApplications(c, applications);
    store.allow(accountId, applications);
    return store.find(org.id(), c.id(), accountId).orElseThrow();
  }

  /**
   * Removes an account, revoking its tokens at the provider first where the connection has a
   * revocation URL. A failed revocation does not keep the account: it is reported.
   *
   * @return null, or what went wrong with the revocation
   */
  public String delete(LoadedOrganization org, String login, PreparedConnection c, String accountId)
      throws Refused {
    account(org, login, c, accountId, true);
    String problem = null;
    var t = store.tokens(accountId);
    if (t.isPresent()) {
      try {
        String token =
            t.get().refreshToken() != null ? t.get().refreshToken() : t.get().accessToken();
        grant.revoke(c, token, t.get().refreshToken() != null ? "refresh_token" : "access_token");
      } catch (GrantException e) {
        problem = "the provider did not confirm the revocation: " + e.getMessage();
        LOG.info("account " + accountId + " of " + org.id() + "/" + c.id() + ": " + problem);
      }
    }
    store.delete(accountId);
    LOG.info("account " + accountId + " of " + org.id() + "/" + c.id() + " removed by " + login);
    return problem;
  }

  /** The seed's manual refresh: a new access token now. */
  public Account refreshNow(
      LoadedOrganization org, String login, PreparedConnection c, String accountId) throws Refused {
    Account a = account(org, login, c, accountId, true);
    try {
      tokens.refreshNow(c, a);
    } catch (TokenException e) {
      throw new Refused(e.code().status(), e.code().name(), e.getMessage());
    }
    return store.find(org.id(), c.id(), accountId).orElseThrow();
  }

  /**
   * The account an application names for a call: 409 ACCOUNT_NOT_AUTHORIZED with the connect URL
   * when it names none, 403 when the account is not one the application may use (unknown accounts
   * included, so their existence is not revealed).
   */
  public Account forApplication(PreparedConnection c, String applicationId, String accountId)
      throws Refused {
    if (accountId == null || accountId.isBlank()) {
      throw new Refused(
          409,
          ErrorCode.ACCOUNT_NOT_AUTHORIZED.name(),
          "the connection \""
              + c.id()
              + "\" acts on behalf"
              + " of a person's account: name one (header X-Conduit-Account or query parameter account); people connect"
              + " accounts at "
              + links.connectPage(c.organizationId(), c.id()));
    }
    // the call path: this server's memory while the entry is young (AccountCache)
    Account a = store.account(c.organizationId(), c.id(), accountId).orElse(null);
    if (a == null || !a.allows(applicationId)) {
      throw new Refused(
          403,
          "ACCOUNT_NOT_ALLOWED",
          "the application \""
              + applicationId
              + "\" may not use the account \""
              + accountId
              + "\": its member did not allow it (or there is no such account)");
    }
    return a;
  }

  /** The account a person names for Test API: one of their own. */
  public Account forPerson(PreparedConnection c, String login, String accountId) throws Refused {
    if (accountId == null || accountId.isBlank()) {
      throw new Refused(
          409,
          ErrorCode.ACCOUNT_NOT_AUTHORIZED.name(),
          "the connection \""
              + c.id()
              + "\" acts on behalf"
              + " of a person's account: name one of yours (query parameter account); connect one at "
              + links.connectPage(c.organizationId(), c.id()));
    }
    Account a = store.find(c.organizationId(), c.id(), accountId).orElse(null);
    if (a == null || !a.member().equals(login)) {
      throw new Refused(
          403,
          "ACCOUNT_NOT_ALLOWED",
          "Test API uses your own accounts only: \"" + accountId + "\" is not one of yours");
    }
    return a;
  }

  /** A 400 for bad input from a person. */
  public static Refused invalid(String message) {
    return new Refused(400, "INVALID_INPUT", message);
  }

  private static void checkApplications(PreparedConnection c, List<String> applications)
      throws Refused {
    for (String app : applications) {
      if (!c.connection().isGranted(app)) {
        throw new Refused(
            400,
            "INVALID_INPUT",
            "applications: \""
                + app
                + "\" is not granted the connection \""
                + c.id()
                + "\" (granted: "
                + String.join(", ", c.connection().grants())
                + ")");
      }
    }
  }
}
