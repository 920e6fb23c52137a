package dev.conduit.runtime.auth;

import dev.conduit.runtime.identity.PasswordCheck;
import dev.conduit.runtime.identity.Secrets;
import dev.conduit.runtime.identity.SignInThrottle;
import dev.conduit.runtime.identity.SignInThrottle.Verdict;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates people (connection owners, admins) with HTTP Basic against Liberty's user registry
 * ({@code HttpServletRequest.login}), and checks the passwords of the sign-in forms: every check
 * through the one {@link SignInThrottle}. A successful Basic check is remembered for a minute under
 * a hash of the credentials, so a burst of calls does not pay the password hash each time (the
 * throttle is still asked: a lock holds, and a right password clears the login's failures).
 */
public final class Members {

  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private final Map<String, Instant> verified = new ConcurrentHashMap<>();
  private final Clock clock;
  private final SignInThrottle throttle;

  public Members(Clock clock, SignInThrottle throttle) {
    this.clock = clock;
    this.throttle = throttle;
  }

  /**
   * The login of the person calling, or 401; 403 for a request that changes something and that a
   * browser sent for another site's page.
   */
  public String login(HttpServletRequest request) throws Unauthorized {
    BasicCredentials c =
        BasicCredentials.parse(request.getHeader("Authorization"))
            .orElseThrow(() -> new Unauthorized(401, "sign in with your account (HTTP Basic)"));
    if (fromAnotherSite(request)) {
      throw new Unauthorized(
          403,
          "a person's credentials are not taken from a request that another site's page made"
              + " (cross-site): call the API from a client, or use the console");
    }
    return basic(c, (l, p) -> check(request, l, p));
  }

  /**
   * Basic credentials checked through the throttle; the registry is asked only when no right answer
   * for them is remembered. A remembered one spares the password hash, not the throttle: it clears
   * the login's failures as any right password does, and is refused while the login is locked.
   */
  String basic(BasicCredentials c, PasswordCheck registry) throws Unauthorized {
    String key = Secrets.hash(c.user() + "\u0000" + c.password());
    Instant until = verified.get(key);
    boolean remembered = until != null && until.isAfter(clock.instant());
    switch (verify(c.user(), c.password(), remembered ? (l, p) -> true : registry)) {
      case SIGNED_IN -> {}
      case LOCKED ->
          throw new Unauthorized(429, "too many failed sign-ins of this account: try again later");
      case WRONG -> throw new Unauthorized(401, "wrong account or password");
    }
    if (!remembered) {
      if (verified.size() > 10_000) {
        verified.clear();
      }
      verified.put(key, clock.instant().plus(REMEMBER));
    }
    return c.user();
  }

  /**
   * Whether a browser made this request, one that changes something, for another site's page. After
   * its sign-in prompt a browser keeps a person's Basic credentials for the site and sends them
   * with every request there, also with a form that another site's page posts (no cookie is
   * involved, so SameSite does not help): such a request is not the person's. Browsers say where a
   * request comes from in Sec-Fetch-Site (where they send it), else in Origin; clients that are not
   * browsers send neither and are not concerned.
   */
  static boolean fromAnotherSite(HttpServletRequest request) {
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return false;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null) {
      return site.equals("cross-site") || site.equals("same-site");
    }
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return false;
    }
    try {
      // "null" (a sandboxed or local page) has no host: not this site either. The server's name and
      // port, not the Host header: an HTTP/2 request has none (its authority is a pseudo-header)
      URI o = URI.create(origin);
      int port =
          o.getPort() != -1 ? o.getPort() : "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
      return o.getHost() == null
          || !o.getHost().equalsIgnoreCase(request.getServerName())
          || port != request.getServerPort();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /**
   * A person's password checked against the registry, unless their login is locked by failures (at
   * any door): what every sign-in form and HTTP Basic go through.
   */
  public Verdict verify(HttpServletRequest request, String login, String password) {
    return verify(login, password, (l, p) -> check(request, l, p));
  }

  private Verdict verify(String login, String password, PasswordCheck registry) {
    if (login == null
        || login.isBlank()
        || password == null
        || password.isEmpty()
        || login.length() > 128
        || password.length() > 1024) {
      return Verdict.WRONG;
    }
    return throttle.check(login, password, registry);
  }

  /** Checks a password against the registry without keeping a session (no throttle: see verify). */
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
