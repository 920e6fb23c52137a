package dev.conduit.runtime.invoke;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns what went over the wire into masked, capped records. */
final class Recorder {

  /** Bodies in records are cut here (request logs and Test API show this much). */
  static final int BODY_CAP = 16 * 1024;
  static final int EXCERPT = 300;
  private static final Set<String> ALWAYS_MASKED = Set.of("authorization", "proxy-authorization",
      "cookie", "set-cookie", "x-api-key");

  private Recorder() {}

  static Exchange.SentRequest sent(OutgoingRequest r, Masker masker) {
    return new Exchange.SentRequest(r.method(), masker.mask(r.uri().toString()), headers(r.headers(), masker),
        r.body() == null ? null : cap(masker.mask(new String(r.body(), StandardCharsets.UTF_8))));
  }

  static Exchange.ReceivedResponse received(Upstream.Response r, Masker masker) {
    String body = masker.mask(new String(r.body(), StandardCharsets.UTF_8));
    return new Exchange.ReceivedResponse(r.status(), headers(r.headers(), masker), cap(body), body.length() > BODY_CAP);
  }

  private static Map<String, List<String>> headers(Map<String, List<String>> headers, Masker masker) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k, ALWAYS_MASKED.contains(k.toLowerCase(Locale.ROOT))
        ? v.stream().map(x -> Masker.MASK).toList()
        : v.stream().map(masker::mask).toList()));
    return out;
  }

  static String cap(String s) {
    return s.length() <= BODY_CAP ? s : s.substring(0, BODY_CAP);
  }

  /** A short excerpt of a body for error messages. */
  static String excerpt(String s) {
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
