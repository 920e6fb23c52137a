function main(input) {
  return input.nothing.here;
}
