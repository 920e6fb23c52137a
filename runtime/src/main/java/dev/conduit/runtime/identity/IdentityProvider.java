package dev.conduit.runtime.identity;

import dev.conduit.bundle.Member;
import dev.conduit.runtime.identity.IdentityStore.Code;
import dev.conduit.runtime.identity.IdentityStore.Grant;
import dev.conduit.runtime.identity.IdentityStore.OfGrant;
import dev.conduit.runtime.identity.IdentityStore.Token;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OAuth 2.0 authorization-code flow of seed 001, hardened: exact redirect URIs, single-use
 * short-lived codes bound to application, redirect URI, user and organization, PKCE (S256),
 * rotating refresh tokens whose reuse revokes the grant, revocation, sign-in throttling.
 */
public final class IdentityProvider {

  /** Parameters longer than this are refused (hostile or broken clients). */
  static final int MAX_PARAMETER = 2048;

  private static final Pattern PKCE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private static final Pattern SAFE = Pattern.compile("[^\\p{Cntrl}]*");

  private final Directory directory;
  private final IdentityStore store;
  private final PasswordCheck passwords;
  private final Clock clock;
  private final IdentitySettings settings;
  private final SignInThrottle throttle;

  public IdentityProvider(
      Directory directory,
      IdentityStore store,
      PasswordCheck passwords,
      Clock clock,
      IdentitySettings settings) {
    this.directory = directory;
    this.store = store;
    this.passwords = passwords;
    this.clock = clock;
    this.settings = settings;
    this.throttle = new SignInThrottle(store, clock, settings);
  }

  public IdentitySettings settings() {
    return settings;
  }

  // --- 1. authorize: check the request, sign in, approve ---

  /**
   * A checked authorization request, carried from the sign-in page through the consent page.
   *
   * @param state the client's state, returned as is (may be null)
   * @param codeChallenge the PKCE S256 challenge, or null
   */
  public record AuthorizeRequest(
      Directory.Client client,
      String redirectUri,
      String organizationId,
      String organizationName,
      String state,
      String codeChallenge) {}

  /**
   * Checks {@code /api/oauth2/authorize}'s parameters. Until app_key and redirect_uri are proven, a
   * failure is shown on an error page and never redirected (no open redirect); later failures are
   * {@linkplain IdentityException#redirectable() redirectable}: a standard client learns of them at
   * its redirect URI ({@link #refusal}). A standard request (with {@code response_type}) may leave
   * {@code projectid} out.
   */
  public AuthorizeRequest checkAuthorize(Map<String, String> params) throws IdentityException {
    String appKey = required(params, "app_key");
    String redirectUri = required(params, "redirect_uri");
    String responseType = optional(params, "response_type");
    // HAP's clients always name the organization; a standard client (it sends response_type)
    // does not know projectid, and needs none: an application belongs to one organization
    String projectId =
        responseType == null ? required(params, "projectid") : optional(params, "projectid");
    String state = optional(params, "state");
    String challenge = optional(params, "code_challenge");
    String method = optional(params, "code_challenge_method");
    Directory.Client client =
        directory
            .client(appKey)
            .orElseThrow(
                () ->
                    new IdentityException(
                        HapError.BAD_PARAMETER, "no third-party application has this app_key"));
    if (!client.redirectUris().contains(redirectUri)) {
      throw new IdentityException(
          HapError.BAD_PARAMETER,
          "redirect_uri is not one of the application's registered redirect URIs");
    }
    if (projectId != null && !client.organizationId().equals(projectId)) {
      throw new IdentityException(
          HapError.BAD_PARAMETER, "projectid is not the organization of this application");
    }
    String orgName =
        directory
            .organizationName(client.organizationId())
            .orElseThrow(
                () -> new IdentityException(HapError.BAD_PARAMETER, "no such organization"));
    if (responseType != null && !responseType.equals("code")) {
      throw new IdentityException(
          HapError.BAD_PARAMETER,
          OAuthError.UNSUPPORTED_RESPONSE_TYPE,
          "response_type must be code",
          true);
    }
    if (challenge != null) {
      if (method != null && !method.equals("S256")) {
        throw new IdentityException(
            HapError.BAD_PARAMETER,
            OAuthError.INVALID_REQUEST,
            "code_challenge_method must be S256",
            true);
      }
      if (!PKCE.matcher(challenge).matches()) {
        throw new IdentityException(
            HapError.BAD_PARAMETER,
            OAuthError.INVALID_REQUEST,
            "code_challenge is not a valid S256 challenge",
            true);
      }
    } else if (method != null) {
      throw new IdentityException(
          HapError.MISSING_PARAMETER,
          OAuthError.INVALID_REQUEST,
          "code_challenge_method without code_challenge",
          true);
    }
    return new AuthorizeRequest(
        client, redirectUri, client.organizationId(), orgName, state, challenge);
  }

