package dev.conduit.code;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.languages.CodeRunner;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One contract for both languages: the same blocks, written in JavaScript and in Python, take the
 * same data and give the same results; the helper library meets the same known vectors.
 */
class BothLanguagesTest {

  static CodeRunner runner;

  @BeforeAll
  static void start() {
    runner = TestRunners.withPython(1);
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  static Object run(Language language, String js, String py, Object input) throws CodeFailure {
    String file =
        language == Language.JAVASCRIPT ? "connections/sms/code/t.js" : "connections/sms/code/t.py";
    return runner.run(
        new CodeSource(file, language, language == Language.JAVASCRIPT ? js : py),
        input,
        Duration.ofSeconds(20));
  }

  // --- the contract ---

  @ParameterizedTest
  @EnumSource(Language.class)
  void aBeforeBlockTurnsInputsAndConnectionParametersIntoBeforeValues(Language language)
      throws Exception {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("input", Map.of("phone", "+86 138-0013-8000", "message", "hi"));
    input.put("connection", Map.of("app_key", "acme-7731", "region", "cn"));
    Object result =
        run(
            language,
            "function main(input) {\n"
                + "  var phone = input.input.phone.replace(/^\\+86/, '').replace(/[^0-9]/g, '');\n"
                + "  return {phone: phone, sig: conduit.hmacSha256(input.connection.app_key, phone), region: input.connection.region};\n"
                + "}\n",
            "import re\n\n"
                + "def main(input):\n"
                + "    phone = re.sub(r'[^0-9]', '', re.sub(r'^\\+86', '', input['input']['phone']))\n"
                + "    return {'phone': phone, 'sig': conduit.hmacSha256(input['connection']['app_key'], phone),\n"
                + "            'region': input['connection']['region']}\n",
            input);
    assertEquals(
        Map.of(
            "phone",
            "13800138000",
            "sig",
            Helpers.INSTANCE.hmacSha256("acme-7731", "13800138000"),
            "region",
            "cn"),
        result);
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void anAfterBlockSeesInputBeforeAndTheResponse(Language language) throws Exception {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("input", Map.of("id", "x1"));
    input.put("before", Map.of("phone", "13800138000"));
    input.put(
        "response",
        Map.of(
            "status",
            200,
            "headers",
            Map.of("content-type", "application/json"),
            "body",
            Map.of("data", Map.of("id", "x1", "rate", new BigDecimal("0.14")))));
    Object result =
        run(
            language,
            "function main(input) {\n  var d = input.response.body.data;\n"
                + "  return {rows: Array.isArray(d) ? d : [d], status: input.response.status,"
                + " type: input.response.headers['content-type'], phone: input.before.phone};\n}\n",
            "def main(input):\n    d = input['response']['body']['data']\n"
                + "    return {'rows': d if isinstance(d, list) else [d], 'status': input['response']['status'],\n"
                + "            'type': input['response']['headers']['content-type'], 'phone': input['before']['phone']}\n",
            input);
    assertEquals(
        Map.of(
            "rows",
            List.of(Map.of("id", "x1", "rate", new BigDecimal("0.14"))),
            "status",
            200L,
            "type",
            "application/json",
            "phone",
            "13800138000"),
        result);
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void plainDataComesBackAsLinkedHashMapsListsLongsAndBigDecimals(Language language)
      throws Exception {
    Object r =
        run(
            language,
            "function main(i) { return {z: 1, a: [2.5, -3, true, null, 'h\\u00e9llo \\u77ed\\u4fe1'], big: 12345678901234}; }",
            "def main(i):\n    return {'z': 1, 'a': [2.5, -3, True, None, u'h\\xe9llo \\u77ed\\u4fe1'], 'big': 12345678901234}\n",
            Map.of());
    Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, r);
    assertEquals(1L, map.get("z"));
    assertEquals(
        java.util.Arrays.asList(new BigDecimal("2.5"), -3L, true, null, "héllo 短信"), map.get("a"));
    assertEquals(12345678901234L, map.get("big"));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void bigNumbersArriveAsTheirDigitsAndDatesAsIsoStrings(Language language) throws Exception {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("safe", PlainData.MAX_SAFE_INTEGER);
    input.put("big", PlainData.MAX_SAFE_INTEGER + 2);
    input.put("when", Instant.parse("2026-11-23T08:00:00Z"));
    Object r =
        run(
            language,
            "function main(i) { return {safe: i.safe, safeIsNumber: typeof i.safe === 'number', big: i.big,"
                + " bigIsText: typeof i.big === 'string', year: new Date(i.when).getUTCFullYear()}; }",
            "import datetime\n\ndef main(i):\n"
                + "    when = datetime.datetime.strptime(i['when'], '%Y-%m-%dT%H:%M:%SZ')\n"
                + "    return {'safe': i['safe'], 'safeIsNumber': isinstance(i['safe'], (int, long)), 'big': i['big'],\n"
                + "            'bigIsText': isinstance(i['big'], basestring), 'year': when.year}\n",
            input);
    assertEquals(
        Map.of(
            "safe",
            PlainData.MAX_SAFE_INTEGER,
            "safeIsNumber",
            true,
            "big",
            "9007199254740993",
            "bigIsText",
            true,
            "year",
            2026L),
        r);
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void anErrorNamesTheBlockItsLineAndTheMessage(Language language) {
    CodeFailure e =
        assertThrows(
            CodeFailure.class,
            () ->
                run(
                    language,
                    "function main(input) {\n  var n = input.missing;\n  return n.length;\n}\n",
                    "def main(input):\n    n = input['missing']\n    return len(n)\n",
                    Map.of()));
    assertEquals(CodeFailure.Kind.ERROR, e.kind());
    assertEquals(language == Language.JAVASCRIPT ? 3 : 2, e.line());
    assertTrue(
        e.getMessage().matches("connections/sms/code/t\\.(js|py):[23]: (TypeError|KeyError): .*"),
        e.getMessage());
  }

  // --- the helper library, against published vectors ---

  static final String HELPERS_JS =
      "function main(v) {\n  return {\n"
          + "    md5Empty: conduit.md5(''), md5: conduit.md5('abc'), sha1: conduit.sha1('abc'), sha256: conduit.sha256('abc'),\n"
          + "    hmacSha256: conduit.hmacSha256(v.key, v.data), hmacSha1: conduit.hmacSha1(v.key, v.data),\n"
          + "    hmacMd5: conduit.hmacMd5(v.key, v.data), hmacSha256Base64: conduit.hmacSha256Base64(v.key, v.data),\n"
          + "    hmacSha1Base64: conduit.hmacSha1Base64(v.key, v.data), hmacMd5Base64: conduit.hmacMd5Base64(v.key, v.data),\n"
          + "    hmacEmptyKey: conduit.hmacSha256('', ''),\n"
          + "    b64: ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar', 'h\\u00e9llo'].map(conduit.base64Encode),\n"
          + "    unb64: ['Zm9vYmFy', 'aMOpbGxv', 'Zm9vYg', 'Zm9v\\nYmFy'].map(conduit.base64Decode),\n"
          + "    hex: conduit.hexEncode('AZ\\u00e9'), url: conduit.urlEncode('a b&c/\\u00e9~+'),\n"
          + "    unurl: conduit.urlDecode('a%20b%26c%2F%C3%A9~+'), number: conduit.md5(42) === conduit.md5('42'),\n"
          + "    now: conduit.now(), nowSeconds: conduit.nowSeconds(), uuid: conduit.uuid()\n  };\n}\n";
  static final String HELPERS_PY =
      "def main(v):\n    return {\n"
          + "        'md5Empty': conduit.md5(''), 'md5': conduit.md5('abc'), 'sha1': conduit.sha1('abc'), 'sha256': conduit.sha256('abc'),\n"
          + "        'hmacSha256': conduit.hmacSha256(v['key'], v['data']), 'hmacSha1': conduit.hmacSha1(v['key'], v['data']),\n"
          + "        'hmacMd5': conduit.hmacMd5(v['key'], v['data']), 'hmacSha256Base64': conduit.hmacSha256Base64(v['key'], v['data']),\n"
          + "        'hmacSha1Base64': conduit.hmacSha1Base64(v['key'], v['data']), 'hmacMd5Base64': conduit.hmacMd5Base64(v['key'], v['data']),\n"
          + "        'hmacEmptyKey': conduit.hmacSha256('', ''),\n"
          + "        'b64': [conduit.base64Encode(s) for s in ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar', u'h\\xe9llo']],\n"
          + "        'unb64': [conduit.base64Decode(s) for s in ['Zm9vYmFy', 'aMOpbGxv', 'Zm9vYg', 'Zm9v\\nYmFy']],\n"
          + "        'hex': conduit.hexEncode(u'AZ\\xe9'), 'url': conduit.urlEncode(u'a b&c/\\xe9~+'),\n"
          + "        'unurl': conduit.urlDecode('a%20b%26c%2F%C3%A9~+'), 'number': conduit.md5(42) == conduit.md5('42'),\n"
          + "        'now': conduit.now(), 'nowSeconds': conduit.nowSeconds(), 'uuid': conduit.uuid()}\n";

  @ParameterizedTest
  @EnumSource(Language.class)
  void theHelperLibraryMeetsKnownVectors(Language language) throws Exception {
    long before = System.currentTimeMillis();
    // RFC 4231 test case 2 (HMAC-SHA256), RFC 2202 test case 2 (HMAC-SHA1, HMAC-MD5): key "Jefe"
    Map<?, ?> r =
        (Map<?, ?>)
            run(
                language,
                HELPERS_JS,
                HELPERS_PY,
                Map.of("key", "Jefe", "data", "what do ya want for nothing?"));
    long after = System.currentTimeMillis();
    String sha256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    String sha1 = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
    String md5 = "750c783e6ab0b503eaa86e310a5db738";
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", r.get("md5Empty"));
    assertEquals("900150983cd24fb0d6963f7d28e17f72", r.get("md5"));
    assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", r.get("sha1"));
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", r.get("sha256"));
    assertEquals(sha256, r.get("hmacSha256"));
    assertEquals(sha1, r.get("hmacSha1"));
    assertEquals(md5, r.get("hmacMd5"));
    assertEquals(base64(sha256), r.get("hmacSha256Base64"));
    assertEquals(base64(sha1), r.get("hmacSha1Base64"));
    assertEquals(base64(md5), r.get("hmacMd5Base64"));
    assertEquals(
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", r.get("hmacEmptyKey"));
    // RFC 4648 section 10
    assertEquals(
        List.of("", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy", "aMOpbGxv"),
        r.get("b64"));
    assertEquals(List.of("foobar", "héllo", "foob", "foobar"), r.get("unb64"));
    assertEquals("415ac3a9", r.get("hex"));
    assertEquals("a%20b%26c%2F%C3%A9~%2B", r.get("url"));
    assertEquals("a b&c/é~+", r.get("unurl"));
    assertEquals(true, r.get("number"));
    long now = ((Number) r.get("now")).longValue();
    assertTrue(now >= before - 5 && now <= after + 5, before + " <= " + now + " <= " + after);
    assertEquals(now / 1000, ((Number) r.get("nowSeconds")).longValue(), 1.0);
    assertTrue(
        ((String) r.get("uuid"))
            .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
        (String) r.get("uuid"));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void decodersRefuseBadInputWithAClearError(Language language) {
    for (String[] bad :
        new String[][] {
          {"base64Decode", "%%%"},
          {"base64Decode", "Zm9vY"},
          {"base64Decode", "/w=="},
          {"urlDecode", "100%"},
          {"urlDecode", "%zz"}
        }) {
      CodeFailure e =
          assertThrows(
              CodeFailure.class,
              () ->
                  run(
                      language,
                      "function main(i) { return conduit." + bad[0] + "(i.s); }",
                      "def main(i):\n    return conduit." + bad[0] + "(i['s'])\n",
                      Map.of("s", bad[1])));
      assertEquals(CodeFailure.Kind.ERROR, e.kind());
      assertTrue(e.getMessage().contains(bad[0] + ": "), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void byteKeyHmacsMeetKnownVectorsAndChain(Language language) throws Exception {
    // RFC 4231 / RFC 2202 test case 1: key 0x0b repeated, data "Hi There"
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("k20", "0b".repeat(20));
    in.put("k16", "0b".repeat(16));
    in.put("jefe", "4A656665");
    Map<?, ?> r =
        (Map<?, ?>)
            run(
                language,
                "function main(v) {\n  var chained = conduit.hmacSha256HexKey(conduit.hmacSha256HexKey("
                    + "conduit.hmacSha256('TC3secret', '2026-12-02'), 'sms'), 'tc3_request');\n"
                    + "  return {sha256: conduit.hmacSha256HexKey(v.k20, 'Hi There'),"
                    + " sha1: conduit.hmacSha1HexKey(v.k20, 'Hi There'),"
                    + " md5: conduit.hmacMd5HexKey(v.k16, 'Hi There'),"
                    + " upper: conduit.hmacSha256HexKey(v.jefe, 'what do ya want for nothing?'),"
                    + " chained: chained, toHex: conduit.base64ToHex('Zm9vYmFy'),"
                    + " toBase64: conduit.hexToBase64('666F6F626172'), empty: conduit.hmacSha256HexKey('', '')};\n}\n",
                "def main(v):\n"
                    + "    chained = conduit.hmacSha256HexKey(conduit.hmacSha256HexKey("
                    + "conduit.hmacSha256('TC3secret', '2026-12-02'), 'sms'), 'tc3_request')\n"
                    + "    return {'sha256': conduit.hmacSha256HexKey(v['k20'], 'Hi There'),"
                    + " 'sha1': conduit.hmacSha1HexKey(v['k20'], 'Hi There'),"
                    + " 'md5': conduit.hmacMd5HexKey(v['k16'], 'Hi There'),"
                    + " 'upper': conduit.hmacSha256HexKey(v['jefe'], 'what do ya want for nothing?'),"
                    + " 'chained': chained, 'toHex': conduit.base64ToHex('Zm9vYmFy'),"
                    + " 'toBase64': conduit.hexToBase64('666F6F626172'), 'empty': conduit.hmacSha256HexKey('', '')}\n",
                in);
    assertEquals(
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", r.get("sha256"));
    assertEquals("b617318655057264e28bc0b6fb378c8ef146be00", r.get("sha1"));
    assertEquals("9294727a3638bb1c13f48ef8158bfc9d", r.get("md5"));
    assertEquals(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", r.get("upper"));
    // the TC3 key chain, worked out with the JDK's own HMAC over bytes
    byte[] k = mac("TC3secret".getBytes(UTF_8), "2026-12-02");
    k = mac(mac(k, "sms"), "tc3_request");
    assertEquals(HexFormat.of().formatHex(k), r.get("chained"));
    assertEquals("666f6f626172", r.get("toHex"));
    assertEquals("Zm9vYmFy", r.get("toBase64"));
    assertEquals(
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", r.get("empty"));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void byteKeyHelpersRefuseWhatIsNotHexOrBase64ByName(Language language) {
    for (String[] bad :
        new String[][] {
          {"hmacSha256HexKey", "abc", "the key is not hex"},
          {"hmacSha1HexKey", "zz", "the key is not hex"},
          {"hexToBase64", "0x12", "the text is not hex"},
          {"base64ToHex", "%%", "not valid Base64"}
        }) {
      CodeFailure e =
          assertThrows(
              CodeFailure.class,
              () ->
                  run(
                      language,
                      "function main(i) { return conduit." + bad[0] + "(i.s, 'x'); }",
                      "def main(i):\n    return conduit."
                          + bad[0]
                          + "(i['s']"
                          + (bad[0].startsWith("hmac") ? ", 'x'" : "")
                          + ")\n",
                      Map.of("s", bad[1])));
      assertTrue(e.getMessage().contains(bad[0] + ": " + bad[2]), e.getMessage());
    }
  }

  /** Both languages' {@code conduit} hold exactly the helper set Helpers defines, no more. */
  @ParameterizedTest
  @EnumSource(Language.class)
  void bothLanguagesOfferExactlyTheHelperSet(Language language) throws Exception {
    Object names =
        run(
            language,
            "function main(i) { return Object.keys(conduit).sort(); }",
            "def main(i):\n    return sorted(n for n in dir(conduit) if not n.startswith('_'))\n",
            Map.of());
    assertEquals(List.copyOf(Helpers.FUNCTIONS.keySet()), names);
  }

  private static byte[] mac(byte[] key, String data) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(UTF_8));
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }
}
