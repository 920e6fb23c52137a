package dev.conduit.runtime.invoke;

/**
 * Why a request may not be served: an HTTP status, a stable code and a message safe to show. One
 * shape for the refusals of the invoke endpoint and of accounts, which answer alike.
 */
public class Refusal extends Exception {
  private final int status;
  private final String code;

  public Refusal(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
