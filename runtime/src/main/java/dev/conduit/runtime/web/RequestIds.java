package dev.conduit.runtime.web;

import dev.conduit.runtime.identity.Secrets;
import java.util.UUID;

/**
 * Request ids are time-ordered UUIDs (version 7: 48 bits of milliseconds, then randomness): they
 * sort by time, and the request log's primary-key index grows at its end instead of splitting pages
 * everywhere, which is what random UUIDs cost a B-tree under load. The randomness comes from the
 * calling thread's own generator ({@link Secrets#randomLong}): one shared SecureRandom (NativePRNG)
 * made every invoke queue on its process-wide lock (JFR under load: 145 waits of 220 ms on average
 * in 60 s; docs/benchmarks.md).
 */
public final class RequestIds {

  private RequestIds() {}

  public static String next() {
    long ms = System.currentTimeMillis();
    long rand = Secrets.randomLong();
    long high = (ms << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
    long low = (rand & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
