// WeCom wants recipients as one string, "userid1|userid2", not as an array.
function main(input) {
  return { touser: input.input.touser.join("|") };
}
