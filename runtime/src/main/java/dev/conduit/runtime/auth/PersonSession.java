package dev.conduit.runtime.auth;

import dev.conduit.runtime.identity.SignInThrottle.Verdict;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A person signed in with a form (the accounts pages and the console share it, so one sign-in
 * serves both): the login kept in the HTTP session, and the session's CSRF token that every form
 * posts back, compared in constant time. Membership is checked per organization by the caller.
 */
public final class PersonSession {
  private PersonSession() {}

  /** The session attribute holding the signed-in login. */
  public static final String LOGIN = "conduit.accounts.login";

  /** The session attribute holding the CSRF token. */
  public static final String CSRF = "conduit.accounts.csrf";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The signed-in login, or null. */
  public static String login(HttpServletRequest request) {
    HttpSession s = request.getSession(false);
    return s == null ? null : (String) s.getAttribute(LOGIN);
  }

  /** The session's CSRF token, made on first use. */
  public static String csrf(HttpServletRequest request) {
    HttpSession s = request.getSession(true);
    String token = (String) s.getAttribute(CSRF);
    if (token == null) {
      byte[] b = new byte[32];
      RANDOM.nextBytes(b);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      s.setAttribute(CSRF, token);
    }
    return token;
  }

  /** Whether a form carries this session's CSRF token. */
  public static boolean csrfOk(HttpServletRequest request, String given) {
    HttpSession s = request.getSession(false);
    String expected = s == null ? null : (String) s.getAttribute(CSRF);
    return expected != null
        && given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Checks the password ({@link Members#verify}: throttled) and starts a new session for the login
   * (the registry's check ends with a logout, which drops the old session: no fixation).
   */
  public static Verdict signIn(
      HttpServletRequest request, Members members, String login, String password) {
    Verdict v = members.verify(request, login, password);
    if (v == Verdict.SIGNED_IN) {
      HttpSession signedIn = request.getSession(true);
      signedIn.setAttribute(LOGIN, login);
      signedIn.removeAttribute(CSRF);
    }
    return v;
  }

  /** What a sign-in form says when it did not sign the person in. */
  public static String refusal(Verdict v) {
    return v == Verdict.LOCKED
        ? "Too many failed sign-ins of this account: try again later."
        : "Wrong account or password.";
  }

  /** Ends the session. */
  public static void signOut(HttpServletRequest request) {
    HttpSession s = request.getSession(false);
    if (s != null) {
      s.invalidate();
    }
  }
}
