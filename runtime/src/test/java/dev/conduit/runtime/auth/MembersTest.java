package dev.conduit.runtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.conduit.runtime.MovableClock;
import dev.conduit.runtime.identity.IdentitySettings;
import dev.conduit.runtime.identity.InMemoryIdentityStore;
import dev.conduit.runtime.identity.PasswordCheck;
import dev.conduit.runtime.identity.SignInThrottle;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** HTTP Basic for people: a remembered right password goes through the sign-in throttle too. */
class MembersTest {

  static final BasicCredentials RIGHT = new BasicCredentials("erin", "erin-pw");
  static final BasicCredentials WRONG = new BasicCredentials("erin", "guess");

  final AtomicInteger asked = new AtomicInteger();
  final PasswordCheck registry =
      (login, password) -> {
        asked.incrementAndGet();
        return password.equals(login + "-pw");
      };
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T08:00:00Z"));
  final Clock clock = new MovableClock(now);
  final Members members =
      new Members(
          clock, new SignInThrottle(new InMemoryIdentityStore(), clock, IdentitySettings.DEFAULT));

  int status(BasicCredentials c) {
    return assertThrows(Unauthorized.class, () -> members.basic(c, registry)).status();
  }

  void wrongTimes(int n) {
    for (int i = 1; i <= n; i++) {
      assertEquals(401, status(WRONG), "wrong password " + i);
    }
  }

  @Test
  void aRememberedRightPasswordClearsTheFailuresOfItsLogin() throws Unauthorized {
    assertEquals("erin", members.basic(RIGHT, registry));
    wrongTimes(4);
    int before = asked.get();
    assertEquals("erin", members.basic(RIGHT, registry));
    assertEquals(before, asked.get(), "answered from memory, not the registry");
    wrongTimes(4);
    assertEquals("erin", members.basic(RIGHT, registry), "8 failures, a right password between");
  }

  @Test
  void fiveFailuresLockTheLoginEvenForARememberedRightPassword() throws Unauthorized {
    assertEquals("erin", members.basic(RIGHT, registry));
    wrongTimes(4);
    assertEquals(429, status(WRONG), "the 5th failure within 15 minutes");
    assertEquals(429, status(RIGHT), "the right password, remembered, while locked");
    now.set(now.get().plusSeconds(16 * 60));
    assertEquals("erin", members.basic(RIGHT, registry), "the lock has ended");
  }
}
