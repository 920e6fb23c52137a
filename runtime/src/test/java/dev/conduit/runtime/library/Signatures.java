package dev.conduit.runtime.library;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The upstream's side of request signing, for entries whose code blocks sign requests: each check
 * recomputes the signature from the request as received, the way the provider documents it, with
 * the JDK's own HMAC (independent of the entry's JavaScript), and says what differs.
 */
final class Signatures {
  private Signatures() {}

  /**
   * Aliyun RPC signature 1.0 (HMAC-SHA1) of a GET request:
   * https://help.aliyun.com/document_detail/25492.html.
   */
  static List<String> aliyunRpc(StandIn.Received got, String accessKeyId, String secret)
      throws Exception {
    List<String> p = new ArrayList<>();
    Map<String, String> params = new TreeMap<>();
    String raw = got.uri().getRawQuery() == null ? "" : got.uri().getRawQuery();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
    }
    String signature = params.remove("Signature");
    if (!accessKeyId.equals(params.get("AccessKeyId"))) {
      p.add("AccessKeyId " + params.get("AccessKeyId") + ", expected the connection's");
    }
    for (String required :
        List.of("Action", "Timestamp", "SignatureNonce", "SignatureMethod", "Version")) {
      if (!params.containsKey(required)) {
        p.add("no " + required + " parameter");
      }
    }
    StringBuilder canonical = new StringBuilder();
    params.forEach(
        (k, v) ->
            canonical
                .append(canonical.isEmpty() ? "" : "&")
                .append(rfc3986(k))
                .append('=')
                .append(rfc3986(v)));
    String toSign = "GET&%2F&" + rfc3986(canonical.toString());
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    String want =
        java.util.Base64.getEncoder()
            .encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    if (!want.equals(signature)) {
      p.add("Aliyun signature " + signature + " does not verify (expected " + want + ")");
    }
    return p;
  }

  private static final Pattern TC3 =
      Pattern.compile(
          "TC3-HMAC-SHA256 Credential=([^/]+)/([0-9-]+)/([a-z]+)/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})");

  /**
   * TencentCloud API 3.0 signature v3 (TC3-HMAC-SHA256) of a JSON POST:
   * https://www.tencentcloud.com/document/api/1021/34193. {@code host} is the provider's host the
   * request was meant for (the stand-in is reached under another one).
   */
  static List<String> tc3(StandIn.Received got, String host, String secretId, String secretKey)
      throws Exception {
    List<String> p = new ArrayList<>();
    String authorization = got.headers().getFirst("Authorization");
    Matcher m = TC3.matcher(authorization == null ? "" : authorization);
    if (!m.matches()) {
      p.add("Authorization is not a TC3-HMAC-SHA256 credential: " + authorization);
      return p;
    }
    if (!secretId.equals(m.group(1))) {
      p.add("credential names SecretId " + m.group(1) + ", expected the connection's");
    }
    String timestamp = got.headers().getFirst("X-TC-Timestamp");
    String date =
        Instant.ofEpochSecond(Long.parseLong(timestamp))
            .atOffset(ZoneOffset.UTC)
            .toLocalDate()
            .toString();
    if (!date.equals(m.group(2))) {
      p.add("credential date " + m.group(2) + " is not the X-TC-Timestamp's " + date);
    }
    String contentType = got.headers().getFirst("Content-Type");
    String canonical =
        "POST\n/\n\ncontent-type:"
            + contentType
            + "\nhost:"
            + host
            + "\n\ncontent-type;host\n"
            + sha256Hex(got.body());
    String scope = date + "/" + m.group(3) + "/tc3_request";
    String toSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + sha256Hex(canonical);
    byte[] key = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, m.group(3));
    key = hmac(key, "tc3_request");
    String want = HexFormat.of().formatHex(hmac(key, toSign));
    if (!want.equals(m.group(4))) {
      p.add("TC3 signature " + m.group(4) + " does not verify (expected " + want + ")");
    }
    return p;
  }

  private static byte[] hmac(byte[] key, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String rfc3986(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
