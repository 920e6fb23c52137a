package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.IdentityIT.APP_KEY;
import static it.dev.conduit.runtime.IdentityIT.APP_SECRET;
import static it.dev.conduit.runtime.IdentityIT.REDIRECT;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import it.dev.conduit.runtime.IdentityIT.Session;
import it.dev.conduit.runtime.ItSupport.Resp;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The identity provider's standard side, driven by a conformant client library (Nimbus OAuth 2.0
 * SDK): discovery, authorization code with PKCE through the real sign-in and consent pages, the
 * code exchange, refresh, revocation and the error answers, as RFC 6749, 6750, 7009 and 7636 give
 * them. Seed 001's HAP answers stay as they are (the last test and IdentityIT).
 */
class StandardOAuthIT {

  static final ClientAuthentication BASIC =
      new ClientSecretBasic(new ClientID(APP_KEY), new Secret(APP_SECRET));
  static final ClientAuthentication POST =
      new ClientSecretPost(new ClientID(APP_KEY), new Secret(APP_SECRET));
  static AuthorizationServerMetadata meta;

  @BeforeAll
  static void discover() throws Exception {
    meta = AuthorizationServerMetadata.resolve(new Issuer(BASE)); // checks the issuer matches, too
  }

  /** What the client holds after the redirect: the code and the verifier of its challenge. */
  record Authorized(AuthorizationCode code, CodeVerifier verifier) {}

