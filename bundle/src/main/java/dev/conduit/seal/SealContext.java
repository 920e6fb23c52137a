package dev.conduit.seal;

import java.nio.charset.StandardCharsets;

/** Where a sealed value belongs; the value opens only in the same place. */
public record SealContext(String organizationId, String connectionId, String parameterName) {

  /** The HPKE context info of the first format (sealed:v1:), which did not show its binding. */
  byte[] v1Bytes() {
    return ("conduit-seal/v1|" + organizationId + "|" + connectionId + "|" + parameterName)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The HPKE context info of sealed:v2:, whose text shows the same binding in clear. */
  byte[] v2Bytes() {
    return ("conduit-seal/v2|" + organizationId + "|" + connectionId + "|" + parameterName)
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "connection \"" + connectionId + "\" parameter \"" + parameterName + "\"";
  }

  /** The place with its organization, for messages where organizations may differ. */
  public String describe() {
    return this + " of organization " + organizationId;
  }
}
