package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.FIXTURE;

import tools.jackson.databind.JsonNode;

/** Reading the fixture organization's request logs, which are written asynchronously. */
final class Logs {
  private Logs() {}

  /** The log of a call (by its request id), waiting up to 5 s for the writer. */
  static JsonNode waitFor(String requestId, String authorization) {
    for (int i = 0; i < 100; i++) {
      ItSupport.Resp l =
          ItSupport.get("/api/v1/organizations/" + FIXTURE + "/logs/" + requestId, authorization);
      if (l.status() == 200) {
        return l.json().get("data");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no request log " + requestId + " after 5 s");
  }
}
