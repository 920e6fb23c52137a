package dev.conduit.runtime.invoke;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what went over the wire into the masked, capped records of an {@link Exchange}: every
 * secret replaced by ******, credential headers masked whatever their value, bodies cut at a
 * configurable size (request logs and Test API show this much).
 */
public final class Recorder {

  /** The default cap of recorded bodies, in characters. */
  public static final int DEFAULT_BODY_CAP = 16 * 1024;

  public static final Recorder DEFAULT = new Recorder(DEFAULT_BODY_CAP);

  /** How much of an upstream's body an error message quotes. */
  static final int EXCERPT = 300;

  private static final Set<String> ALWAYS_MASKED =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key");

  private final int bodyCap;

  /**
   * @param bodyCap recorded bodies are cut after this many characters
   */
  public Recorder(int bodyCap) {
    if (bodyCap < 0) {
      throw new IllegalArgumentException("bodyCap must not be negative");
    }
    this.bodyCap = bodyCap;
  }

  public int bodyCap() {
    return bodyCap;
  }

  Exchange.SentRequest sent(OutgoingRequest r, Masker masker) {
    return new Exchange.SentRequest(
        r.method(),
        masker.mask(r.uri().toString()),
        headers(r.headers(), masker),
        r.body() == null ? null : cap(masker.mask(new String(r.body(), StandardCharsets.UTF_8))));
  }

  Exchange.ReceivedResponse received(Upstream.Response r, Masker masker) {
    String body = masker.mask(new String(r.body(), StandardCharsets.UTF_8));
    return new Exchange.ReceivedResponse(
        r.status(), headers(r.headers(), masker), cap(body), body.length() > bodyCap);
  }

  private static Map<String, List<String>> headers(
      Map<String, List<String>> headers, Masker masker) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach(
        (k, v) ->
            out.put(
                k,
                ALWAYS_MASKED.contains(k.toLowerCase(Locale.ROOT))
                    ? v.stream().map(x -> Masker.MASK).toList()
                    : v.stream().map(masker::mask).toList()));
    return out;
  }

  private String cap(String s) {
    return s.length() <= bodyCap ? s : s.substring(0, bodyCap);
  }

  /** A short excerpt of a body for error messages (whitespace folded). */
  static String excerpt(String s) {
    String head = s.length() > 4 * EXCERPT ? s.substring(0, 4 * EXCERPT) : s;
    String flat = head.replaceAll("\\s+", " ").strip();
    return flat.length() <= EXCERPT && head.length() == s.length()
        ? flat
        : flat.substring(0, Math.min(EXCERPT, flat.length())) + "...";
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
