package dev.conduit.template;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rule for which template references carry a secret, in one place: the compiler uses it to
 * prove where a request's secrets may go (allowedHosts) and the runtime to decide which requests it
 * holds to the allowed hosts.
 */
public final class SecretReferences {
  private SecretReferences() {}

  /** What kind of secret a reference carries. */
  public enum Carried {
    /** {@code {{connection.NAME}}} of a hidden (sealed) parameter. */
    HIDDEN_PARAMETER,
    /** {@code {{auth.NAME}}}: a credential or token of the connection's auth. */
    AUTH_VALUE,
    /**
     * {@code {{before.NAME}}} of a connection with hidden parameters: the before block sees them,
     * so what it returns may carry them.
     */
    BEFORE_RESULT
  }

  /**
   * @param hiddenParameter whether the connection's parameter of a name is hidden
   * @param connectionHasHidden whether the connection has any hidden parameter
   * @return the secret the reference carries, or empty when it carries none
   */
  public static Optional<Carried> carried(
      Template.Ref ref, Predicate<String> hiddenParameter, boolean connectionHasHidden) {
    return switch (ref.scope()) {
      case CONNECTION ->
          hiddenParameter.test(ref.name())
              ? Optional.of(Carried.HIDDEN_PARAMETER)
              : Optional.empty();
      case AUTH -> Optional.of(Carried.AUTH_VALUE);
      case BEFORE -> connectionHasHidden ? Optional.of(Carried.BEFORE_RESULT) : Optional.empty();
      case INPUT -> Optional.empty();
    };
  }
}
