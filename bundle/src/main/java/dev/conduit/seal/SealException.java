package dev.conduit.seal;

/** A value or key that cannot be used; the message names what and why, never a secret. */
public final class SealException extends Exception {
  public SealException(String message) {
    super(message);
  }
}
