package dev.conduit.runtime.logs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  static byte[] encode(RequestLog l) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + length(l));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      string(out, l.id());
      out.writeLong(l.atMillis());
      string(out, l.organizationId());
      string(out, l.connectionId());
      string(out, l.apiId());
      string(out, l.kind());
      string(out, l.applicationId());
      string(out, l.caller());
      out.writeInt(l.status());
      string(out, l.outcome());
      out.writeLong(l.durationMillis());
      out.writeBoolean(l.tokenRefreshed());
      string(out, l.request());
      string(out, l.response());
      string(out, l.error());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
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

  private static int length(RequestLog l) {
    return chars(l.request()) + chars(l.response()) + chars(l.error());
  }

  private static int chars(String s) {
    return s == null ? 0 : s.length();
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
