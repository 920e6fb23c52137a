// Aliyun RPC signature, version 1.0 with HMAC-SHA1 (https://help.aliyun.com/document_detail/25492.html, and for SMS
// https://www.alibabacloud.com/help/zh/doc-detail/252839.htm): every parameter but Signature,
// sorted by name, percent-encoded (RFC 3986: all but A-Z a-z 0-9 - _ . ~, space as %20, which
// is what conduit.urlEncode does), joined with & into the canonical query; the text signed is
// GET&%2F&<the canonical query encoded once more>, the key the AccessKey secret followed by &.
// The request template sends exactly the parameters returned here, each as {{before.NAME}}.
// Shared by every block of this entry ("shared" in each API's before block).
function sign(connection, action, own) {
  var p = {
    AccessKeyId: connection.access_key_id,
    Action: action,
    Format: 'JSON',
    RegionId: 'cn-hangzhou',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: conduit.uuid(),
    SignatureVersion: '1.0',
    Timestamp: new Date(conduit.now()).toISOString().replace(/\.[0-9]+Z$/, 'Z'),
    Version: '2017-05-25'
  };
  Object.keys(own).forEach(function (k) { p[k] = String(own[k]); });
  var canonical = Object.keys(p).sort().map(function (k) {
    return conduit.urlEncode(k) + '=' + conduit.urlEncode(p[k]);
  }).join('&');
  p.Signature = conduit.hmacSha1Base64(connection.access_key_secret + '&',
      'GET&' + conduit.urlEncode('/') + '&' + conduit.urlEncode(canonical));
  return p;
}
