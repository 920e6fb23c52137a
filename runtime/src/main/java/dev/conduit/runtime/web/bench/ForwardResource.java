package dev.conduit.runtime.web.bench;

import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.OutgoingRequest;
import dev.conduit.runtime.invoke.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The benchmark's ceiling of "this server plus one upstream call" (bench/runtime/run.sh): a POST
 * forwarded as it came (body, Content-Type and Authorization) to {@code conduit.bench.forward-url}
 * through the invoke path's own upstream client, the answer returned as it came. No authentication,
 * no input checks, no templates, no request log: never for production, so without that setting (the
 * default) it answers 404.
 */
@Path("/bench/forward")
@ApplicationScoped
public class ForwardResource {

  private static final int TIMEOUT_SECONDS = 10;

  @Inject RuntimeConfig config;

  @Inject Upstream upstream;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(hidden = true)
  public Response forward(
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Authorization") String authorization,
      byte[] body) {
    URI target = config.benchForwardUrl().orElse(null);
    if (target == null) {
      return Response.status(404).build();
    }
    Map<String, List<String>> headers = new HashMap<>(2);
    if (contentType != null) {
      headers.put("Content-Type", List.of(contentType));
    }
    if (authorization != null) {
      headers.put("Authorization", List.of(authorization));
    }
    try {
      Upstream.Response answer =
          upstream.send(
              new OutgoingRequest("POST", target, headers, body, TIMEOUT_SECONDS, false),
              List.of(),
              true);
      Response.ResponseBuilder out = Response.status(answer.status()).entity(answer.body());
      List<String> type = answer.headers().get("content-type");
      return (type == null || type.isEmpty() ? out : out.type(type.get(0))).build();
    } catch (Upstream.UpstreamException e) {
      return Response.status(502).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }
  }
}
