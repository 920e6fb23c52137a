package dev.conduit.template;

/** A template that cannot be parsed. */
public final class TemplateException extends Exception {
  private final int offset;

  public TemplateException(int offset, String message) {
    super(message);
    this.offset = offset;
  }

  /** Where in the template the problem starts (0-based). */
  public int offset() {
    return offset;
  }
}
