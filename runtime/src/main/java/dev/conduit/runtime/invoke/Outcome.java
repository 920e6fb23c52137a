package dev.conduit.runtime.invoke;

import java.util.List;
import java.util.Map;

/**
 * What an invocation came to: outputs, or an error with its HTTP status. Either way it carries
 * the exchange with the upstream (masked) for Test API and the request log.
 */
public sealed interface Outcome {

  Exchange exchange();

  /** The outputs by alias, plain data. */
  record Success(Map<String, Object> data, Exchange exchange) implements Outcome {}

  /**
   * @param details every problem, e.g. one per invalid input field
   */
  record Failure(ErrorCode code, String message, List<Detail> details, Exchange exchange)
      implements Outcome {
    public int status() {
      return code.status();
    }
  }

  /** One problem, at a path (an input field like "items[2].sku", or a block file). */
  record Detail(String path, String message) {}
}
