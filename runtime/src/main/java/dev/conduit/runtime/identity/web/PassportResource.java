package dev.conduit.runtime.identity.web;

import dev.conduit.runtime.Runtime;
import dev.conduit.runtime.identity.HapResponses;
import dev.conduit.runtime.identity.IdentityException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Seed 001 step 4: the signed-in account's profile in the application's organization. */
@Path("/api/v1/passport")
@Tag(name = "Identity provider")
public class PassportResource {

  @Inject
  Runtime rt;

  @jakarta.ws.rs.core.Context
  jakarta.servlet.http.HttpServletRequest request;

  @GET
  @Path("get_passport_detail")
  @Operation(summary = "Current account (seed 001 step 4)", description = "access_token as a query parameter (as HAP "
      + "clients send it) or Authorization: Bearer. Answers data with the eleven fields of seed 001, success and "
      + "error_code 1. user_id differs per organization; account_id is the same in every organization.")
  public Response passport(@QueryParam("access_token") String accessToken, @HeaderParam("Authorization") String authorization) {
    String token = accessToken;
    if ((token == null || token.isEmpty()) && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.substring(7).strip();
    }
    try {
      return OAuthResource.hap(200, HapResponses.passport(OAuthResource.idp(rt, request).passport(token)), true);
    } catch (IdentityException e) {
      return OAuthResource.hap(e.error().code() == 10001 ? 400 : 401, HapResponses.error(e), true);
    }
  }
}
