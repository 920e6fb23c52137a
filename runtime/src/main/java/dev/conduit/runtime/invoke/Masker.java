package dev.conduit.runtime.invoke;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces every secret (opened hidden parameters, access tokens, Basic credentials) with ****** in
 * text that leaves the engine: recorded requests and responses, error messages, outputs. Each
 * secret is also matched in the forms it takes on the wire: percent-encoded (as a form value and as
 * a query or path segment), JSON-escaped, and inside a Basic header's base64. Values shorter than
 * {@value #MIN_SECRET} characters are not masked (masking "ab" everywhere would garble every
 * record); values derived from a secret (a signature, a hash) are not secrets and are not masked.
 */
public final class Masker {

  public static final String MASK = "******";

  /** Shorter values are not masked: masking "1" or "ab" everywhere would garble all text. */
  static final int MIN_SECRET = 4;

  private final List<String> secrets;
  private final List<String> forms;

  /**
   * The last {@link #with} and its result: calls of a connection add the same access token until it
   * is refreshed, so each call would build the same masker again (every secret's encoded forms,
   * sorted). Immutable, so sharing it between threads is safe; a different token replaces it.
   */
  private record Extended(List<String> more, Masker masker) {}

  private volatile Extended last;

  private Masker(List<String> secrets, List<String> forms) {
    this.secrets = secrets;
    this.forms = forms;
  }

  public static Masker of(Collection<String> secrets) {
    Set<String> kept = new LinkedHashSet<>();
    Set<String> forms = new LinkedHashSet<>();
    for (String s : secrets) {
      if (s == null || s.length() < MIN_SECRET) {
        continue;
      }
      kept.add(s);
      forms.add(s);
      forms.add(URLEncoder.encode(s, StandardCharsets.UTF_8)); // a form: spaces as +
      forms.add(RequestRenderer.encode(s)); // a query or path segment: spaces as %20
      forms.add(s.replace("\\", "\\\\").replace("\"", "\\\""));
    }
    List<String> sorted = new ArrayList<>(forms);
    sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first
    return new Masker(List.copyOf(kept), List.copyOf(sorted));
  }

  /** This masker plus more secrets (e.g. the token of this call, Basic's base64). */
  public Masker with(Collection<String> more) {
    Extended e = last;
    if (e != null && e.more().equals(more)) {
      return e.masker();
    }
    List<String> all = new ArrayList<>(secrets);
    all.addAll(more);
    Masker m = of(all);
    last = new Extended(Collections.unmodifiableList(new ArrayList<>(more)), m);
    return m;
  }

  /** Also masks the base64 of "user:password" as a Basic header carries it. */
  public static String basicToken(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public String mask(String text) {
    if (text == null || forms.isEmpty()) {
      return text;
    }
    String out = text;
    for (String f : forms) {
      if (out.contains(f)) {
        out = out.replace(f, MASK);
      }
    }
    return out;
  }

  /** Masks secrets inside plain data (outputs a code block may have copied a secret into). */
  public Object maskData(Object value) {
    return switch (value) {
      case String s -> mask(s);
      case java.util.Map<?, ?> m -> {
        java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, maskData(v)));
        yield out;
      }
      case List<?> l -> l.stream().map(this::maskData).toList();
      case null -> null;
      default -> value;
    };
  }
}
