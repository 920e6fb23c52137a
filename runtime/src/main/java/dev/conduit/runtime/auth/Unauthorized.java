package dev.conduit.runtime.auth;

/** No or wrong credentials (401), or the right ones without the right (403). */
public final class Unauthorized extends Exception {
  private final int status;

  public Unauthorized(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
