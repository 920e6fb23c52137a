package dev.conduit.runtime.invoke;

/**
 * Where {@link TokenManager} gets the token of an authorization-code account: the accounts service,
 * which refreshes it when needed (one refresh per account across instances).
 */
@FunctionalInterface
public interface AccountTokenSource {

  /**
   * The account's current access token.
   *
   * @param stale a token the upstream just called expired (or null): not accepted again
   * @throws TokenManager.TokenException ACCOUNT_NOT_AUTHORIZED when the account does not exist or
   *     needs re-authorization (the message names the connect URL), TOKEN_REQUEST_FAILED when a
   *     refresh failed otherwise
   */
  TokenManager.Fetched token(PreparedConnection c, String accountId, String stale)
      throws TokenManager.TokenException;
}
