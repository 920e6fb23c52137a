package dev.conduit.runtime.identity;

import java.time.Duration;

/**
 * Lifetimes and limits of the identity provider.
 *
 * @param accessTokenTtl seed 001 answers expires_in "604800": 7 days by default
 * @param codeTtl authorization codes live at most 10 minutes
 * @param maxFailedSignIns failed sign-ins of one login, within {@code failureWindow}, before the
 *     login is locked for {@code lockDuration}
 */
public record IdentitySettings(
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    Duration codeTtl,
    int maxFailedSignIns,
    Duration failureWindow,
    Duration lockDuration) {

  public static final IdentitySettings DEFAULT =
      new IdentitySettings(
          Duration.ofDays(7),
          Duration.ofDays(30),
          Duration.ofMinutes(10),
          5,
          Duration.ofMinutes(15),
          Duration.ofMinutes(15));

  public IdentitySettings {
    if (codeTtl.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("authorization codes may live 10 minutes at most");
    }
  }
}
