package dev.conduit.runtime.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Request logs appended to a file before their call answers, so that an answered call's log
 * survives a crash without waiting for a database commit (issue 16: that commit was most of the
 * latency an invoke added). One append is one {@code write} to the operating system, as durable as
 * an H2 commit with {@code WRITE_DELAY=0} (it survives the process, not a power loss) at a fraction
 * of its cost: H2 rewrites whole pages of the table and its indexes per commit, the journal writes
 * the record. The logs reach the database later, in large batches ({@link RequestLogWriter}); a
 * segment file whose every record is there is deleted. At start, {@link #recover} puts what the
 * segments left by a crash hold into the database.
 *
 * <p>A record is its length, its CRC32C and its {@link RequestLogRecord} bytes: a record cut by a
 * crash in mid-write (its call was never answered) fails its check and ends the reading.
 */
public final class RequestLogJournal implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RequestLogJournal.class.getName());
  private static final String SUFFIX = ".journal";

  /** A new segment starts past this size, so that settled ones can be deleted. */
  static final long SEGMENT_BYTES = 8L << 20;

  /** One segment file and how many of its records are not in the database yet. */
  public static final class Segment {
    private final Path file;
    private final FileChannel channel;
    private final AtomicInteger unsettled = new AtomicInteger();
    private long size;

    private Segment(Path file) throws IOException {
      this.file = file;
      this.channel =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** One of its records is in the database now, or given up on (counted by the writer). */
    void settle() {
      unsettled.decrementAndGet();
    }
  }

  private final Path dir;
  private final List<Path> leftovers;
  private final ReentrantLock appending = new ReentrantLock();
  private final Queue<Segment> full = new ConcurrentLinkedQueue<>();
  private Segment current;
  private long next;

  private RequestLogJournal(Path dir, List<Path> leftovers, long next) throws IOException {
    this.dir = dir;
    this.leftovers = leftovers;
    this.next = next;
    this.current = newSegment();
  }

  /**
   * Opens the journal in {@code dir} (created if missing). Segments already there are what a crash
   * left: {@link #recover} them before the first append.
   */
  public static RequestLogJournal open(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      s.forEach(found::add);
    }
    found.sort(null); // numbered with leading zeros: name order is write order
    long next = found.isEmpty() ? 1 : number(found.get(found.size() - 1)) + 1;
    return new RequestLogJournal(dir, found, next);
  }

  private static long number(Path segment) {
    String name = segment.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Hands the logs of the segments a crash left to {@code insertMissing} (in batches, oldest first;
   * it must skip the ones the database already has), then deletes those segments. When it throws,
   * the segments stay for the next start. Returns how many logs were read.
   */
  public int recover(Consumer<List<RequestLog>> insertMissing) throws IOException {
    int n = 0;
    for (Path segment : leftovers) {
      List<RequestLog> logs = read(segment);
      for (int i = 0; i < logs.size(); i += 500) {
        insertMissing.accept(logs.subList(i, Math.min(logs.size(), i + 500)));
      }
      n += logs.size();
    }
    for (Path segment : leftovers) {
      Files.deleteIfExists(segment);
    }
    leftovers.clear();
    return n;
  }

  /** The whole records of a segment, up to the first one a crash cut short. */
  static List<RequestLog> read(Path segment) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<RequestLog> logs = new ArrayList<>();
    int whole = 0; // where the last whole record ends
    while (b.remaining() >= 8) {
      int length = b.getInt();
      int crc = b.getInt();
      if (length <= 0 || length > b.remaining()) {
        break;
      }
      byte[] payload = new byte[length];
      b.get(payload);
      if (RequestLogRecord.crc(payload) != crc) {
        break;
      }
      logs.add(RequestLogRecord.decode(payload));
      whole = b.position();
    }
    if (whole < b.limit()) {
      LOG.warning(
          segment.getFileName()
              + ": the last "
              + (b.limit() - whole)
              + " bytes are not a whole request log (a write cut by a crash: its call was never"
              + " answered)");
    }
    return logs;
  }

  /**
   * Appends a log: when this returns, the log is in the operating system's hands. The segment
   * returned counts it as unsettled until {@link Segment#settle()}.
   */
  public Segment append(RequestLog log) throws IOException {
    ByteBuffer b = RequestLogRecord.framed(log);
    appending.lock();
    try {
      if (current.size >= SEGMENT_BYTES) {
        full.add(current);
        current = newSegment();
      }
      Segment s = current;
      while (b.hasRemaining()) {
        s.size += s.channel.write(b);
      }
      s.unsettled.incrementAndGet();
      return s;
    } finally {
      appending.unlock();
    }
  }

  private Segment newSegment() throws IOException {
    return new Segment(dir.resolve(String.format("%020d", next++) + SUFFIX));
  }

  /** Deletes the full segments whose every log is settled (the writer calls it after a batch). */
  void deleteSettled() {
    for (Segment s = full.peek(); s != null && s.unsettled.get() <= 0; s = full.peek()) {
      full.poll();
      delete(s);
    }
  }

  private static void delete(Segment s) {
    try {
      s.channel.close();
      Files.deleteIfExists(s.file);
    } catch (IOException e) {
      LOG.warning("could not delete the request-log journal segment " + s.file + ": " + e);
    }
  }

  /** Closes the journal; segments whose logs are all settled are deleted, the others kept. */
  @Override
  public void close() {
    appending.lock();
    try {
      full.add(current);
      for (Segment s : full) {
        if (s.unsettled.get() <= 0) {
          delete(s);
        } else {
          try {
            s.channel.close();
          } catch (IOException e) {
            LOG.warning("could not close " + s.file + ": " + e);
          }
        }
      }
      full.clear();
    } finally {
      appending.unlock();
    }
  }
}
