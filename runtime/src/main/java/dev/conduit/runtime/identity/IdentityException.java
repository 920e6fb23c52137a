package dev.conduit.runtime.identity;

/**
 * A request the identity provider refuses, with HAP's code, the standard's code (RFC 6749) and a
 * message safe to show the caller (it never contains a secret, code or token).
 */
public final class IdentityException extends Exception {
  private final HapError error;
  private final OAuthError standard;
  private final boolean redirectable;

  public IdentityException(HapError error, String message) {
    this(error, OAuthError.of(error), message);
  }

  public IdentityException(HapError error, OAuthError standard, String message) {
    this(error, standard, message, false);
  }

  /**
   * @param redirectable the authorization request's redirect URI was proven before this refusal, so
   *     it may be sent there (RFC 6749 section 4.1.2.1)
   */
  public IdentityException(
      HapError error, OAuthError standard, String message, boolean redirectable) {
    super(message);
    this.error = error;
    this.standard = standard;
    this.redirectable = redirectable;
  }

  /** HAP's code, for seed 001's clients. */
  public HapError error() {
    return error;
  }

  /** The RFC 6749 code, for standard clients. */
  public OAuthError standard() {
    return standard;
  }

  /** Whether an authorization request's refusal may go to its redirect URI. */
  public boolean redirectable() {
    return redirectable;
  }
}
