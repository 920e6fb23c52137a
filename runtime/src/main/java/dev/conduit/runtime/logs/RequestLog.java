package dev.conduit.runtime.logs;

/**
 * One logged call: an invocation, a Test API run, a token test or an auth-value hand-out. Request
 * and response are the masked, capped records of the exchange (JSON text).
 *
 * @param kind invoke, test, token-test or auth-values
 * @param caller the application id or the member's login
 * @param outcome "ok" or the error code
 */
public record RequestLog(
    String id,
    long atMillis,
    String organizationId,
    String connectionId,
    String apiId,
    String kind,
    String applicationId,
    String caller,
    int status,
    String outcome,
    long durationMillis,
    boolean tokenRefreshed,
    String request,
    String response,
    String error) {}
