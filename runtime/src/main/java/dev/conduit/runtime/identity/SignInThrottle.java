package dev.conduit.runtime.identity;

import dev.conduit.runtime.identity.IdentityStore.LoginFailures;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * Every check of a person's password, throttled per login: the identity provider's sign-in page,
 * the console's and the accounts pages' sign-in forms, the accounts callback's, and HTTP Basic on
 * the API. Failures of one login count together whatever door they come through (in the database,
 * so on every instance), and the {@code maxFailedSignIns}th within {@code failureWindow} locks the
 * login for {@code lockDuration}, whatever the password. A right password, at any door and also
 * when a door answers from its memory of one ({@code PasswordCheck} always true), clears the
 * login's failures: only failures in a row count. One rule for every door: a limit that one door
 * keeps and another does not limits nothing.
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
    LoginFailures past = store.loginFailures(key).orElse(null);
    if (past != null && past.lockedUntil() != null && past.lockedUntil().isAfter(now)) {
      return Verdict.LOCKED;
    }
    if (passwords.check(login.strip(), password)) {
      if (past != null) {
        store.clearLoginFailures(key);
      }
      return Verdict.SIGNED_IN;
    }
    // A failure adds to the earlier ones while their window is open and they have locked nothing
    // yet; once their window has passed, or the lock they caused has ended, it starts a new count.
    LoginFailures f =
        past != null
                && past.lockedUntil() == null
                && now.isBefore(past.firstAt().plus(settings.failureWindow()))
            ? new LoginFailures(past.count() + 1, past.firstAt(), null)
            : new LoginFailures(1, now, null);
    if (f.count() >= settings.maxFailedSignIns()) {
      store.saveLoginFailures(
          key, new LoginFailures(f.count(), f.firstAt(), now.plus(settings.lockDuration())));
      return Verdict.LOCKED;
    }
    store.saveLoginFailures(key, f);
    return Verdict.WRONG;
  }
}
