package dev.conduit.runtime.invoke;

import java.util.List;
import java.util.Map;

/**
 * What an invocation came to: outputs, or an error with its HTTP status. Either way it carries the
 * exchange with the upstream (masked) for Test API and the request log.
 */
public sealed interface Outcome {

  Exchange exchange();

  /**
   * The outputs by alias, plain data (secrets masked).
   *
   * @param warnings outputs whose value could not take their declared type (they are null in data),
   *     each at its path, e.g. {@code rows[1].score}; the call still succeeded
   */
  record Success(Map<String, Object> data, Exchange exchange, List<Detail> warnings)
      implements Outcome {
    public Success {
      warnings = List.copyOf(warnings);
    }

    public Success(Map<String, Object> data, Exchange exchange) {
      this(data, exchange, List.of());
    }
  }

  /**
   * @param details every problem, e.g. one per invalid input field; for UPSTREAM_ERROR the
   *     upstream's status at path {@code upstream.status}
   * @param retryAfterSeconds when a retry may succeed (the envelope's {@code Retry-After}), for
   *     refusals that pass by themselves (a full bulkhead, an open circuit); 0 for none
   */
  record Failure(
      ErrorCode code,
      String message,
      List<Detail> details,
      Exchange exchange,
      long retryAfterSeconds)
      implements Outcome {
    public Failure {
      details = List.copyOf(details);
    }

    /** A failure that waiting does not cure: no Retry-After. */
    public Failure(ErrorCode code, String message, List<Detail> details, Exchange exchange) {
      this(code, message, details, exchange, 0);
    }

    /** The HTTP status the caller answers with. */
    public int status() {
      return code.status();
    }
  }

  /** One problem, at a path (an input field like "items[2].sku", or a block file). */
  record Detail(String path, String message) {}
}
