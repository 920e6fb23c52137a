package dev.conduit.runtime.web.identity;

import dev.conduit.runtime.identity.HapError;
import dev.conduit.runtime.identity.HapResponses;
import dev.conduit.runtime.identity.IdentityException;
import dev.conduit.runtime.identity.IdentityProvider;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Seed 001 step 4: the signed-in account's profile in the application's organization. The body is
 * HAP's whichever way the token comes; a token sent as {@code Authorization: Bearer} also gets RFC
 * 6750's challenge when it is refused.
 */
@Path("/api/v1/passport")
@Tag(name = "Identity provider")
public class PassportResource {

  @Inject IdentityProvider idp;

  @GET
  @Path("get_passport_detail")
  @Operation(
      summary = "Current account (seed 001 step 4)",
      description =
          "access_token as a query parameter (as HAP "
              + "clients send it) or Authorization: Bearer. Answers data with the eleven fields of seed 001, success and "
              + "error_code 1. user_id differs per organization; account_id is the same in every organization. A refused "
              + "Bearer token answers 401 with WWW-Authenticate: Bearer error=\"invalid_token\" (RFC 6750).")
  public Response passport(
      @QueryParam("access_token") String accessToken,
      @HeaderParam("Authorization") String authorization) {
    String token = accessToken;
    boolean bearer = false;
    if ((token == null || token.isEmpty())
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.substring(7).strip();
      bearer = true;
    }
    try {
      return OAuthResource.hap(200, HapResponses.passport(idp.passport(token)), true);
    } catch (IdentityException e) {
      boolean missing = e.error() == HapError.MISSING_PARAMETER;
      Response r = OAuthResource.hap(missing ? 400 : 401, HapResponses.error(e), true);
      return Response.fromResponse(r)
          .header("WWW-Authenticate", challenge(bearer, missing))
          .build();
    }
  }

  /**
   * RFC 6750 section 3: no error code when no token was sent, invalid_request for an empty Bearer
   * token, invalid_token for one that is unknown, expired or revoked.
   */
  private static String challenge(boolean bearer, boolean missing) {
    String realm = "Bearer realm=\"" + OAuthResource.REALM + "\"";
    if (!bearer) {
      return missing ? realm : realm + ", error=\"invalid_token\"";
    }
    return realm + (missing ? ", error=\"invalid_request\"" : ", error=\"invalid_token\"");
  }
}
