package dev.conduit.runtime.identity;

import dev.conduit.runtime.identity.IdentityStore.LoginFailures;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Every check of a person's password, throttled per login: the identity provider's sign-in page,
 * the console's and the accounts pages' sign-in forms, the accounts callback's, and HTTP Basic on
 * the API. Failures of one login count together whatever door they come through (in the database,
 * so on every instance), and the {@code maxFailedSignIns}th within {@code failureWindow} locks the
 * login for {@code lockDuration}, whatever the password. One rule for every door: a limit that one
 * door keeps and another does not limits nothing.
 */
public final class SignInThrottle {

  /** The outcome of one check. */
  public enum Verdict {
    SIGNED_IN,
    WRONG,
    LOCKED
  }

  private final IdentityStore store;
  private final Clock clock;
  private final IdentitySettings settings;

  public SignInThrottle(IdentityStore store, Clock clock, IdentitySettings settings) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * Checks a password unless the login is locked; the login is compared stripped, its failures
   * counted case-insensitively.
   */
  public Verdict check(String login, String password, PasswordCheck passwords) {
    String key = login.strip().toLowerCase(Locale.ROOT);
    Instant now = clock.instant();
    Optional<LoginFailures> past = store.loginFailures(key);
    if (past.isPresent()
        && past.get().lockedUntil() != null
        && past.get().lockedUntil().isAfter(now)) {
      return Verdict.LOCKED;
    }
    if (passwords.check(login.strip(), password)) {
      if (past.isPresent()) {
        store.clearLoginFailures(key);
      }
      return Verdict.SIGNED_IN;
    }
    LoginFailures f =
        past.filter(
                p ->
                    p.firstAt().plus(settings.failureWindow()).isAfter(now)
                        && (p.lockedUntil() == null || p.lockedUntil().isAfter(now)))
            .map(p -> new LoginFailures(p.count() + 1, p.firstAt(), null))
            .orElse(new LoginFailures(1, now, null));
    if (f.count() >= settings.maxFailedSignIns()) {
      store.saveLoginFailures(
          key, new LoginFailures(f.count(), f.firstAt(), now.plus(settings.lockDuration())));
      return Verdict.LOCKED;
    }
    store.saveLoginFailures(key, f);
    return Verdict.WRONG;
  }
}
