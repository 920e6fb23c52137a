package dev.conduit.compiler.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * conduit import of a file someone else made, typed oddly: one error naming the JSON pointer, exit
 * 2 (a usage problem, not a compiler crash), and the repository exactly as it was.
 */
class ImportOddFilesTest {

  private static final String F = "\"format\": \"conduit-connection/1\"";

  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [1, 2]                                                              | at / (the whole file): expected an object, found an array
          "a string"                                                          | at / (the whole file): expected an object, found a string
          not json at all                                                     | not a JSON file
          {FMT, "connection": []}                                             | at /connection: expected an object, found an array
          {FMT, "connection": "wecom"}                                        | at /connection: expected an object, found a string
          {FMT, "connection": {"id": 7}}                                      | at /connection/id: expected a string, found a number
          {FMT, "connection": {"id": "x", "parameters": {}}}                  | at /connection/parameters: expected an array, found an object
          {FMT, "connection": {"id": "x", "parameters": [5]}}                 | at /connection/parameters/0: expected an object, found a number
          {FMT, "connection": {"id": "x", "parameters": [{"hidden": true}]}}  | at /connection/parameters/0/name: a string is missing
          {FMT, "connection": {"id": "x", "parameters": [{"name": "a", "hidden": "yes"}]}} | at /connection/parameters/0/hidden: expected a boolean, found a string
          {FMT, "connection": {"id": "x"}, "apis": []}                        | at /apis: expected an object, found an array
          {FMT, "connection": {"id": "x"}, "apis": {"a/b": 3}}                | at /apis/a~1b: expected an object, found a number
          {FMT, "connection": {"id": "x"}, "apis": {"send": {"id": false}}}   | at /apis/send/id: expected a string, found a boolean
          {FMT, "connection": {"id": "x"}, "code": {"x.js": 5}}               | at /code/x.js: expected a string, found a number
          {FMT, "connection": {"id": "x"}, "code": ["x.js"]}                  | at /code: expected an object, found an array
          """)
  void anOddlyTypedFileIsOneErrorNamingWhereAndWritesNothing(String json, String expected)
      throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("odd.json");
    Files.writeString(file, json.replace("FMT", F));
    List<String> before = tree(repo);

    Run r = Run.conduit("import", file.toString(), repo.toString(), "--as", "odd");

    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());
    assertEquals(before, tree(repo), "nothing written");
  }

  /** --upgrade reads the same file: the same check, before a connection is touched. */
  @Test
  void upgradeChecksTheSameShape() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("odd.json");
    Files.writeString(
        file, "{" + F + ", \"connection\": {\"id\": \"wecom\", \"parameters\": [\"corpid\"]}}");
    List<String> before = tree(repo);

    Run r = Run.conduit("import", file.toString(), repo.toString(), "--upgrade", "wecom");

    assertEquals(2, r.exit(), r.err());
    assertTrue(
        r.err().contains("at /connection/parameters/0: expected an object, found a string"),
        r.err());
    assertEquals(before, tree(repo), "nothing written");
  }

  @Test
  void aBinaryFileIsNotJson() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("odd.bin");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3});
    Run r = Run.conduit("import", file.toString(), repo.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("not a JSON file"), r.err());
  }

  private static List<String> tree(Path repo) throws Exception {
    try (Stream<Path> s = Files.walk(repo)) {
      return s.map(p -> repo.relativize(p).toString() + ":" + p.toFile().length())
          .sorted()
          .toList();
    }
  }
}
