package dev.conduit.runtime.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyReaderTest {

  @Test
  void aBodyThatIsThereIsReadWhole() throws Exception {
    byte[] body = "{\"city\":\"Shanghai\"}".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(body, BodyReader.read(new ByteArrayInputStream(body), 1024, 1));
  }

  @Test
  void readsOneByteMoreThanAllowedSoTheCallerCanTellTooLarge() throws Exception {
    assertEquals(11, BodyReader.read(new ByteArrayInputStream(new byte[100]), 10, 1).length);
  }

  @Test
  void aBodyLargerThanWhatHadArrivedGrowsToItsWholeLength() throws Exception {
    byte[] body = new byte[70_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    // available() says nothing has arrived: the buffer starts small and grows, byte for byte
    java.io.InputStream slowToSay =
        new java.io.FilterInputStream(new ByteArrayInputStream(body)) {
          @Override
          public int available() {
            return 0;
          }
        };
    assertArrayEquals(body, BodyReader.read(slowToSay, 1 << 20, 5));
    assertEquals(
        50_001, BodyReader.read(new ByteArrayInputStream(body), 50_000, 5).length, "max + 1");
    assertArrayEquals(new byte[0], BodyReader.read(new ByteArrayInputStream(new byte[0]), 10, 1));
  }

  @Test
  void aBodyTricklingInPastTheDeadlineIsRefused() {
    // a byte every 100 ms, without end: each read is quick, the whole never comes (so only
    // the deadline can end this read)
    InputStream trickle =
        new InputStream() {
          @Override
          public int read() throws IOException {
            try {
              Thread.sleep(100);
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            return ' ';
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            b[off] = (byte) read();
            return 1;
          }
        };
    BodyReader.TooSlow e =
        assertThrows(BodyReader.TooSlow.class, () -> BodyReader.read(trickle, 1 << 20, 1));
    assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
  }

  @Test
  void aReadThatTimesOutInTheServerIsTooSlowToo() {
    InputStream stalled =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("read failed", new SocketTimeoutException("Read timed out"));
          }
        };
    assertThrows(BodyReader.TooSlow.class, () -> BodyReader.read(stalled, 100, 10));
  }
}
