package dev.conduit.runtime.logs;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A request log as the journal's bytes: a version, then every field in {@link RequestLog}'s order
 * (strings as their UTF-8 length and bytes, -1 for null). Plain fields, not JSON: a journal record
 * is written for every call and read back only after a crash.
 */
final class RequestLogRecord {

  private static final int VERSION = 1;

  private RequestLogRecord() {}

  /** Bytes before a record's payload in the journal: its length and its CRC32C. */
  static final int FRAME = 8;

  /**
   * The record as the journal appends it: the payload's length, its CRC32C, the payload, in one
   * array of exactly that size, ready to write. Every call writes one, so it is built without the
   * stream, the growing buffer and the two copies of the data stream it was written with before (a
   * sixth of the invoke path's allocated bytes in a profile, docs/benchmarks.md).
   */
  static ByteBuffer framed(RequestLog l) {
    byte[][] strings = {
      utf8(l.id()),
      utf8(l.organizationId()),
      utf8(l.connectionId()),
      utf8(l.apiId()),
      utf8(l.kind()),
      utf8(l.applicationId()),
      utf8(l.caller()),
      utf8(l.outcome()),
      utf8(l.request()),
      utf8(l.response()),
      utf8(l.error())
    };
    int size =
        1 + Long.BYTES + Integer.BYTES + Long.BYTES + 1; // version, at, status, duration, flag
    for (byte[] s : strings) {
      size += Integer.BYTES + (s == null ? 0 : s.length);
    }
    ByteBuffer b = ByteBuffer.allocate(FRAME + size);
    b.putInt(size).putInt(0); // the CRC, once the payload is in
    b.put((byte) VERSION);
    put(b, strings[0]);
    b.putLong(l.atMillis());
    for (int i = 1; i <= 6; i++) { // organization, connection, API, kind, application, caller
      put(b, strings[i]);
    }
    b.putInt(l.status());
    put(b, strings[7]);
    b.putLong(l.durationMillis());
    b.put((byte) (l.tokenRefreshed() ? 1 : 0));
    put(b, strings[8]);
    put(b, strings[9]);
    put(b, strings[10]);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), FRAME, size);
    b.putInt(Integer.BYTES, (int) crc.getValue());
    return b.flip();
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  /** A string as its UTF-8 length and bytes, -1 for null (what DataInputStream reads back). */
  private static void put(ByteBuffer b, byte[] s) {
    if (s == null) {
      b.putInt(-1);
    } else {
      b.putInt(s.length).put(s);
    }
  }

  static RequestLog decode(byte[] record) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException(
          "a request-log journal record of version " + version + ", not " + VERSION);
    }
    return new RequestLog(
        string(in),
        in.readLong(),
        string(in),
        string(in),
        string(in),
        string(in),
        string(in),
        string(in),
        in.readInt(),
        string(in),
        in.readLong(),
        in.readBoolean(),
        string(in),
        string(in),
        string(in));
  }

  static int crc(byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(payload);
    return (int) c.getValue();
  }

  private static String string(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
