package dev.conduit.runtime.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection's masker with the call's own token: reused while the token lasts, never stale. */
class MaskerTest {

  @Test
  void aRefreshedTokenIsMaskedAndNotTheOneBefore() {
    Masker connection = Masker.of(List.of("client-secret-1"));
    Masker first = connection.with(List.of("token-one"));
    assertEquals("Bearer ****** for ******", first.mask("Bearer token-one for client-secret-1"));
    assertEquals(
        "a=******", connection.with(List.of("token-one")).mask("a=token-one"), "the same again");

    Masker refreshed = connection.with(List.of("token-two"));
    assertEquals("Bearer ******", refreshed.mask("Bearer token-two"));
    assertEquals(
        "token-one ******",
        refreshed.mask("token-one client-secret-1"),
        "as a masker made afresh: only the connection's secrets and this call's token");
    assertEquals("q=******", connection.with(List.of("token two")).mask("q=token+two"));
  }
}
