// signs the message with the hidden secret (HMAC-SHA256), strips +86
function main(input) {
  return {
    signature: conduit.hmacSha256(input.connection.secret, input.input.msg),
    phone: String(input.input.phone || "").replace(/^\+86\s*/, "")
  };
}
