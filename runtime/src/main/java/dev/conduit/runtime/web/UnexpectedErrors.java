package dev.conduit.runtime.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Nothing escapes as a stack trace: framework errors (404, 405, 415 ...) keep their status in the
 * runtime's envelope; anything unexpected is logged with an id and answered with that id only.
 */
@Provider
public class UnexpectedErrors implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(UnexpectedErrors.class.getName());

  @Override
  public Response toResponse(Throwable e) {
    String id = RequestIds.next();
    if (e instanceof WebApplicationException w) {
      int status = w.getResponse().getStatus();
      String code = Envelopes.codeFor(status);
      return Envelopes.error(
          status,
          code,
          w.getResponse().getStatusInfo().getReasonPhrase().toLowerCase(),
          List.of(),
          id);
    }
    LOG.log(Level.SEVERE, "unexpected error " + id, e);
    return Response.status(500)
        .type(MediaType.APPLICATION_JSON)
        .entity(
            Json.write(
                Envelopes.failure(
                    "INTERNAL", "an internal error occurred; its id is " + id, List.of(), id)))
        .build();
  }
}