  /**
   * Where to send the browser for a {@linkplain IdentityException#redirectable() redirectable}
   * refusal of a checked-enough authorization request (RFC 6749 section 4.1.2.1): {@code
   * redirect_uri?error=..&error_description=..&state=..}.
   */
  public static String refusal(Map<String, String> params, IdentityException e) {
    if (!e.redirectable()) {
      throw new IllegalArgumentException(
          "only a refusal after redirect_uri was proven may be redirected");
    }
    return redirect(
        params.get("redirect_uri"),
        params.get("state"),
        "error="
            + e.standard().code()
            + "&error_description="
            + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8));
  }

  /**
   * Signs a person in: throttled per login ({@link SignInThrottle}: a locked login answers {@link
   * HapError#LOCKED} whatever the password), and the same answer for an unknown login as for a
   * wrong password.
   *
   * @return the login, normalized
   */
  public String signIn(String login, String password) throws IdentityException {
    if (login == null || login.isBlank() || password == null || password.isEmpty()) {
      throw new IdentityException(HapError.MISSING_PARAMETER, "enter your account and password");
    }
    if (login.length() > 128 || password.length() > 1024) {
      throw new IdentityException(HapError.WRONG_PASSWORD, "wrong account or password");
    }
    return switch (throttle.check(login, password, passwords)) {
      case SIGNED_IN -> login.strip();
      case LOCKED ->
          throw new IdentityException(HapError.LOCKED, "too many failed sign-ins: try again later");
      case WRONG ->
          throw new IdentityException(HapError.WRONG_PASSWORD, "wrong account or password");
    };
  }

  /** The member a signed-in login is in the request's organization. */
  public Member memberOf(AuthorizeRequest request, String login) throws IdentityException {
    return directory
        .member(request.organizationId(), login)
        .orElseThrow(
            () ->
                new IdentityException(
                    HapError.BAD_PARAMETER,
                    "your account is not a member of " + request.organizationName()));
  }

  /** Whether a login is a member of the request's organization (no exception). */
  public boolean memberOfSafe(AuthorizeRequest request, String login) {
    return directory.member(request.organizationId(), login).isPresent();
  }

  /** The user approved: a new grant and a single-use code, and where to send the browser. */
  public String approve(AuthorizeRequest request, String login) throws IdentityException {
    memberOf(request, login);
    Instant now = clock.instant();
    Grant grant =
        new Grant(
            Secrets.random(),
            request.client().appKey(),
            request.organizationId(),
            login,
            now,
            null);
    store.saveGrant(grant);
    String code = Secrets.random();
    store.saveCode(
        new Code(
            Secrets.hash(code),
            grant.id(),
            request.redirectUri(),
            request.codeChallenge(),
            now.plus(settings.codeTtl()),
            false));
    return redirect(request.redirectUri(), request.state(), "code=" + code);
  }

  /** The user declined: back to the (already proven) redirect URI with error=access_denied. */
  public String deny(AuthorizeRequest request) {
    return redirect(request.redirectUri(), request.state(), "error=access_denied");
  }

  private static String redirect(String redirectUri, String state, String query) {
    StringBuilder url = new StringBuilder(redirectUri);
    url.append(redirectUri.contains("?") ? '&' : '?').append(query);
    if (state != null && !state.isEmpty()) {
      url.append("&state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8));
    }
    return url.toString();
  }

  // --- 2. access_token ---

  /** The token endpoint's parameters, from the query, a form, or HTTP Basic (client). */
  public record TokenRequest(
      String appKey,
      String appSecret,
      String grantType,
      String code,
      String redirectUri,
      String refreshToken,
      String codeVerifier) {}

  /** Issued tokens; {@code expiresIn} in seconds. */
  public record TokenPair(String accessToken, long expiresIn, String refreshToken) {}

  public TokenPair token(TokenRequest r) throws IdentityException {
    check("app_key", r.appKey());
    check("app_secret", r.appSecret());
    check("grant_type", r.grantType());
    Directory.Client client = authenticate(r.appKey(), r.appSecret());
    return switch (r.grantType()) {
      case "authorization_code" -> exchangeCode(client, r);
      case "refresh_token" -> refresh(client, r);
      default ->
          throw new IdentityException(
              HapError.BAD_PARAMETER,
              OAuthError.UNSUPPORTED_GRANT_TYPE,
              "grant_type must be authorization_code or refresh_token");
    };
  }

  private TokenPair exchangeCode(Directory.Client client, TokenRequest r) throws IdentityException {
    check("code", r.code());
    check("redirect_uri", r.redirectUri());
    Instant now = clock.instant();
    Fresh fresh = Fresh.create(); // random values and hashes before any database work
    // the code's use and the tokens commit together (one write per exchange); the tokens are
    // issued only when the code as found passes every check below, decided once inside
    Refusal[] refused = {null};
    OfGrant<Code> used =
        store
            .redeemCode(
                Secrets.hash(r.code()),
                found -> {
                  refused[0] = refusal(client, r, found, now);
                  return refused[0] != null
                      ? List.of()
                      : List.of(
                          fresh.access(found.grant(), now, settings),
                          fresh.refresh(found.grant(), now, settings));
                })
            .orElseThrow(
                () ->
                    new IdentityException(HapError.CODE_INVALID, "the code is invalid or expired"));
    if (refused[0] != null) {
      if (refused[0].revokeGrant()) {
        store.revokeGrant(used.grant().id(), now);
      }
      throw refused[0].error();
    }
    return fresh.pair(settings);
  }

  /** Why a code may not be exchanged, and whether its grant falls with it. */
  private record Refusal(IdentityException error, boolean revokeGrant) {}

  /** Null when the code, as found and marked used, may be exchanged by this client now. */
  private static Refusal refusal(
      Directory.Client client, TokenRequest r, OfGrant<Code> found, Instant now) {
    Code code = found.value();
    Grant grant = found.grant();
    if (!grant.appKey().equals(client.appKey())) {
      return new Refusal(
          new IdentityException(HapError.CODE_INVALID, "the code is invalid or expired"), false);
    }
    if (code.used()) {
      // a replay: whoever holds the code may hold its tokens
      return new Refusal(
          new IdentityException(
              HapError.CODE_INVALID,
              "the code was already used: the tokens issued from it are revoked"),
          true);
    }
    if (grant.revoked() || !code.expiresAt().isAfter(now)) {
      return new Refusal(
          new IdentityException(HapError.CODE_INVALID, "the code is invalid or expired"), false);
    }
    if (!code.redirectUri().equals(r.redirectUri())) {
      return new Refusal(
          new IdentityException(
              HapError.BAD_PARAMETER,
              OAuthError.INVALID_GRANT,
              "redirect_uri differs from the authorization request's"),
          true);
    }
    if (code.codeChallenge() != null) {
      if (r.codeVerifier() == null || !sameS256(code.codeChallenge(), r.codeVerifier())) {
        return new Refusal(
            new IdentityException(
                HapError.CODE_INVALID, "code_verifier does not match the code_challenge"),
            true);
      }
    } else if (r.codeVerifier() != null && !r.codeVerifier().isEmpty()) {
      // a verifier for a code issued without a challenge: a PKCE downgrade (RFC 9700 2.1.1)
      return new Refusal(
          new IdentityException(
              HapError.CODE_INVALID,
              "code_verifier was sent but the authorization request had no code_challenge"),
          true);
    }
    return null;
  }

  private TokenPair refresh(Directory.Client client, TokenRequest r) throws IdentityException {
    check("refresh_token", r.refreshToken());
    Instant now = clock.instant();
    String hash = Secrets.hash(r.refreshToken());
    Fresh fresh = Fresh.create();
    OfGrant<Token> found =
        store
            .tokenOfGrant(hash)
            .filter(t -> t.value().kind() == Token.Kind.REFRESH)
            .orElseThrow(
                () ->
                    new IdentityException(
                        HapError.TOKEN_NOT_FOUND, "the refresh token does not exist"));
    Token token = found.value();
    Grant grant = found.grant();
    if (!grant.appKey().equals(client.appKey())) {
      throw new IdentityException(
          HapError.TOKEN_INVALID, "the refresh token is invalid or expired");
    }
    if (grant.revoked() || token.revokedAt() != null || !token.expiresAt().isAfter(now)) {
      throw new IdentityException(
          HapError.TOKEN_INVALID, "the refresh token is invalid or expired");
    }
    // the old token is marked used and its successors stored in one step: a failure leaves the
    // client its old token, never a used one without successors
    if (!store.rotateRefreshToken(
        hash, now, fresh.access(grant, now, settings), fresh.refresh(grant, now, settings))) {
      store.revokeGrant(grant.id(), now); // rotation: an old refresh token seen again means theft
      throw new IdentityException(
          HapError.TOKEN_INVALID,
          "the refresh token was already used: the authorization is revoked, sign in again");
    }
    return fresh.pair(settings);
  }

  /**
   * The values of a token pair about to be issued, with their hashes: made before the database is
   * touched, so no connection is held while random bits are drawn and hashed.
   */
  private record Fresh(String access, String accessHash, String refresh, String refreshHash) {
    static Fresh create() {
      String access = Secrets.random();
      String refresh = Secrets.random();
      return new Fresh(access, Secrets.hash(access), refresh, Secrets.hash(refresh));
    }

    Token access(Grant grant, Instant now, IdentitySettings settings) {
      return new Token(
          accessHash,
          Token.Kind.ACCESS,
          grant.id(),
          now.plus(settings.accessTokenTtl()),
          null,
          null);
    }

    Token refresh(Grant grant, Instant now, IdentitySettings settings) {
      return new Token(
          refreshHash,
          Token.Kind.REFRESH,
          grant.id(),
          now.plus(settings.refreshTokenTtl()),
          null,
          null);
    }

    TokenPair pair(IdentitySettings settings) {
      return new TokenPair(access, settings.accessTokenTtl().toSeconds(), refresh);
    }
  }

  // --- 3. passport ---

  /** Who an access token belongs to. */
  public record Passport(String organizationId, Member member) {}

  public Passport passport(String accessToken) throws IdentityException {
    check("access_token", accessToken);
    Instant now = clock.instant();
    OfGrant<Token> found =
        store
            .tokenOfGrant(Secrets.hash(accessToken))
            .filter(t -> t.value().kind() == Token.Kind.ACCESS)
            .orElseThrow(
                () ->
                    new IdentityException(
                        HapError.TOKEN_NOT_FOUND, "the access token does not exist"));
    Token token = found.value();
    Grant grant = found.grant();
    if (grant.revoked() || token.revokedAt() != null || !token.expiresAt().isAfter(now)) {
      throw new IdentityException(HapError.TOKEN_INVALID, "the access token is invalid or expired");
    }
    Member member =
        directory
            .member(grant.organizationId(), grant.login())
            .orElseThrow(
                () ->
                    new IdentityException(
                        HapError.TOKEN_INVALID,
                        "the account is no longer a member of the organization"));
    return new Passport(grant.organizationId(), member);
  }

  // --- revocation (RFC 7009) ---

  /**
   * Revokes a token of the calling client. Revoking a refresh token revokes the whole grant.
   * Unknown tokens and other clients' tokens are ignored silently, as RFC 7009 asks.
   */
  public void revoke(String appKey, String appSecret, String tokenValue) throws IdentityException {
    check("app_key", appKey);
    check("app_secret", appSecret);
    check("token", tokenValue);
    Directory.Client client = authenticate(appKey, appSecret);
    Instant now = clock.instant();
    Optional<OfGrant<Token>> found = store.tokenOfGrant(Secrets.hash(tokenValue));
    if (found.isEmpty() || !found.get().grant().appKey().equals(client.appKey())) {
      return;
    }
    Token token = found.get().value();
    if (token.kind() == Token.Kind.REFRESH) {
      store.revokeGrant(found.get().grant().id(), now);
    } else {
      store.revokeToken(token.hash(), now);
    }
  }

  // --- helpers ---

  private Directory.Client authenticate(String appKey, String appSecret) throws IdentityException {
    Optional<Directory.Client> client = directory.client(appKey);
    // compare even for an unknown app_key, so timing does not tell which app_keys exist
    boolean ok =
        Secrets.matches(
            appSecret,
            client
                .map(Directory.Client::secretHash)
                .orElse("sha256:0000000000000000000000000000000000000000000000000000000000000000"));
    if (client.isEmpty() || !ok) {
      throw new IdentityException(
          HapError.BAD_PARAMETER, OAuthError.INVALID_CLIENT, "app_key or app_secret is wrong");
    }
    return client.get();
  }

  /**
   * Whether a verifier hashes to the challenge, compared in constant time (MessageDigest.isEqual):
   * String.equals stops at the first differing character, and its timing would tell an attacker
   * holding a stolen code how much of a guessed hash is right.
   */
  public static boolean sameS256(String challenge, String verifier) {
    return MessageDigest.isEqual(
        challenge.getBytes(StandardCharsets.US_ASCII),
        s256(verifier).getBytes(StandardCharsets.US_ASCII));
  }

  static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String required(Map<String, String> params, String name) throws IdentityException {
    String v = params.get(name);
    check(name, v);
    return v;
  }

  private static String optional(Map<String, String> params, String name) throws IdentityException {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    check(name, v);
    return v;
  }

  /** Present, not too long, no control characters. */
  static void check(String name, String value) throws IdentityException {
    if (value == null || value.isEmpty()) {
      throw new IdentityException(HapError.MISSING_PARAMETER, name + " is missing");
    }
    if (value.length() > MAX_PARAMETER) {
      throw new IdentityException(HapError.BAD_PARAMETER, name + " is too long");
    }
    if (!SAFE.matcher(value).matches()) {
      throw new IdentityException(HapError.BAD_PARAMETER, name + " contains control characters");
    }
  }
}
