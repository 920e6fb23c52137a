package dev.conduit.runtime.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Member;
import dev.conduit.runtime.identity.IdentityProvider.AuthorizeRequest;
import dev.conduit.runtime.identity.IdentityProvider.TokenPair;
import dev.conduit.runtime.identity.IdentityProvider.TokenRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The protocol rules of the identity provider, each attack a test, on an in-memory store. */
class IdentityProviderTest {

  static final String ACME = "f0dc6a74-854a-46cb-ab8c-909b7846d34c";
  static final String GLOBEX = "dc6b3b43-bd3c-4214-a71f-aae77ae271f7";
  static final String SECRET = "MmsAGOVoV0uyOuu9k1IkUSJEq_CHypup";
  static final String REDIRECT = "http://localhost:8000/callback";

  static final Member CAROL_ACME =
      new Member(
          "carol",
          "acc-9c3a77d2",
          "u-acme-003",
          "Carol Wang",
          "carol@acme.example",
          "+86 1",
          "Human Resources",
          "HR partner",
          "H007",
          "Beijing office",
          "+86 21");
  static final Member CAROL_GLOBEX =
      new Member(
          "carol",
          "acc-9c3a77d2",
          "u-globex-017",
          "Carol Wang",
          "carol@globex.example",
          "+86 2",
          "Partnerships",
          "Partner manager",
          "GX-117",
          "Hangzhou",
          "+86 571");

  static final Directory DIRECTORY =
      new Directory() {
        final Map<String, Client> clients =
            Map.of(
                "441139F6ADFA",
                    new Client(
                        "441139F6ADFA",
                        ACME,
                        "hr-portal",
                        "HR Portal",
                        null,
                        null,
                        "sha256:" + Secrets.hash(SECRET),
                        List.of(REDIRECT)),
                "7C2E90B14D5A",
                    new Client(
                        "7C2E90B14D5A",
                        GLOBEX,
                        "globex-wiki",
                        "Globex Wiki",
                        null,
                        null,
                        "sha256:" + Secrets.hash("globex-secret"),
                        List.of("http://localhost:8001/callback")));

        @Override
        public Optional<Client> client(String appKey) {
          return Optional.ofNullable(clients.get(appKey));
        }

        @Override
        public Optional<String> organizationName(String id) {
          return Optional.ofNullable(Map.of(ACME, "Acme", GLOBEX, "Globex").get(id));
        }

        @Override
        public Optional<Member> member(String org, String login) {
          if (!login.equals("carol") && !login.equals("alice")) {
            return Optional.empty();
          }
          if (login.equals("alice")) {
            return org.equals(ACME)
                ? Optional.of(
                    new Member(
                        "alice",
                        "acc-7d1c2e9a",
                        "u-acme-001",
                        "Alice Chen",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))
                : Optional.empty();
          }
          return Optional.of(org.equals(ACME) ? CAROL_ACME : CAROL_GLOBEX);
        }
      };

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T08:00:00Z"));
  IdentityProvider idp;
  InMemoryIdentityStore store;

  @BeforeEach
  void setUp() {
    store = new InMemoryIdentityStore();
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    idp =
        new IdentityProvider(
            DIRECTORY,
            store,
            (login, password) -> password.equals(login + "-pw"),
            clock,
            IdentitySettings.DEFAULT);
  }

  AuthorizeRequest authorize(String state) throws IdentityException {
    return idp.checkAuthorize(
        state == null
            ? Map.of("app_key", "441139F6ADFA", "redirect_uri", REDIRECT, "projectid", ACME)
            : Map.of(
                "app_key",
                "441139F6ADFA",
                "redirect_uri",
                REDIRECT,
                "projectid",
                ACME,
                "state",
                state));
  }

  String codeFrom(String redirect) {
    String query = URI.create(redirect).getRawQuery();
    for (String p : query.split("&")) {
      if (p.startsWith("code=")) {
        return p.substring(5);
      }
    }
    throw new AssertionError("no code in " + redirect);
  }

  TokenPair exchange(String code) throws IdentityException {
    return idp.token(
        new TokenRequest("441139F6ADFA", SECRET, "authorization_code", code, REDIRECT, null, null));
  }

