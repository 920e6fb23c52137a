package dev.conduit.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sign-in form's next: what an attacker would post, and what a real console link looks like.
 */
class NextPathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "//evil.example",
        "//evil.example/console",
        "/\\evil.example",
        "/console\\..\\..\\evil",
        "\\\\evil.example",
        "https://evil.example/console",
        "javascript:alert(1)",
        "/console/x\r\nSet-Cookie: session=attacker",
        "/console/x\nLocation: https://evil.example",
        "/console/x%0d%0a",
        "/console/x?y=%0d%0aSet-Cookie",
        "/console/%5c%5cevil",
        "/console/../admin",
        "/console/%2e%2e/admin",
        "/console/%2f%2fevil.example",
        "/console/a/..",
        "/consoleevil",
        "/console.evil.example",
        "/other",
        "evil.example",
        "",
        " /console",
        "/console/a b",
        "/console/\tx",
        "/console#//evil.example"
      })
  void anythingButAConsolePathFallsBackToHome(String next) {
    assertEquals(Frame.BASE, NextPath.orHome(next), next);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/console",
        "/console/acme",
        "/console/acme/logs?page=2&q=wecom",
        "/console?x=1",
        "/console/acme?q=a%20b",
        "/console/acme/connections/wecom"
      })
  void aConsolePathIsKept(String next) {
    assertEquals(next, NextPath.orHome(next));
  }
}
