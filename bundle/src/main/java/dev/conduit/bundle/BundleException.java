package dev.conduit.bundle;

/** A bundle that cannot be loaded; the message says why in words a person can act on. */
public final class BundleException extends Exception {
  public BundleException(String message) {
    super(message);
  }
}
