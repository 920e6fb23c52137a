package dev.conduit.runtime.auth;

import dev.conduit.runtime.identity.Secrets;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates people (connection owners, admins) with HTTP Basic against Liberty's user registry
 * ({@code HttpServletRequest.login}). A successful check is remembered for a minute under a hash of
 * the credentials, so a burst of calls does not pay the password hash each time.
 */
public final class Members {

  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private final Map<String, Instant> verified = new ConcurrentHashMap<>();
  private final Clock clock;

  public Members(Clock clock) {
    this.clock = clock;
  }

  /** The login of the person calling, or 401. */
  public String login(HttpServletRequest request) throws Unauthorized {
    BasicCredentials c =
        BasicCredentials.parse(request.getHeader("Authorization"))
            .orElseThrow(() -> new Unauthorized(401, "sign in with your account (HTTP Basic)"));
    String key = Secrets.hash(c.user() + "\u0000" + c.password());
    Instant until = verified.get(key);
    if (until != null && until.isAfter(clock.instant())) {
      return c.user();
    }
    if (!check(request, c.user(), c.password())) {
      throw new Unauthorized(401, "wrong account or password");
    }
    if (verified.size() > 10_000) {
      verified.clear();
    }
    verified.put(key, clock.instant().plus(REMEMBER));
    return c.user();
  }

  /** Checks a password against the registry without keeping a session. */
  public static boolean check(HttpServletRequest request, String user, String password) {
    try {
      request.login(user, password);
      return true;
    } catch (ServletException e) {
      return false;
    } finally {
      try {
        request.logout();
      } catch (ServletException e) {
        // nothing was logged in
      }
    }
  }
}