  @Test
  void theSeedFlowEndToEnd() throws Exception {
    AuthorizeRequest request = authorize("xyz 1");
    assertEquals("Acme", request.organizationName());
    String login = idp.signIn("carol", "carol-pw");
    String redirect = idp.approve(request, login);
    assertTrue(redirect.startsWith(REDIRECT + "?code="), redirect);
    assertTrue(redirect.endsWith("&state=xyz+1"), redirect);
    TokenPair tokens = exchange(codeFrom(redirect));
    assertEquals(604800, tokens.expiresIn());
    IdentityProvider.Passport p = idp.passport(tokens.accessToken());
    assertEquals("u-acme-003", p.member().userId());
    assertEquals(ACME, p.organizationId());
    Map<String, Object> json = HapResponses.token(tokens);
    assertEquals("604800", json.get("expires_in"));
    assertFalse(json.containsKey("error_code"), "a successful token response has no error_code");
  }

  @Test
  void theSamePersonHasOneAccountIdAndAUserIdPerOrganization() throws Exception {
    TokenPair acme = exchange(codeFrom(idp.approve(authorize(null), "carol")));
    AuthorizeRequest globexRequest =
        idp.checkAuthorize(
            Map.of(
                "app_key",
                "7C2E90B14D5A",
                "redirect_uri",
                "http://localhost:8001/callback",
                "projectid",
                GLOBEX));
    String globexCode = codeFrom(idp.approve(globexRequest, "carol"));
    TokenPair globex =
        idp.token(
            new TokenRequest(
                "7C2E90B14D5A",
                "globex-secret",
                "authorization_code",
                globexCode,
                "http://localhost:8001/callback",
                null,
                null));
    var a = idp.passport(acme.accessToken()).member();
    var g = idp.passport(globex.accessToken()).member();
    assertEquals(a.accountId(), g.accountId());
    assertNotEquals(a.userId(), g.userId());
  }

  @Test
  void aReplayedCodeFailsAndRevokesTheTokensIssuedFromIt() throws Exception {
    String code = codeFrom(idp.approve(authorize(null), "carol"));
    TokenPair tokens = exchange(code);
    IdentityException replay = assertThrows(IdentityException.class, () -> exchange(code));
    assertEquals(HapError.CODE_INVALID, replay.error());
    IdentityException revoked =
        assertThrows(IdentityException.class, () -> idp.passport(tokens.accessToken()));
    assertEquals(HapError.TOKEN_INVALID, revoked.error());
  }

  @Test
  void anExpiredCodeFails() throws Exception {
    String code = codeFrom(idp.approve(authorize(null), "carol"));
    now.set(now.get().plus(Duration.ofMinutes(10)).plusSeconds(1));
    assertEquals(
        HapError.CODE_INVALID, assertThrows(IdentityException.class, () -> exchange(code)).error());
  }

  @Test
  void aCodeIsBoundToItsApplicationAndRedirectUri() throws Exception {
    String code = codeFrom(idp.approve(authorize(null), "carol"));
    IdentityException otherApp =
        assertThrows(
            IdentityException.class,
            () ->
                idp.token(
                    new TokenRequest(
                        "7C2E90B14D5A",
                        "globex-secret",
                        "authorization_code",
                        code,
                        REDIRECT,
                        null,
                        null)));
    assertEquals(HapError.CODE_INVALID, otherApp.error());
    String code2 = codeFrom(idp.approve(authorize(null), "carol"));
    IdentityException tampered =
        assertThrows(
            IdentityException.class,
            () ->
                idp.token(
                    new TokenRequest(
                        "441139F6ADFA",
                        SECRET,
                        "authorization_code",
                        code2,
                        REDIRECT + "/evil",
                        null,
                        null)));
    assertEquals(HapError.BAD_PARAMETER, tampered.error());
  }

