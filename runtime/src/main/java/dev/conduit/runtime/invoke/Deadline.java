package dev.conduit.runtime.invoke;

import java.util.concurrent.TimeUnit;

/**
 * The time one call may take: the API's timeoutSeconds, from the call's start, shared by every step
 * (the token request, the code blocks, the upstream call). Each step gets what is left, so a slow
 * token endpoint cannot stretch a 5 s API to 15 s, and a step that runs out says which step it was.
 *
 * @param atNanos when the call must be over, by {@link System#nanoTime()}
 * @param seconds the API's timeoutSeconds, for messages
 */
record Deadline(long atNanos, int seconds) {

  static Deadline in(int seconds) {
    return new Deadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds), seconds);
  }

  long remainingNanos() {
    return atNanos - System.nanoTime();
  }

  boolean passed() {
    return remainingNanos() <= 0;
  }

  /**
   * "the token request ran out of time: no token came before the API's timeoutSeconds (5 s, ...)
   * ran out".
   */
  String ranOut(String step, String what) {
    return step
        + " ran out of time: "
        + what
        + " before the API's timeoutSeconds ("
        + seconds
        + " s, for the whole call: token request, code blocks and upstream call) ran out";
  }
}
