package dev.conduit.runtime.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are read strictly: JSON by Content-Type, UTF-8, one value per key, caller's words.
 */
class JsonTest {

  static Map<String, Object> read(String type, byte[] body) throws Json.BadBody {
    return Json.object(type, new ByteArrayInputStream(body), 1_000_000);
  }

  static Json.BadBody refused(String type, byte[] body) {
    return assertThrows(Json.BadBody.class, () -> read(type, body));
  }

  static Json.BadBody refused(String type, String body) {
    return refused(type, body.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  static byte[] concat(String a, byte[] mid, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] z = b.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[x.length + mid.length + z.length];
    System.arraycopy(x, 0, out, 0, x.length);
    System.arraycopy(mid, 0, out, x.length, mid.length);
    System.arraycopy(z, 0, out, x.length + mid.length, z.length);
    return out;
  }

  @Test
  void jsonIsReadAsJsonAndAMissingTypeIsReadAsJsonToo() throws Exception {
    byte[] body = "{\"city\":\"Shanghai\"}".getBytes(StandardCharsets.UTF_8);
    for (String type :
        new String[] {
          null,
          "application/json",
          "application/json; charset=UTF-8",
          "Application/JSON;charset=\"utf-8\"",
          "application/vnd.acme+json"
        }) {
      assertEquals(Map.of("city", "Shanghai"), read(type, body), type);
    }
    assertEquals(Map.of(), read("application/json", new byte[0]));
  }

  @Test
  void otherTypesAndCharsetsAre415WithTheCurlFix() {
    for (String type :
        new String[] {
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/jsonp"
        }) {
      Json.BadBody e = refused(type, "{\"city\":\"Shanghai\"}");
      assertEquals(415, e.status, type);
      assertEquals("UNSUPPORTED_MEDIA_TYPE", e.code);
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the body must be JSON sent as Content-Type: application/json, not "
                      + type.split(";")[0]),
          e.getMessage());
      assertTrue(e.getMessage().contains("-H 'Content-Type: application/json'"), e.getMessage());
    }
    Json.BadBody latin = refused("application/json; charset=ISO-8859-1", "{}");
    assertEquals(415, latin.status);
    assertEquals("the body must be UTF-8, not charset=ISO-8859-1", latin.getMessage());
  }

  @Test
  void aKeyTwiceInOneObjectIsRefusedNotGuessed() {
    Json.BadBody e = refused("application/json", "{\"amount\":1,\n\"amount\":1000}");
    assertEquals(400, e.status);
    assertEquals("INVALID_INPUT", e.code);
    assertEquals(
        "the body is not valid JSON: the key \"amount\" appears twice in one object (which one was meant?)"
            + " (line 2, column 9)",
        e.getMessage());
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedOverlongNulIncluded() {
    // C0 80 is an overlong NUL; ED A0 80 a lone surrogate; FF is never UTF-8; C3 alone is cut short
    for (byte[] bad :
        List.of(
            bytes(0xC0, 0x80),
            bytes(0xE0, 0x80, 0x80),
            bytes(0xED, 0xA0, 0x80),
            bytes(0xFF),
            bytes(0xC3))) {
      Json.BadBody e = refused("application/json", concat("{\"name\":\"a", bad, "\"}"));
      assertEquals(400, e.status);
      assertEquals("the body is not valid UTF-8 (at byte 10)", e.getMessage());
    }
  }

  @Test
  void everyMessageIsForTheCallerNotAboutTheParser() {
    Map<String, String> cases =
        Map.of(
            "[".repeat(100) + "]".repeat(100),
            "it nests deeper than 64 levels",
            "{'name':'x'}",
            "unexpected character '''",
            "{\"n\":NaN}",
            "a number is not written as JSON writes numbers",
            "{\"n\":1} {}",
            "there is more after the JSON value",
            "{\"n\":",
            "it ends before the JSON value is complete",
            "{\"n\":0012}",
            "a number is not written as JSON writes numbers",
            "{\"n\":\"a\u0001b\"}",
            "a control character in a string must be escaped",
            "{\"n\":" + "1".repeat(200) + "}",
            "a number has more than 100 digits",
            "{n:1}",
            "unexpected character 'n'");
    cases.forEach(
        (body, expected) -> {
          String m = refused("application/json", body).getMessage();
          assertTrue(m.startsWith("the body is not valid JSON: " + expected), body + " -> " + m);
          for (String internal :
              List.of("Feature", "Constraints", "jackson", "`", "java.", "Object property")) {
            assertFalse(m.contains(internal), body + " -> " + m);
          }
        });
  }
}
