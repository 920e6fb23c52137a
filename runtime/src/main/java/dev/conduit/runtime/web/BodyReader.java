package dev.conduit.runtime.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

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
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max + 1, 8192));
    byte[] chunk = new byte[8192];
    int room = max + 1;
    while (room > 0) {
      if (System.nanoTime() - deadline > 0) {
        throw tooSlow(seconds);
      }
      int n;
      try {
        // what has arrived, or one byte: a read of more may block until that much has come,
        // and the deadline is only looked at between reads
        int want = Math.max(1, Math.min(in.available(), Math.min(chunk.length, room)));
        n = in.read(chunk, 0, want);
      } catch (IOException e) {
        if (timedOut(e)) {
          throw tooSlow(seconds);
        }
        throw e;
      }
      if (n < 0) {
        break;
      }
      out.write(chunk, 0, n);
      room -= n;
    }
    return out.toByteArray();
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
