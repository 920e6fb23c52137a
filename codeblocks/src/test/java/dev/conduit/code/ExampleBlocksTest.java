package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.languages.CodeRunner;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every code block of the example organization, run with realistic inputs. */
class ExampleBlocksTest {

  static final Path CONNECTIONS = Path.of("..", "connections-repo", "connections");
  static CodeRunner runner;

  @BeforeAll
  static void start() {
    runner = TestRunners.withPython(1);
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  static Object run(String connection, String file, Object input) throws Exception {
    Path p = CONNECTIONS.resolve(connection).resolve("code").resolve(file);
    Language language = Language.ofFileName(file).orElseThrow();
    return runner.run(
        new CodeSource(
            "connections/" + connection + "/code/" + file, language, Files.readString(p)),
        input,
        Duration.ofSeconds(10));
  }

  @Test
  void signARequestWithTimestampAndSecretKey() throws Exception {
    Map<?, ?> r =
        (Map<?, ?>)
            run(
                "sms-gateway",
                "sign-request.js",
                Map.of(
                    "input", Map.of("phone", "+86 138-0013-8000", "message", "hi"),
                    "connection",
                        Map.of(
                            "app_key",
                            "acme-sms-7731",
                            "app_secret",
                            "s3cr3t",
                            "sign_name",
                            "Acme")));
    assertEquals("13800138000", r.get("phone"));
    String ts = (String) r.get("timestamp");
    assertTrue(Math.abs(Long.parseLong(ts) - System.currentTimeMillis() / 1000) < 60, ts);
    assertEquals(
        Helpers.INSTANCE.hmacSha256("s3cr3t", "acme-sms-7731\n" + ts + "\n13800138000"),
        r.get("signature"));
  }

  @Test
  void stripPlus86FromEveryRecipient() throws Exception {
    Map<?, ?> r =
        (Map<?, ?>)
            run(
                "sms-gateway",
                "strip_country_code.py",
                Map.of(
                    "input",
                    Map.of(
                        "recipients",
                        List.of(
                            Map.of("phone", "+8613800138000"),
                            Map.of("phone", " +86 139-0013-9000 ", "name", "Li")),
                        "message",
                        "welcome")));
    assertEquals(List.of("13800138000", "13900139000"), r.get("phones"));
  }

  @Test
  void wrapAResponseIntoAJsonArray() throws Exception {
    Map<String, Object> one =
        Map.of("phone", "138", "status", "DELIVERED", "at", "2026-11-23T08:00:00Z");
    Map<?, ?> single =
        (Map<?, ?>)
            run(
                "sms-gateway",
                "wrap_in_array.py",
                Map.of(
                    "response",
                    Map.of("status", 200, "headers", Map.of(), "body", Map.of("data", one))));
    assertEquals(List.of(one), single.get("reports"));
    Map<?, ?> many =
        (Map<?, ?>)
            run(
                "sms-gateway",
                "wrap_in_array.py",
                Map.of(
                    "response",
                    Map.of(
                        "status",
                        200,
                        "headers",
                        Map.of(),
                        "body",
                        Map.of("data", List.of(one, one)))));
    assertEquals(2, ((List<?>) many.get("reports")).size());
  }

  @Test
  void restructureANestedResponse() throws Exception {
    Map<?, ?> r =
        (Map<?, ?>)
            run(
                "exchange-rates",
                "restructure-rates.js",
                Map.of(
                    "response",
                    Map.of(
                        "status",
                        200,
                        "body",
                        Map.of(
                            "amount",
                            1,
                            "base",
                            "CNY",
                            "date",
                            "2026-11-20",
                            "rates",
                            Map.of(
                                "USD", new BigDecimal("0.14"), "EUR", new BigDecimal("0.13"))))));
    assertEquals("CNY", r.get("base"));
    assertEquals(
        List.of(
            Map.of("currency", "EUR", "rate", new BigDecimal("0.13")),
            Map.of("currency", "USD", "rate", new BigDecimal("0.14"))),
        r.get("rates"));
  }

  @Test
  void joinMembersForWeCom() throws Exception {
    Map<?, ?> r =
        (Map<?, ?>)
            run(
                "wecom",
                "join-recipients.js",
                Map.of("input", Map.of("touser", List.of("zhangsan", "lisi"))));
    assertEquals("zhangsan|lisi", r.get("touser"));
  }
}
