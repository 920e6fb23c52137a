package dev.conduit.runtime.identity;

/**
 * A request the identity provider refuses, with HAP's code and a message safe to show the
 * caller (it never contains a secret, code or token).
 */
public final class IdentityException extends Exception {
  private final HapError error;

  public IdentityException(HapError error, String message) {
    super(message);
    this.error = error;
  }

  public HapError error() {
    return error;
  }
}