  /** Nimbus builds the authorization request; carol signs in and allows on the real pages. */
  static Authorized authorize() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    State state = new State();
    URI request =
        new AuthorizationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE), new ClientID(APP_KEY))
            .endpointURI(meta.getAuthorizationEndpointURI())
            .redirectionURI(URI.create(REDIRECT))
            .state(state)
            .codeChallenge(verifier, CodeChallengeMethod.S256)
            .build()
            .toURI();
    Session s = new Session();
    HttpResponse<String> page = s.get(request.getRawPath() + "?" + request.getRawQuery());
    assertEquals(200, page.statusCode(), page.body());
    s.readForm(page.body());
    assertEquals(
        200,
        s.post(
                "/api/oauth2/authorize/login",
                "flow=" + s.flow + "&csrf=" + s.csrf + "&login=carol&password=carol-demo-pw")
            .statusCode());
    HttpResponse<String> back =
        s.post(
            "/api/oauth2/authorize/consent",
            "flow=" + s.flow + "&csrf=" + s.csrf + "&decision=approve");
    assertEquals(303, back.statusCode());
    AuthorizationResponse response =
        AuthorizationResponse.parse(
            URI.create(back.headers().firstValue("Location").orElseThrow()));
    assertEquals(state, response.getState());
    return new Authorized(response.toSuccessResponse().getAuthorizationCode(), verifier);
  }

  static HTTPResponse send(ClientAuthentication client, AuthorizationGrant grant) throws Exception {
    return new TokenRequest.Builder(meta.getTokenEndpointURI(), client, grant)
        .build()
        .toHTTPRequest()
        .send();
  }

  static Tokens tokens(HTTPResponse http) throws Exception {
    TokenResponse r = TokenResponse.parse(http);
    assertTrue(r.indicatesSuccess(), () -> http.getStatusCode() + " " + http.getBody());
    return r.toSuccessResponse().getTokens();
  }

  static ErrorObject error(HTTPResponse http) throws Exception {
    TokenResponse r = TokenResponse.parse(http);
    assertInstanceOf(TokenErrorResponse.class, r, http.getBody());
    return r.toErrorResponse().getErrorObject();
  }

  static Resp passport(AccessToken token) {
    return ItSupport.get("/api/v1/passport/get_passport_detail", token.toAuthorizationHeader());
  }

  @Test
  void metadataAdvertisesOnlyWhatWorks() {
    assertEquals(URI.create(BASE + "/api/oauth2/access_token"), meta.getTokenEndpointURI());
    assertNotNull(meta.getRevocationEndpointURI());
    assertEquals(java.util.List.of(CodeChallengeMethod.S256), meta.getCodeChallengeMethods());
    assertEquals(java.util.List.of(ResponseType.CODE), meta.getResponseTypes());
  }

  @Test
  void codeWithPkceExchangeRefreshAndRevocation() throws Exception {
    Authorized a = authorize();
    HTTPResponse http =
        send(BASIC, new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier()));
    assertEquals("no-store", http.getHeaderValue("Cache-Control"));
    assertEquals("no-cache", http.getHeaderValue("Pragma"));
    assertTrue(
        http.getHeaderValue("Content-Type").startsWith("application/json"),
        http.getHeaderValue("Content-Type"));
    Tokens t = tokens(http);
    assertInstanceOf(BearerAccessToken.class, t.getAccessToken(), "token_type Bearer");
    assertEquals(604800, t.getAccessToken().getLifetime(), "expires_in is a number");
    assertNotNull(t.getRefreshToken());
    Resp me = passport(t.getAccessToken());
    assertEquals(200, me.status(), me.body());
    assertEquals("u-acme-003", me.json().at("/data/user_id").asString());

    Tokens renewed = tokens(send(POST, new RefreshTokenGrant(t.getRefreshToken())));
    assertNotEquals(t.getRefreshToken(), renewed.getRefreshToken(), "refresh tokens rotate");
    assertEquals(200, passport(renewed.getAccessToken()).status());

    HTTPResponse revoked =
        new TokenRevocationRequest(
                meta.getRevocationEndpointURI(), BASIC, renewed.getRefreshToken())
            .toHTTPRequest()
            .send();
    assertEquals(200, revoked.getStatusCode(), revoked.getBody());
    assertEquals(
        "invalid_grant",
        error(send(BASIC, new RefreshTokenGrant(renewed.getRefreshToken()))).getCode());
    Resp refused = passport(renewed.getAccessToken());
    assertEquals(401, refused.status());
    BearerTokenError challenge = BearerTokenError.parse(refused.header("WWW-Authenticate"));
    assertEquals("invalid_token", challenge.getCode());
    assertEquals("conduit", challenge.getRealm());
  }

  @Test
  void aReusedRefreshTokenIsAnInvalidGrantAndRevokesTheGrant() throws Exception {
    Authorized a = authorize();
    Tokens t =
        tokens(
            send(POST, new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier())));
    Tokens renewed = tokens(send(POST, new RefreshTokenGrant(t.getRefreshToken())));
    ErrorObject reuse = error(send(POST, new RefreshTokenGrant(t.getRefreshToken())));
    assertEquals("invalid_grant", reuse.getCode());
    assertEquals(400, reuse.getHTTPStatusCode());
    assertTrue(reuse.getDescription().contains("already used"), reuse.getDescription());
    assertEquals(401, passport(renewed.getAccessToken()).status(), "reuse revoked the whole grant");
  }

  @Test
  void clientAuthenticationFailuresAre401WithABasicChallenge() throws Exception {
    Authorized a = authorize();
    HTTPResponse wrong =
        send(
            new ClientSecretBasic(new ClientID(APP_KEY), new Secret("wrong-secret")),
            new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier()));
    assertEquals(401, wrong.getStatusCode());
    assertEquals("Basic realm=\"conduit\"", wrong.getHeaderValue("WWW-Authenticate"));
    assertEquals("invalid_client", error(wrong).getCode());
    HTTPResponse unknown =
        send(
            new ClientSecretPost(new ClientID("NOPE0000"), new Secret(APP_SECRET)),
            new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier()));
    assertEquals("invalid_client", error(unknown).getCode());
    assertEquals(401, unknown.getStatusCode());
    // the code was not spent by the refused attempts
    assertNotNull(
        tokens(
                send(
                    BASIC,
                    new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier())))
            .getAccessToken());

    HTTPRequest none =
        new TokenRequest.Builder(
                meta.getTokenEndpointURI(),
                new ClientID(APP_KEY),
                new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier()))
            .build()
            .toHTTPRequest();
    HTTPResponse anonymous = none.send();
    assertEquals(401, anonymous.getStatusCode());
    assertEquals("invalid_client", error(anonymous).getCode());
  }

  @Test
  void grantErrorsAreStandardCodes() throws Exception {
    Authorized a = authorize();
    ErrorObject badVerifier =
        error(
            send(
                BASIC,
                new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), new CodeVerifier())));
    assertEquals("invalid_grant", badVerifier.getCode());
    assertEquals(400, badVerifier.getHTTPStatusCode());
    ErrorObject spent =
        error(
            send(BASIC, new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier())));
    assertEquals("invalid_grant", spent.getCode(), "the code was single use");
    ErrorObject otherRedirect =
        error(
            send(
                BASIC,
                new AuthorizationCodeGrant(
                    authorize().code(), URI.create("http://localhost:8000/other"), a.verifier())));
    assertEquals("invalid_grant", otherRedirect.getCode());
    assertEquals(
        "unsupported_grant_type", error(send(BASIC, new ClientCredentialsGrant())).getCode());
    ErrorObject unknownRefresh =
        error(send(BASIC, new RefreshTokenGrant(new RefreshToken("not-a-token"))));
    assertEquals("invalid_grant", unknownRefresh.getCode());
    Resp missing =
        ItSupport.postForm(
            "/api/oauth2/access_token",
            ItSupport.basic(APP_KEY, APP_SECRET),
            "grant_type=authorization_code");
    assertEquals(400, missing.status());
    assertEquals("invalid_request", missing.json().get("error").asString());
    assertEquals("code is missing", missing.json().get("error_description").asString());
    Resp twice =
        ItSupport.postForm(
            "/api/oauth2/access_token",
            ItSupport.basic(APP_KEY, APP_SECRET),
            "grant_type=refresh_token&refresh_token=a&refresh_token=b");
    assertEquals("invalid_request", twice.json().get("error").asString());
    Resp bothMethods =
        ItSupport.postForm(
            "/api/oauth2/access_token",
            ItSupport.basic(APP_KEY, APP_SECRET),
            "grant_type=refresh_token&refresh_token=a&client_secret=" + APP_SECRET);
    assertEquals("invalid_request", bothMethods.json().get("error").asString());
  }

  @Test
  void revocationErrorsAndPassportChallenges() throws Exception {
    HTTPResponse wrong =
        new TokenRevocationRequest(
                meta.getRevocationEndpointURI(),
                new ClientSecretBasic(new ClientID(APP_KEY), new Secret("wrong-secret")),
                new RefreshToken("x"))
            .toHTTPRequest()
            .send();
    assertEquals(401, wrong.getStatusCode());
    assertEquals("Basic realm=\"conduit\"", wrong.getHeaderValue("WWW-Authenticate"));
    assertEquals("invalid_client", ErrorObject.parse(wrong).getCode());
    Resp noToken =
        ItSupport.postForm("/api/oauth2/revoke", ItSupport.basic(APP_KEY, APP_SECRET), "token=");
    assertEquals(400, noToken.status());
    assertEquals("invalid_request", noToken.json().get("error").asString());
    assertEquals("token is missing", noToken.json().get("error_description").asString());

    Resp anonymous = ItSupport.get("/api/v1/passport/get_passport_detail", null);
    assertEquals(
        "Bearer realm=\"conduit\"",
        anonymous.header("WWW-Authenticate"),
        "no error code without a token");
    assertEquals(10001, anonymous.json().get("error_code").asInt(), "the body stays seed 001's");
    Resp unknown = passport(new BearerAccessToken("not-a-token"));
    assertEquals(401, unknown.status());
    assertEquals(
        "invalid_token", BearerTokenError.parse(unknown.header("WWW-Authenticate")).getCode());
    assertEquals(10101, unknown.json().get("error_code").asInt());
  }

  @Test
  void authorizationErrorsAfterTheRedirectUriIsProvenGoBackToTheClient() throws Exception {
    State state = new State();
    URI implicit =
        new AuthorizationRequest.Builder(
                new ResponseType(ResponseType.Value.TOKEN), new ClientID(APP_KEY))
            .endpointURI(meta.getAuthorizationEndpointURI())
            .redirectionURI(URI.create(REDIRECT))
            .state(state)
            .build()
            .toURI();
    HttpResponse<String> r =
        new Session().get(implicit.getRawPath() + "?" + implicit.getRawQuery());
    assertEquals(303, r.statusCode(), r.body());
    AuthorizationResponse back =
        AuthorizationResponse.parse(URI.create(r.headers().firstValue("Location").orElseThrow()));
    assertInstanceOf(AuthorizationErrorResponse.class, back);
    assertEquals("unsupported_response_type", back.toErrorResponse().getErrorObject().getCode());
    assertEquals(state, back.getState());
    URI foreign =
        new AuthorizationRequest.Builder(
                new ResponseType(ResponseType.Value.TOKEN), new ClientID(APP_KEY))
            .endpointURI(meta.getAuthorizationEndpointURI())
            .redirectionURI(URI.create("https://evil.example/cb"))
            .build()
            .toURI();
    HttpResponse<String> page =
        new Session().get(foreign.getRawPath() + "?" + foreign.getRawQuery());
    assertEquals(
        400, page.statusCode(), "an unproven redirect_uri gets an error page, never a redirect");
    assertTrue(page.headers().firstValue("Location").isEmpty());
  }

  @Test
  void hapRequestsKeepSeed001sAnswersByteForByte() {
    Resp json = ItSupport.get("/api/oauth2/access_token?app_key=" + APP_KEY + "&format=json", null);
    assertEquals(400, json.status());
    assertEquals(
        "{\"success\":false,\"error_code\":10001,\"error_msg\":\"app_secret is missing\"}",
        json.body());
    assertEquals(null, json.header("WWW-Authenticate"));
    Resp wrong =
        ItSupport.get(
            "/api/oauth2/access_token?app_key="
                + APP_KEY
                + "&app_secret=nope&grant_type=authorization_code"
                + "&code=x&redirect_uri=x",
            null);
    assertEquals(400, wrong.status());
    assertEquals(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<result><error_code>10002</error_code><success>false</success>"
            + "<error_msg>app_key or app_secret is wrong</error_msg></result>\n",
        wrong.body(),
        "XML without format=json");
    Resp posted =
        ItSupport.postForm(
            "/api/oauth2/access_token",
            null,
            "app_key="
                + APP_KEY
                + "&app_secret=nope"
                + "&grant_type=authorization_code&code=x&redirect_uri=x&format=json");
    assertEquals(
        "{\"success\":false,\"error_code\":10002,\"error_msg\":\"app_key or app_secret is wrong\"}",
        posted.body());
  }
}
