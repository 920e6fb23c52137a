package dev.conduit.runtime.invoke;

import java.math.BigDecimal;

/** Numbers as inputs and outputs take them: JSON numbers or numeric text, as BigDecimal. */
final class Numbers {
  private Numbers() {}

  /** The value as a BigDecimal, or null when it is not a number. */
  static BigDecimal of(Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof String s) {
      try {
        return new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
