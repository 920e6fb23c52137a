package dev.conduit.runtime.identity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HAP's response envelopes, exactly as seed 001's clients parse them. A successful token response
 * has no error_code key at all (HAP clients treat its presence as failure), and expires_in is a
 * string. Without format=json the same fields come as XML.
 */
public final class HapResponses {
  private HapResponses() {}

  /** {"access_token","expires_in","refresh_token","success":true} */
  public static Map<String, Object> token(IdentityProvider.TokenPair pair) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("access_token", pair.accessToken());
    m.put("expires_in", String.valueOf(pair.expiresIn()));
    m.put("refresh_token", pair.refreshToken());
    m.put("success", true);
    return m;
  }

  /** {"success":false,"error_code":N,"error_msg":"..."} */
  public static Map<String, Object> error(IdentityException e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("success", false);
    m.put("error_code", e.error().code());
    m.put("error_msg", e.getMessage());
    return m;
  }

  /** The passport: the eleven fields of seed 001, success and error_code 1. */
  public static Map<String, Object> passport(IdentityProvider.Passport p) {
    var m = p.member();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", m.userId());
    data.put("full_name", m.fullName());
    data.put("account_id", m.accountId());
    data.put("project_id", p.organizationId());
    data.put("email", nz(m.email()));
    data.put("mobile_phone", nz(m.mobilePhone()));
    data.put("department", nz(m.department()));
    data.put("job", nz(m.job()));
    data.put("job_number", nz(m.jobNumber()));
    data.put("work_site", nz(m.workSite()));
    data.put("contact_phone", nz(m.contactPhone()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", data);
    out.put("success", true);
    out.put("error_code", HapError.SUCCESS.code());
    return out;
  }

  /**
   * The same map as XML: {@code <result><key>value</key>...</result>}; nested maps nest. HAP's XML
   * differs from its JSON in two ways its clients rely on: a success carries no success element
   * ({@code <result><access_token>..</access_token><expires_in>..</expires_in>
   * <refresh_token>..</refresh_token></result>}), and an error opens with its error_code.
   */
  public static String xml(Map<String, Object> fields) {
    Map<String, Object> ordered = new LinkedHashMap<>();
    if (fields.containsKey("error_code") && Boolean.FALSE.equals(fields.get("success"))) {
      ordered.put("error_code", fields.get("error_code"));
    }
    fields.forEach(
        (k, v) -> {
          if (!(k.equals("success") && Boolean.TRUE.equals(v))) {
            ordered.putIfAbsent(k, v);
          }
        });
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<result>");
    append(sb, ordered);
    return sb.append("</result>\n").toString();
  }

  @SuppressWarnings("unchecked")
  private static void append(StringBuilder sb, Map<String, Object> fields) {
    fields.forEach(
        (k, v) -> {
          sb.append('<').append(k).append('>');
          if (v instanceof Map<?, ?> nested) {
            append(sb, (Map<String, Object>) nested);
          } else {
            sb.append(escape(String.valueOf(v)));
          }
          sb.append("</").append(k).append('>');
        });
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> sb.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
      }
    }
    return sb.toString();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
