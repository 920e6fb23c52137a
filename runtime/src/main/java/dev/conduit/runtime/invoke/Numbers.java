package dev.conduit.runtime.invoke;

import java.math.BigDecimal;

/**
 * Numbers from callers and upstreams, kept to a printable size. {@code 1e999999999} is eleven
 * characters of JSON, but its plain text (what a template inserts) is a billion digits: such a
 * number is refused as an input and printed in scientific notation as an output.
 */
final class Numbers {

  /** At most this many digits before and after the decimal point. */
  static final int MAX_DIGITS = 400;

  private Numbers() {}

  /** The number as a BigDecimal, or null when it is not a finite number. */
  static BigDecimal of(Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
      return null;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof String s && s.length() <= 2 * MAX_DIGITS) {
      try {
        return new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Whether its plain text stays within {@link #MAX_DIGITS} digits on each side of the point. */
  static boolean printable(BigDecimal d) {
    if (d.signum() == 0) {
      return true;
    }
    BigDecimal s = d.stripTrailingZeros();
    long integerDigits = (long) s.precision() - s.scale();
    return integerDigits <= MAX_DIGITS && s.scale() <= MAX_DIGITS;
  }

  /** Text without exponent when that is printable, scientific notation otherwise. */
  static String text(BigDecimal d) {
    if (!printable(d)) {
      return d.toString();
    }
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() <= 0 ? s.toBigInteger().toString() : s.toPlainString();
  }
}
