// TencentCloud API 3.0 signature v3, TC3-HMAC-SHA256
// (https://www.tencentcloud.com/document/api/1021/34193), for every API of this entry.
//
// The request body is every input of the API, each alias turned into the API's parameter name
// (phone_number_set -> PhoneNumberSet), plus SmsSdkAppId from the connection; empty optional
// inputs are left out. The request template sends this exact text as the raw body, so the hash
// signed is the hash of the bytes sent.
//
// The signing key is a chain of HMACs each keyed with the raw bytes of the previous digest:
// conduit.hmacSha256HexKey takes its key as hex, which is what the previous HMAC returns.
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
  var secretDate = conduit.hmacSha256('TC3' + c.secret_key, date);
  var key = conduit.hmacSha256HexKey(conduit.hmacSha256HexKey(secretDate, SERVICE), 'tc3_request');
  return {
    payload: payload,
    timestamp: String(timestamp),
    authorization: 'TC3-HMAC-SHA256 Credential=' + c.secret_id + '/' + scope
        + ', SignedHeaders=content-type;host, Signature=' + conduit.hmacSha256HexKey(key, stringToSign)
  };
}

/** phone_number_set -> PhoneNumberSet, sms_sdk_app_id -> SmsSdkAppId */
function parameterName(alias) {
  return alias.split('_').map(function (w) { return w.charAt(0).toUpperCase() + w.slice(1); }).join('');
}
