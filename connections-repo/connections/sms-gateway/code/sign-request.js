// The gateway authenticates each request with
//   X-Timestamp: seconds since the epoch
//   X-Signature: hex HMAC-SHA256 of "<app_key>\n<timestamp>\n<phone>" keyed by the app secret.
// It also wants domestic numbers without the "+86" prefix.
function main(input) {
  const phone = String(input.input.phone).replace(/^\+86\s*/, "").replace(/[\s-]/g, "");
  const timestamp = String(conduit.nowSeconds());
  const payload = input.connection.app_key + "\n" + timestamp + "\n" + phone;
  return {
    phone: phone,
    timestamp: timestamp,
    signature: conduit.hmacSha256(input.connection.app_secret, payload)
  };
}
