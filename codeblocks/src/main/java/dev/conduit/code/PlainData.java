package dev.conduit.code;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * How data crosses into and out of a block: as JSON text, with one representation for both
 * languages.
 *
 * <p>Into a block: maps, lists and arrays, strings, booleans, null and numbers. A number a double
 * cannot carry exactly (an integer beyond &plusmn;(2^53 - 1), a decimal with more digits than a
 * double holds) arrives as a string of its exact digits, so no block ever computes with a silently
 * rounded value. Dates ({@link TemporalAccessor}, {@link Date}) arrive as ISO-8601 strings.
 * Anything else is a programming error of the caller ({@link IllegalArgumentException}).
 *
 * <p>Out of a block: {@link LinkedHashMap} (key order kept), {@link ArrayList}, {@link String},
 * {@link Long} for integers that fit, {@link BigDecimal} for every other number, {@link Boolean}
 * and null.
 */
public final class PlainData {

  /** The largest integer a double holds exactly, with all integers below it: 2^53 - 1. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  public static final int MAX_DEPTH = 200;

  private static final BigInteger MAX_SAFE = BigInteger.valueOf(MAX_SAFE_INTEGER);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 10).build())
          .build();

  private PlainData() {}

  /** The JSON text a block receives for {@code value}. */
  public static String toJson(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      write(g, value, "", 0);
    }
    return out.toString();
  }

  /** Reads a block's JSON result into plain Java data. */
  public static Object fromJson(String json) throws JacksonException {
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
      p.nextToken();
      Object value = read(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("trailing data after the result");
      }
      return value;
    }
  }

  /** Reads the value at the parser's current token (and its children). */
  public static Object read(JsonParser p) throws JacksonException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new IllegalArgumentException("no value");
    }
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, read(p));
        }
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(p));
        }
        yield list;
      }
      case VALUE_STRING -> p.getString();
      case VALUE_NUMBER_INT -> {
        BigInteger i = p.getBigIntegerValue();
        yield i.compareTo(LONG_MIN) >= 0 && i.compareTo(LONG_MAX) <= 0
            ? (Object) i.longValue()
            : new BigDecimal(i);
      }
      case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IllegalArgumentException("unexpected " + t);
    };
  }

  private static void write(JsonGenerator g, Object v, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "input nested more than " + MAX_DEPTH + " levels deep at " + where(path));
    }
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Character c -> g.writeString(c.toString());
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Short s -> g.writeNumber(s);
      case Byte b -> g.writeNumber(b);
      case Long l -> writeInteger(g, BigInteger.valueOf(l));
      case BigInteger i -> writeInteger(g, i);
      case BigDecimal d -> writeDecimal(g, d);
      case Double d -> writeDouble(g, d);
      case Float f -> writeDouble(g, f.doubleValue());
      case Number n -> writeDecimal(g, new BigDecimal(n.toString()));
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          String key = String.valueOf(e.getKey());
          g.writeName(key);
          write(g, e.getValue(), path + "/" + key, depth + 1);
        }
        g.writeEndObject();
      }
      case Iterable<?> items -> {
        g.writeStartArray();
        int i = 0;
        for (Object item : items) {
          write(g, item, path + "/" + i++, depth + 1);
        }
        g.writeEndArray();
      }
      case Object[] items -> write(g, List.of(items), path, depth);
      case Instant instant -> g.writeString(instant.toString());
      case Date date -> g.writeString(date.toInstant().toString());
      case TemporalAccessor time -> g.writeString(time.toString());
      default ->
          throw new IllegalArgumentException(
              "not plain data at "
                  + where(path)
                  + ": a "
                  + v.getClass().getSimpleName()
                  + " (maps, lists, strings, numbers, booleans and null only)");
    }
  }

  private static String where(String path) {
    return path.isEmpty() ? "the top" : path;
  }

  private static void writeInteger(JsonGenerator g, BigInteger i) {
    if (i.abs().compareTo(MAX_SAFE) <= 0) {
      g.writeNumber(i.longValue());
    } else {
      g.writeString(i.toString());
    }
  }

  private static void writeDouble(JsonGenerator g, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      g.writeNull(); // as JSON.stringify does
    } else if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
      g.writeNumber((long) d);
    } else {
      g.writeNumber(d); // a double is what a block's numbers are: it arrives exactly
    }
  }

  private static void writeDecimal(JsonGenerator g, BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      if (stripped.precision() - stripped.scale() <= 19) {
        writeInteger(g, stripped.toBigIntegerExact());
      } else { // never expand 1E+999999 into its digits
        g.writeString(-stripped.scale() < 40 ? stripped.toPlainString() : stripped.toString());
      }
      return;
    }
    double approx = d.doubleValue();
    if (!Double.isInfinite(approx) && new BigDecimal(Double.toString(approx)).compareTo(d) == 0) {
      g.writeNumber(d);
    } else {
      g.writeString(
          Math.abs(stripped.scale()) < 40 ? stripped.toPlainString() : stripped.toString());
    }
  }
}
