// TencentCloud API 3.0 signature v3, TC3-HMAC-SHA256
// (https://www.tencentcloud.com/document/api/1021/34193), for every API of this entry.
//
// The request body is every input of the API, each alias turned into the API's parameter name
// (phone_number_set -> PhoneNumberSet), plus SmsSdkAppId from the connection; empty optional
// inputs are left out. The request template sends this exact text as the raw body, so the hash
// signed is the hash of the bytes sent.
//
// The signing key is a chain of HMACs each keyed with the raw bytes of the previous digest.
// conduit.hmacSha256 takes its key as text, so SHA-256 (FIPS 180-4) and HMAC (RFC 2104) over
// byte arrays are written out below; conduit.sha256 hashes the texts.
var HOST = 'sms.tencentcloudapi.com';
var SERVICE = 'sms';
var CONTENT_TYPE = 'application/json; charset=utf-8';

function main(input) {
  var c = input.connection;
  var body = { SmsSdkAppId: String(c.sms_sdk_app_id) };
  Object.keys(input.input).forEach(function (alias) {
    var v = input.input[alias];
    if (v !== null && v !== undefined && v !== '') {
      body[parameterName(alias)] = v;
    }
  });
  var payload = JSON.stringify(body);
  var timestamp = conduit.nowSeconds();
  var date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  var canonicalRequest = ['POST', '/', '', 'content-type:' + CONTENT_TYPE + '\nhost:' + HOST + '\n',
      'content-type;host', conduit.sha256(payload)].join('\n');
  var scope = date + '/' + SERVICE + '/tc3_request';
  var stringToSign = ['TC3-HMAC-SHA256', String(timestamp), scope, conduit.sha256(canonicalRequest)].join('\n');
  var key = hmac(hmac(hmac(utf8('TC3' + c.secret_key), utf8(date)), utf8(SERVICE)), utf8('tc3_request'));
  return {
    payload: payload,
    timestamp: String(timestamp),
    authorization: 'TC3-HMAC-SHA256 Credential=' + c.secret_id + '/' + scope
        + ', SignedHeaders=content-type;host, Signature=' + hex(hmac(key, utf8(stringToSign)))
  };
}

/** phone_number_set -> PhoneNumberSet, sms_sdk_app_id -> SmsSdkAppId */
function parameterName(alias) {
  return alias.split('_').map(function (w) { return w.charAt(0).toUpperCase() + w.slice(1); }).join('');
}

function utf8(text) {
  var out = [];
  for (var i = 0; i < text.length; i++) {
    var c = text.codePointAt(i);
    if (c > 0xffff) i++;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

function hex(bytes) {
  return bytes.map(function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
}

// SHA-256's constants are defined as the first 32 bits of the fractional parts of the square
// roots (initial hash) and cube roots (round constants) of the first primes: computed, not typed.
var PRIMES = (function () {
  var p = [];
  for (var n = 2; p.length < 64; n++) {
    if (p.every(function (q) { return n % q !== 0; })) p.push(n);
  }
  return p;
})();
function fraction32(x) { return Math.floor((x - Math.floor(x)) * 4294967296) >>> 0; }
var H0 = PRIMES.slice(0, 8).map(function (p) { return fraction32(Math.sqrt(p)); });
var K = PRIMES.map(function (p) { return fraction32(Math.cbrt(p)); });
function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

function sha256(bytes) {
  var m = bytes.slice();
  var bits = bytes.length * 8;
  m.push(0x80);
  while (m.length % 64 !== 56) m.push(0);
  var high = Math.floor(bits / 4294967296);
  m.push((high >>> 24) & 255, (high >>> 16) & 255, (high >>> 8) & 255, high & 255,
      (bits >>> 24) & 255, (bits >>> 16) & 255, (bits >>> 8) & 255, bits & 255);
  var h = H0.slice();
  var w = new Array(64);
  for (var at = 0; at < m.length; at += 64) {
    for (var t = 0; t < 16; t++) {
      w[t] = ((m[at + 4 * t] << 24) | (m[at + 4 * t + 1] << 16) | (m[at + 4 * t + 2] << 8) | m[at + 4 * t + 3]) >>> 0;
    }
    for (t = 16; t < 64; t++) {
      var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) >>> 0;
    }
    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (t = 0; t < 64; t++) {
      var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) >>> 0;
      var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    var round = [a, b, c, d, e, f, g, k];
    for (t = 0; t < 8; t++) h[t] = (h[t] + round[t]) >>> 0;
  }
  var out = [];
  h.forEach(function (x) { out.push((x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255); });
  return out;
}

function hmac(key, message) {
  if (key.length > 64) key = sha256(key);
  var inner = [], outer = [];
  for (var i = 0; i < 64; i++) {
    inner.push((key[i] || 0) ^ 0x36);
    outer.push((key[i] || 0) ^ 0x5c);
  }
  return sha256(outer.concat(sha256(inner.concat(message))));
}
