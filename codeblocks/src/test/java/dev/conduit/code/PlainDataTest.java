package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How data crosses into and out of a block (the same for both languages). */
class PlainDataTest {

  @Test
  void numbersADoubleCarriesExactlyStayNumbers() {
    assertEquals(
        "[0,-7,9007199254740991,-9007199254740991,2.5,0.1,1.0E300,3]",
        PlainData.toJson(
            List.of(
                0,
                -7L,
                PlainData.MAX_SAFE_INTEGER,
                -PlainData.MAX_SAFE_INTEGER,
                new BigDecimal("2.5"),
                0.1,
                1e300,
                new BigDecimal("3.000"))));
  }

  @Test
  void numbersADoubleWouldRoundArriveAsStringsOfTheirExactDigits() {
    assertEquals(
        "[\"9007199254740992\",\"-9007199254740993\",\"123456789012345678901234567890\","
            + "\"0.12345678901234567890123\",\"1E+999999\"]",
        PlainData.toJson(
            List.of(
                PlainData.MAX_SAFE_INTEGER + 1,
                -(PlainData.MAX_SAFE_INTEGER + 2),
                new BigInteger("123456789012345678901234567890"),
                new BigDecimal("0.12345678901234567890123"),
                new BigDecimal("1E+999999"))));
  }

  @Test
  void datesArriveAsIso8601Strings() {
    assertEquals(
        "[\"2026-11-23T08:00:00Z\",\"2026-11-23\",\"2026-11-23T08:00+08:00\"]",
        PlainData.toJson(
            List.of(
                Instant.parse("2026-11-23T08:00:00Z"),
                LocalDate.of(2026, 11, 23),
                OffsetDateTime.of(2026, 11, 23, 8, 0, 0, 0, ZoneOffset.ofHours(8)))));
  }

  @Test
  void nonFiniteDoublesArriveAsNullAsJsonStringifyDoes() {
    assertEquals("[null,null]", PlainData.toJson(List.of(Double.NaN, Double.POSITIVE_INFINITY)));
  }

  @Test
  void anythingElseIsTheCallersMistakeAndSaysWhere() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PlainData.toJson(Map.of("a", List.of(1, new Object()))));
    assertEquals(
        "not plain data at /a/1: a Object (maps, lists, strings, numbers, booleans and null only)",
        e.getMessage());
  }

  @Test
  void resultsComeBackAsLinkedHashMapListStringLongBigDecimalBooleanNull() {
    Object r = PlainData.fromJson("{\"z\":1,\"a\":[2.50,-3,9223372036854775808,true,null,\"x\"]}");
    Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, r);
    assertEquals(List.of("z", "a"), List.copyOf(map.keySet()), "key order kept");
    assertEquals(1L, map.get("z"));
    List<?> list = assertInstanceOf(ArrayList.class, map.get("a"));
    assertEquals(new BigDecimal("2.50"), list.get(0));
    assertEquals(-3L, list.get(1));
    assertEquals(new BigDecimal("9223372036854775808"), list.get(2));
    assertEquals(true, list.get(3));
    assertEquals(null, list.get(4));
    assertEquals("x", list.get(5));
  }

  @Test
  void deepNestingIsRefusedBothWays() {
    Object deep = "x";
    for (int i = 0; i < PlainData.MAX_DEPTH + 5; i++) {
      deep = List.of(deep);
    }
    Object input = deep;
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PlainData.toJson(input))
            .getMessage()
            .contains("nested more than"));
    String json = "[".repeat(PlainData.MAX_DEPTH + 20) + "]".repeat(PlainData.MAX_DEPTH + 20);
    assertThrows(RuntimeException.class, () -> PlainData.fromJson(json));
  }
}
