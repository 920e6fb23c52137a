package dev.conduit.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunks, hash and insertion hold across chunk boundaries. */
class HashingBufferTest {

  private static final int MB = 1 << 20;

  @Test
  void severalChunksHashAndJoinAsOneArray() {
    byte[] data = new byte[3 * MB + 12345];
    new Random(7).nextBytes(data);
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ('a' + (data[i] & 15));
    }
    HashingBuffer buffer = new HashingBuffer();
    buffer.write(data, 0, 100);
    buffer.write(data[100]);
    buffer.write(data, 101, data.length - 101); // crosses three chunk boundaries in one call
    assertEquals(BundleCodec.sha256(data), buffer.finish());
    assertEquals(data.length, buffer.size());

    byte[] insert = "INSERTED".getBytes(StandardCharsets.US_ASCII);
    for (int at : new int[] {0, 17, MB - 1, MB, 2 * MB + 5, data.length}) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.write(data, 0, at);
      expected.writeBytes(insert);
      expected.write(data, at, data.length - at);
      expected.write('\n');
      assertArrayEquals(
          expected.toByteArray(), buffer.toArray(at, insert, (byte) '\n'), "at " + at);
    }
    assertArrayEquals(java.util.Arrays.copyOf(data, 40), buffer.head(40));
  }
}
