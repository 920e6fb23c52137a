package dev.conduit.seal;

import java.nio.charset.StandardCharsets;

/** Where a sealed value belongs; the value opens only in the same place. */
public record SealContext(String organizationId, String connectionId, String parameterName) {

  byte[] bytes() {
    return ("conduit-seal/v1|" + organizationId + "|" + connectionId + "|" + parameterName)
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "connection \"" + connectionId + "\" parameter \"" + parameterName + "\"";
  }
}
