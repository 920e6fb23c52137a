package dev.conduit.runtime.invoke;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A request ready to send.
 *
 * @param carriesSecrets whether it carries a hidden parameter or an auth value (so it may only go
 *     to the connection's allowed hosts)
 */
public record OutgoingRequest(
    String method,
    URI uri,
    Map<String, List<String>> headers,
    byte[] body,
    int timeoutSeconds,
    boolean carriesSecrets) {}
