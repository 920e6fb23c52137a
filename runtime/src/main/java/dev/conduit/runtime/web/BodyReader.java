package dev.conduit.runtime.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Reads a request body within a deadline. The server's read timeout (server.xml, httpOptions
 * readTimeout) bounds each read, not the whole body: a caller sending a byte every few seconds
 * would hold a request thread for as long as it likes. Here the whole body must arrive within the
 * deadline, so a slow body holds a thread at most the deadline plus one read timeout.
 */
public final class BodyReader {

  /** The body did not arrive in time (the deadline passed, or one read waited too long). */
  public static final class TooSlow extends Exception {
    TooSlow(String message) {
      super(message);
    }
  }

  private BodyReader() {}

  /**
   * Reads at most {@code max + 1} bytes (one more than allowed, so the caller can tell "too large"
   * from "exactly the limit") within {@code seconds}.
   */
  public static byte[] read(InputStream in, int max, int seconds) throws TooSlow, IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    int limit = max + 1;
    // sized by what has already arrived (a small JSON body usually has, whole): two 8 KB buffers
    // per call were most of an invoke's allocation (docs/benchmarks.md, "Third run, 2026-12-03")
    byte[] buf = new byte[Math.min(limit, Math.max(256, in.available() + 1))];
    int len = 0;
    while (len < limit) {
      if (System.nanoTime() - deadline > 0) {
        throw tooSlow(seconds);
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(limit, buf.length * 2L));
      }
      int n;
      try {
        // what has arrived, or one byte: a read of more may block until that much has come,
        // and the deadline is only looked at between reads
        int want = Math.max(1, Math.min(in.available(), buf.length - len));
        n = in.read(buf, len, want);
      } catch (IOException e) {
        if (timedOut(e)) {
          throw tooSlow(seconds);
        }
        throw e;
      }
      if (n < 0) {
        break;
      }
      len += n;
    }
    return len == buf.length ? buf : Arrays.copyOf(buf, len);
  }

  private static TooSlow tooSlow(int seconds) {
    return new TooSlow(
        "the request body did not arrive within " + seconds + " s: send the whole body at once");
  }

  /**
   * Whether a read failed because the server's read timeout passed (a SocketTimeoutException
   * somewhere in the causes).
   */
  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
