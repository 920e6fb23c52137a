package dev.conduit.bundle;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Keeps what is written to it in chunks and hashes each full chunk (SHA-256) on a thread of its own
 * while the writer goes on: at 10,000 APIs the serialiser and the hash each take a few tenths of a
 * second (the compiler's JVM runs C1 only, which has no SHA intrinsic), and the second core is idle
 * by then. {@link BundleCodec#write} serialises a bundle into one.
 */
final class HashingBuffer extends OutputStream {

  private static final int CHUNK = 1 << 20;

  private final List<byte[]> chunks = new ArrayList<>();
  private final MessageDigest digest;
  private final ExecutorService hasher =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("conduit-emit-hash").factory());
  private Future<?> hashed;
  private byte[] current = new byte[CHUNK];
  private int used;
  private long size;

  HashingBuffer() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void write(int b) {
    makeRoom();
    current[used++] = (byte) b;
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      makeRoom();
      int n = Math.min(len, CHUNK - used);
      System.arraycopy(b, off, current, used, n);
      used += n;
      off += n;
      len -= n;
      size += n;
    }
  }

  /** A full chunk goes to the hasher and a new one takes its place. */
  private void makeRoom() {
    if (used == CHUNK) {
      handOff(current);
      current = new byte[CHUNK];
      used = 0;
    }
  }

  private void handOff(byte[] chunk) {
    chunks.add(chunk);
    hashed = hasher.submit(() -> digest.update(chunk)); // one thread: the chunks in order
  }

  /** Ends the writing; returns {@code sha256:<hex>} of everything written. */
  String finish() {
    handOff(Arrays.copyOf(current, used));
    current = null;
    try {
      hashed.get(); // the thread runs the chunks in order: the last one done means all done
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while hashing the bundle", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("hashing the bundle failed", e.getCause());
    } finally {
      hasher.shutdown();
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  long size() {
    return size;
  }

  /**
   * After {@link #finish}: the bytes, with {@code insert} placed at {@code at} and {@code tail} at
   * the end.
   */
  byte[] toArray(int at, byte[] insert, byte tail) {
    byte[] out = new byte[Math.toIntExact(size + insert.length + 1)];
    int to = 0;
    long from = 0;
    for (byte[] chunk : chunks) {
      int start = 0;
      if (at >= from && at < from + chunk.length
          || at == from + chunk.length && chunk == chunks.getLast()) {
        int head = (int) (at - from);
        System.arraycopy(chunk, 0, out, to, head);
        to += head;
        System.arraycopy(insert, 0, out, to, insert.length);
        to += insert.length;
        start = head;
        at = -1; // inserted
      }
      System.arraycopy(chunk, start, out, to, chunk.length - start);
      to += chunk.length - start;
      from += chunk.length;
    }
    out[to] = tail;
    return out;
  }

  /** After {@link #finish}: the first {@code n} bytes. */
  byte[] head(int n) {
    byte[] out = new byte[(int) Math.min(n, size)];
    int to = 0;
    for (byte[] chunk : chunks) {
      int k = Math.min(chunk.length, out.length - to);
      System.arraycopy(chunk, 0, out, to, k);
      to += k;
      if (to == out.length) {
        break;
      }
    }
    return out;
  }
}
