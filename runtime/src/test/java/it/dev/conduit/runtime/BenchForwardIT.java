package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks' bare forward endpoint forwards anything to anyone without authentication: a
 * server that does not set conduit.bench.forward-url (the tests' server, as every default one) must
 * not serve it.
 */
class BenchForwardIT {

  @Test
  void theBareForwardEndpointIsOffByDefault() {
    assertEquals(404, postJson("/bench/forward", null, "{\"customer\":\"Acme\"}").status());
  }
}
