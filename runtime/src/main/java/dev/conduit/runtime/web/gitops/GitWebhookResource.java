package dev.conduit.runtime.web.gitops;

import dev.conduit.runtime.gitops.GitOps;
import dev.conduit.runtime.web.Envelopes;
import dev.conduit.runtime.web.RequestIds;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Git host's push webhook (docs/gitops.md): checked against conduit.git.webhook-secret in
 * constant time, then every source is fetched at once instead of at its next poll. The body is only
 * signed over, never trusted: what to serve comes from the fetch.
 */
@Path("/api/v1/gitops/webhook")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "GitOps")
public class GitWebhookResource {

  /** A push event is a few kB; anything far larger is not one. */
  private static final int MAX_BODY_BYTES = 1 << 20;

  @Inject GitOps gitops;

  @POST
  @Operation(
      summary = "Push webhook",
      description =
          "X-Hub-Signature-256: sha256=HMAC-SHA256(secret, body) (GitHub, Gitea, Forgejo), or the"
              + " secret itself in X-Gitlab-Token or X-Conduit-Token.")
  @APIResponse(responseCode = "202", description = "accepted: every source is fetched now")
  @APIResponse(responseCode = "401", description = "no or wrong signature: nothing is fetched")
  @APIResponse(responseCode = "404", description = "GitOps or its webhook is off here")
  @APIResponse(responseCode = "413", description = "body too large")
  public Response push(
      InputStream body,
      @HeaderParam("X-Hub-Signature-256") String signature,
      @HeaderParam("X-Gitlab-Token") String gitlabToken,
      @HeaderParam("X-Conduit-Token") String token)
      throws IOException {
    String requestId = RequestIds.next();
    byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      return Envelopes.error(
          413, "BODY_TOO_LARGE", "a push event is at most 1 MiB", List.of(), requestId);
    }
    return switch (gitops.webhook(bytes, signature, gitlabToken != null ? gitlabToken : token)) {
      case ACCEPTED -> {
        Response ok = Envelopes.ok(Map.of("fetching", true), requestId);
        yield Response.fromResponse(ok).status(202).build();
      }
      case OFF ->
          Envelopes.error(
              404,
              "WEBHOOK_OFF",
              "no Git source or no conduit.git.webhook-secret on this server",
              List.of(),
              requestId);
      case BAD_SIGNATURE ->
          Envelopes.error(
              401,
              "BAD_SIGNATURE",
              "the signature (X-Hub-Signature-256) or token (X-Gitlab-Token, X-Conduit-Token) does"
                  + " not match this server's webhook secret",
              List.of(),
              requestId);
    };
  }
}