  @Test
  void wrongOrMissingSecretsAreRefused() throws Exception {
    String code = codeFrom(idp.approve(authorize(null), "carol"));
    assertEquals(
        HapError.BAD_PARAMETER,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            "wrong",
                            "authorization_code",
                            code,
                            REDIRECT,
                            null,
                            null)))
            .error());
    assertEquals(
        HapError.MISSING_PARAMETER,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            null,
                            "authorization_code",
                            code,
                            REDIRECT,
                            null,
                            null)))
            .error());
    assertEquals(
        HapError.BAD_PARAMETER,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "NOPE", SECRET, "authorization_code", code, REDIRECT, null, null)))
            .error());
  }

  @Test
  void unknownAppsAndForeignRedirectUrisAreRefusedBeforeAnyRedirect() {
    assertEquals(
        HapError.BAD_PARAMETER,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.checkAuthorize(
                        Map.of(
                            "app_key",
                            "441139F6ADFA",
                            "redirect_uri",
                            "https://evil.example/cb",
                            "projectid",
                            ACME)))
            .error());
    assertThrows(
        IdentityException.class,
        () ->
            idp.checkAuthorize(
                Map.of(
                    "app_key",
                    "441139F6ADFA",
                    "redirect_uri",
                    REDIRECT + "?x=1",
                    "projectid",
                    ACME)));
    assertThrows(
        IdentityException.class,
        () ->
            idp.checkAuthorize(
                Map.of("app_key", "NOPE", "redirect_uri", REDIRECT, "projectid", ACME)));
    assertThrows(
        IdentityException.class,
        () ->
            idp.checkAuthorize(
                Map.of("app_key", "441139F6ADFA", "redirect_uri", REDIRECT, "projectid", GLOBEX)));
    assertEquals(
        HapError.MISSING_PARAMETER,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.checkAuthorize(Map.of("app_key", "441139F6ADFA", "redirect_uri", REDIRECT)))
            .error());
  }

  @Test
  void onlyMembersOfTheOrganizationCanApprove() throws Exception {
    AuthorizeRequest globex =
        idp.checkAuthorize(
            Map.of(
                "app_key",
                "7C2E90B14D5A",
                "redirect_uri",
                "http://localhost:8001/callback",
                "projectid",
                GLOBEX));
    assertThrows(IdentityException.class, () -> idp.approve(globex, "alice"));
  }

  @Test
  void refreshTokensRotateAndAReusedOneRevokesTheGrant() throws Exception {
    TokenPair first = exchange(codeFrom(idp.approve(authorize(null), "carol")));
    TokenPair second =
        idp.token(
            new TokenRequest(
                "441139F6ADFA", SECRET, "refresh_token", null, null, first.refreshToken(), null));
    assertNotEquals(first.refreshToken(), second.refreshToken());
    assertEquals("carol", idp.passport(second.accessToken()).member().login());
    IdentityException reuse =
        assertThrows(
            IdentityException.class,
            () ->
                idp.token(
                    new TokenRequest(
                        "441139F6ADFA",
                        SECRET,
                        "refresh_token",
                        null,
                        null,
                        first.refreshToken(),
                        null)));
    assertEquals(HapError.TOKEN_INVALID, reuse.error());
    assertThrows(
        IdentityException.class,
        () -> idp.passport(second.accessToken()),
        "the whole grant is revoked");
    assertThrows(
        IdentityException.class,
        () ->
            idp.token(
                new TokenRequest(
                    "441139F6ADFA",
                    SECRET,
                    "refresh_token",
                    null,
                    null,
                    second.refreshToken(),
                    null)));
  }

  @Test
  void accessTokensExpireAndUnknownOnesDoNotExist() throws Exception {
    TokenPair tokens = exchange(codeFrom(idp.approve(authorize(null), "carol")));
    assertEquals(
        HapError.TOKEN_NOT_FOUND,
        assertThrows(IdentityException.class, () -> idp.passport("nope")).error());
    assertEquals(
        HapError.TOKEN_NOT_FOUND,
        assertThrows(IdentityException.class, () -> idp.passport(tokens.refreshToken())).error(),
        "a refresh token is no access token");
    now.set(now.get().plus(Duration.ofDays(7)));
    assertEquals(
        HapError.TOKEN_INVALID,
        assertThrows(IdentityException.class, () -> idp.passport(tokens.accessToken())).error());
  }

  @Test
  void revocationOfARefreshTokenRevokesTheGrant() throws Exception {
    TokenPair tokens = exchange(codeFrom(idp.approve(authorize(null), "carol")));
    idp.revoke("441139F6ADFA", SECRET, "not-a-token");
    idp.revoke("7C2E90B14D5A", "globex-secret", tokens.refreshToken()); // another client's: ignored
    assertEquals("carol", idp.passport(tokens.accessToken()).member().login());
    idp.revoke("441139F6ADFA", SECRET, tokens.refreshToken());
    assertEquals(
        HapError.TOKEN_INVALID,
        assertThrows(IdentityException.class, () -> idp.passport(tokens.accessToken())).error());
  }

  @Test
  void pkceS256IsEnforcedWhenTheClientSendsAChallenge() throws Exception {
    String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assertEquals(
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        IdentityProvider.s256(verifier),
        "RFC 7636 appendix B");
    // compared in constant time (MessageDigest.isEqual), with the same answers as equals
    assertTrue(IdentityProvider.sameS256("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", verifier));
    assertFalse(IdentityProvider.sameS256("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN", verifier));
    assertFalse(IdentityProvider.sameS256("", verifier));
    AuthorizeRequest request =
        idp.checkAuthorize(
            Map.of(
                "app_key",
                "441139F6ADFA",
                "redirect_uri",
                REDIRECT,
                "projectid",
                ACME,
                "code_challenge",
                IdentityProvider.s256(verifier),
                "code_challenge_method",
                "S256"));
    String code = codeFrom(idp.approve(request, "carol"));
    assertEquals(
        HapError.CODE_INVALID,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            SECRET,
                            "authorization_code",
                            code,
                            REDIRECT,
                            null,
                            "wrong-verifier-wrong-verifier-wrong-verifier")))
            .error());
    String code2 = codeFrom(idp.approve(request, "carol"));
    TokenPair ok =
        idp.token(
            new TokenRequest(
                "441139F6ADFA", SECRET, "authorization_code", code2, REDIRECT, null, verifier));
    assertEquals("carol", idp.passport(ok.accessToken()).member().login());
    assertThrows(
        IdentityException.class,
        () ->
            idp.checkAuthorize(
                Map.of(
                    "app_key",
                    "441139F6ADFA",
                    "redirect_uri",
                    REDIRECT,
                    "projectid",
                    ACME,
                    "code_challenge",
                    IdentityProvider.s256(verifier),
                    "code_challenge_method",
                    "plain")));
  }

  @Test
  void repeatedFailedSignInsLockTheLoginWhateverThePassword() throws Exception {
    for (int i = 1; i < 5; i++) {
      assertEquals(
          HapError.WRONG_PASSWORD,
          assertThrows(IdentityException.class, () -> idp.signIn("carol", "guess")).error());
    }
    assertEquals(
        HapError.LOCKED,
        assertThrows(IdentityException.class, () -> idp.signIn("carol", "guess")).error());
    assertEquals(
        HapError.LOCKED,
        assertThrows(IdentityException.class, () -> idp.signIn("CAROL", "carol-pw")).error(),
        "even the right password while locked");
    now.set(now.get().plus(Duration.ofMinutes(16)));
    assertEquals("carol", idp.signIn("carol", "carol-pw"));
    assertEquals(
        HapError.WRONG_PASSWORD,
        assertThrows(IdentityException.class, () -> idp.signIn("nobody", "x")).error(),
        "an unknown login reads like a wrong password");
  }

  @Test
  void hostileParametersAreRefusedWithClearCodes() {
    String huge = "x".repeat(5000);
    assertEquals(
        HapError.BAD_PARAMETER,
        assertThrows(IdentityException.class, () -> idp.passport(huge)).error());
    assertEquals(
        HapError.BAD_PARAMETER,
        assertThrows(IdentityException.class, () -> idp.passport("a\u0000b")).error());
    assertEquals(
        HapError.MISSING_PARAMETER,
        assertThrows(IdentityException.class, () -> idp.passport("")).error());
    assertEquals(
        HapError.BAD_PARAMETER,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA", SECRET, "password", null, null, null, null)))
            .error());
  }

  @Test
  void storedCodesAndTokensAreHashesOnly() throws Exception {
    String code = codeFrom(idp.approve(authorize(null), "carol"));
    TokenPair tokens = exchange(code);
    assertTrue(store.token(tokens.accessToken()).isEmpty(), "not stored in clear");
    assertTrue(store.token(Secrets.hash(tokens.accessToken())).isPresent());
    assertTrue(store.useCode(code).isEmpty());
  }

  @Test
  void xmlCarriesTheSameFields() throws Exception {
    TokenPair tokens = new TokenPair("a<b", 604800, "r&t");
    assertEquals(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<result><access_token>a&lt;b</access_token>"
            + "<expires_in>604800</expires_in><refresh_token>r&amp;t</refresh_token></result>\n",
        HapResponses.xml(HapResponses.token(tokens)));
    assertEquals(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<result><error_code>10108</error_code>"
            + "<success>false</success><error_msg>gone</error_msg></result>\n",
        HapResponses.xml(HapResponses.error(new IdentityException(HapError.CODE_INVALID, "gone"))));
  }

  @Test
  void aStandardAuthorizeRequestNeedsNoProjectidAndHearsOfLateErrorsAtItsRedirectUri()
      throws Exception {
    AuthorizeRequest standard =
        idp.checkAuthorize(
            Map.of("app_key", "441139F6ADFA", "redirect_uri", REDIRECT, "response_type", "code"));
    assertEquals(ACME, standard.organizationId(), "the application's one organization");
    Map<String, String> implicit =
        Map.of(
            "app_key",
            "441139F6ADFA",
            "redirect_uri",
            REDIRECT,
            "response_type",
            "token",
            "state",
            "s 1");
    IdentityException e = assertThrows(IdentityException.class, () -> idp.checkAuthorize(implicit));
    assertEquals(OAuthError.UNSUPPORTED_RESPONSE_TYPE, e.standard());
    assertTrue(e.redirectable());
    assertEquals(
        REDIRECT
            + "?error=unsupported_response_type&error_description=response_type+must+be+code&state=s+1",
        IdentityProvider.refusal(implicit, e));
    IdentityException foreign =
        assertThrows(
            IdentityException.class,
            () ->
                idp.checkAuthorize(
                    Map.of(
                        "app_key",
                        "441139F6ADFA",
                        "redirect_uri",
                        "https://evil.example/cb",
                        "response_type",
                        "token")));
    assertFalse(foreign.redirectable(), "an unproven redirect_uri never gets a redirect");
    assertThrows(
        IllegalArgumentException.class,
        () -> IdentityProvider.refusal(Map.of("redirect_uri", "https://evil.example/cb"), foreign));
    assertEquals(
        OAuthError.INVALID_REQUEST,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.checkAuthorize(
                        Map.of(
                            "app_key",
                            "441139F6ADFA",
                            "redirect_uri",
                            REDIRECT,
                            "response_type",
                            "code",
                            "code_challenge",
                            "short",
                            "code_challenge_method",
                            "S256")))
            .standard());
  }

  @Test
  void aCodeVerifierForACodeIssuedWithoutAChallengeIsRefused() throws Exception {
    String code = codeFrom(idp.approve(authorize(null), "carol"));
    IdentityException downgrade =
        assertThrows(
            IdentityException.class,
            () ->
                idp.token(
                    new TokenRequest(
                        "441139F6ADFA",
                        SECRET,
                        "authorization_code",
                        code,
                        REDIRECT,
                        null,
                        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")));
    assertEquals(OAuthError.INVALID_GRANT, downgrade.standard());
    assertTrue(downgrade.getMessage().contains("no code_challenge"), downgrade.getMessage());
  }

  @Test
  void refusalsCarryTheStandardCodeTheirCauseHas() throws Exception {
    String code = codeFrom(idp.approve(authorize(null), "carol"));
    assertEquals(
        OAuthError.INVALID_CLIENT,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            "wrong",
                            "authorization_code",
                            code,
                            REDIRECT,
                            null,
                            null)))
            .standard());
    assertEquals(
        OAuthError.UNSUPPORTED_GRANT_TYPE,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA", SECRET, "password", null, null, null, null)))
            .standard());
    assertEquals(
        OAuthError.INVALID_REQUEST,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            SECRET,
                            "authorization_code",
                            null,
                            REDIRECT,
                            null,
                            null)))
            .standard());
    assertEquals(
        OAuthError.INVALID_GRANT,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            SECRET,
                            "authorization_code",
                            code,
                            REDIRECT + "/other",
                            null,
                            null)))
            .standard());
    assertEquals(
        OAuthError.INVALID_GRANT,
        assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            SECRET,
                            "refresh_token",
                            null,
                            null,
                            "not-a-token",
                            null)))
            .standard());
  }

  @Test
  void standardAnswersHaveRfc6749sShape() {
    Map<String, Object> token = StandardResponses.token(new TokenPair("a", 604800, "r"));
    assertEquals(
        Map.of(
            "access_token",
            "a",
            "token_type",
            "Bearer",
            "expires_in",
            604800L,
            "refresh_token",
            "r"),
        token);
    Map<String, Object> error =
        StandardResponses.error(
            new IdentityException(
                HapError.BAD_PARAMETER,
                OAuthError.INVALID_CLIENT,
                "app_key or app_secret is wrong"));
    assertEquals(
        Map.of(
            "error", "invalid_client", "error_description", "client_id or client_secret is wrong"),
        error);
    assertEquals(
        "a  b  ",
        StandardResponses.description("a\"\\b \u00e9"),
        "only the characters RFC 6749 allows in error_description");
  }
}
