package dev.conduit.runtime.web;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Request ids are time-ordered UUIDs (version 7: 48 bits of milliseconds, then randomness): they
 * sort by time, and the request log's primary-key index grows at its end instead of splitting pages
 * everywhere, which is what random UUIDs cost a B-tree under load.
 */
public final class RequestIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  public static String next() {
    long ms = System.currentTimeMillis();
    long rand = RANDOM.nextLong();
    long high = (ms << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
    long low = (rand & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
