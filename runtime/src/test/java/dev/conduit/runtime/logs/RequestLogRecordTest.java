package dev.conduit.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A journal record keeps its format (journals a crash left are read by the next version) and every
 * field.
 */
class RequestLogRecordTest {

  /** Nulls (no API, no response) and text beyond ASCII in the error. */
  static final RequestLog LOG =
      RequestLogJournalTest.log("0193a1b2-0000-7000-8000-000000000001", null);

  @Test
  void aFramedRecordIsItsLengthItsCrcAndThePayloadTheDataStreamWrote() throws IOException {
    ByteBuffer framed = RequestLogRecord.framed(LOG);
    byte[] payload = Arrays.copyOfRange(framed.array(), RequestLogRecord.FRAME, framed.limit());

    assertArrayEquals(dataStream(LOG), payload, "the version 1 format, byte for byte");
    assertEquals(payload.length, framed.getInt(0));
    assertEquals(RequestLogRecord.crc(payload), framed.getInt(Integer.BYTES));
    assertEquals(LOG, RequestLogRecord.decode(payload), "every field back, nulls too");
  }

  /** How version 1 records were written before: a data stream of the fields in order. */
  static byte[] dataStream(RequestLog l) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
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
    }
    return bytes.toByteArray();
  }

  static void string(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
