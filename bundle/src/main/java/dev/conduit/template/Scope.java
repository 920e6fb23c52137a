package dev.conduit.template;

/** What a reference points into. */
public enum Scope {
  /** A connection parameter: {@code {{connection.NAME}}}. */
  CONNECTION("connection"),
  /** An input parameter by alias: {@code {{input.ALIAS}}}. */
  INPUT("input"),
  /** A value of the connection's auth, e.g. {@code {{auth.access_token}}}. */
  AUTH("auth"),
  /** A value the before-code block returned: {@code {{before.NAME}}}. */
  BEFORE("before");

  private final String key;

  Scope(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  static Scope ofKey(String key) {
    for (Scope s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }
}
