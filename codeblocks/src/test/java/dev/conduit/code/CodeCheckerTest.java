package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.languages.CodeChecker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compiler's check of code files: the real parsers, the file's own line and column, main, the
 * guard.
 */
class CodeCheckerTest {

  static final CodeChecker CHECKER = new CodeChecker();

  static List<CodeProblem> js(String text) {
    return CHECKER.check(new CodeSource("connections/sms/code/sign.js", Language.JAVASCRIPT, text));
  }

  static List<CodeProblem> py(String text) {
    return CHECKER.check(
        new CodeSource("connections/sms/code/strip_prefix.py", Language.PYTHON, text));
  }

  static CodeProblem only(List<CodeProblem> problems) {
    assertEquals(1, problems.size(), problems.toString());
    return problems.getFirst();
  }

  @Test
  void aGoodBlockHasNoProblemsInEitherLanguage() {
    assertEquals(
        List.of(),
        js(
            "// signs the request\nfunction main(input) {\n  return {sig: conduit.md5(input.x)};\n}\n"));
    assertEquals(
        List.of(),
        py("import re\n\ndef main(input):\n    return {'x': re.sub('a', 'b', input['x'])}\n"));
  }

  @Test
  void aJavaScriptFileThatEndsTooSoonIsASyntaxErrorNotAMissingMain() {
    CodeProblem p = only(js("function main(input) {\n  return {a: 1};\n"));
    assertEquals(false, p.message().contains("main(input)"), p.message());
    assertEquals(true, p.message().startsWith("JavaScript syntax error"), p.message());
  }

  @Test
  void javaScriptSyntaxErrorsAtTheirLineAndColumn() {
    CodeProblem p = only(js("function main(input) {\n  var a = 1;\n  return {;\n}\n"));
    assertEquals("connections/sms/code/sign.js", p.file());
    assertEquals(3, p.line());
    assertEquals(11, p.column()); // the ';' after '{'
    assertTrue(p.message().startsWith("JavaScript syntax error: "), p.message());
    assertTrue(
        !p.message().contains("sign.js:"),
        "the location is in the fields, not repeated: " + p.message());
    assertEquals(false, p.missingMain());
    CodeProblem unclosed = only(js("function main(input) {\n  return 'abc;\n}\n"));
    assertEquals(2, unclosed.line());
    assertEquals(
        15, unclosed.column()); // the end of the line, where GraalJS finds the string unterminated
  }

  @Test
  void aJavaScriptBlockWithoutATopLevelMain() {
    CodeProblem p = only(js("function handle(input) { return input; }\n"));
    assertTrue(p.missingMain());
    assertEquals("the block defines no main(input) function", p.message());
    assertTrue(
        only(js("function outer() { function main(input) {} }\n")).missingMain(),
        "main nested in a function");
    assertTrue(
        only(js("if (true) { function main(input) {} }\n")).missingMain(),
        "main nested in a block");
    assertEquals(List.of(), js("const main = (input) => input;\n"));
    assertEquals(List.of(), js("var main = function (input) { return input; };\n"));
    assertEquals(
        List.of(),
        js("'use strict';\nfunction main(input) { return input; }\n// no newline at the end"));
  }

  @Test
  void theCheckerNeverRunsAJavaScriptBlock() {
    // each would hang, throw or allocate without end if its top level ran
    assertEquals(List.of(), js("while (true) {}\nfunction main(input) { return 1; }\n"));
    assertEquals(List.of(), js("throw new Error('ran');\nfunction main(input) { return 1; }\n"));
    assertEquals(
        List.of(),
        js("var a = []; for (;;) a.push(new Array(1e6));\nfunction main(i) { return 1; }\n"));
  }

  @Test
  void pythonSyntaxErrorsAtTheirLineAndColumnNameTheLanguageLevel() {
    CodeProblem p = only(py("def main(input):\n    x = 1\n    return {;\n"));
    assertEquals("connections/sms/code/strip_prefix.py", p.file());
    assertEquals(3, p.line());
    assertEquals(13, p.column()); // the ';'
    assertTrue(p.message().startsWith("Python syntax error: "), p.message());
    assertTrue(p.message().contains("Python 2.7"), p.message());
    CodeProblem indent = only(py("def main(input):\n  x = 1\n   y = 2\n"));
    assertEquals(3, indent.line());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      f-string            | def main(input):\\n    return f'{input}'\\n                       | 2 | f-strings are Python 3 only
      async def           | async def main(input):\\n    return 1\\n                        | 1 | async and await are Python 3 only
      nonlocal            | def main(input):\\n    def f():\\n        nonlocal x\\n    return 1\\n | 3 | nonlocal is Python 3 only
      walrus              | def main(input):\\n    if (n := 1):\\n        return n\\n          | 2 | the walrus operator
      type hints          | def main(input: dict) -> dict:\\n    return input\\n            | 1 | type hints are Python 3 only
      print end=          | def main(input):\\n    print('x', end='')\\n                     | 2 | print(..., end=...)
      starred assignment  | def main(input):\\n    a, *rest = [1, 2]\\n                      | 2 | starred assignment
      dict unpacking      | def main(input):\\n    return {**input}\\n                       | 2 | unpacking with * or **
      raise from          | def main(input):\\n    raise ValueError('x') from None\\n        | 2 | raise ... from ...
      yield from          | def main(input):\\n    yield from [1]\\n                         | 2 | yield from is Python 3 only
      keyword-only        | def main(input, *, strict):\\n    return 1\\n                    | 1 | keyword-only arguments
      """)
  void python3ConstructsAreNamedWithTheLanguageLevel(
      String construct, String text, int line, String hint) {
    CodeProblem p = only(py(text.replace("\\n", "\n")));
    assertEquals(line, p.line(), p.message());
    assertTrue(
        p.message().contains("Python blocks run on Jython, whose language level is Python 2.7"),
        p.message());
    assertTrue(p.message().contains(hint), construct + ": " + p.message());
  }

  @Test
  void python2SyntaxIsFine() {
    assertEquals(
        List.of(),
        py(
            "def main(input):\n    print 'debug', input\n    try:\n        x = 1 / 0\n"
                + "    except ZeroDivisionError, e:\n        x = 0\n    return {'n': x, 'u': u'\\u77ed\\u4fe1'}\n"));
    assertEquals(
        List.of(),
        py(
            "from __future__ import print_function, division\n\ndef main(input):\n"
                + "    print('x', end='')\n    return 1 / 2\n"));
    assertEquals(List.of(), py("# -*- coding: utf-8 -*-\ndef main(input):\n    return u'短信'\n"));
  }

  @Test
  void aCodingDeclarationIsAnyCommentLineNamingCodingAmongTheFirstTwo() {
    // blanked before the compile (the text is already decoded): a shebang first, then an
    // indented editor line whose "fileencoding=" is a declaration to Python too
    assertEquals(
        List.of(),
        py(
            "#!/usr/bin/env python\n \t# vim: set fileencoding=latin-1 :\n"
                + "def main(input):\n    return u'\u77ed'\n"));
    // a line of code is never blanked, even with the word in its comment: Jython then reads a
    // declaration there and says so (blanked, the block would lose its main instead)
    CodeProblem p = only(py("main = lambda input: input  # coding: utf-8\n"));
    assertEquals(1, p.line());
    assertTrue(p.message().contains("encoding declaration in Unicode string"), p.message());
  }

  @Test
  void aPythonBlockWithoutATopLevelMain() {
    CodeProblem p = only(py("def handle(input):\n    return input\n"));
    assertTrue(p.missingMain());
    assertEquals(1, p.line());
    assertTrue(
        only(py("class X(object):\n    def main(self, input):\n        return 1\n")).missingMain());
    assertEquals(List.of(), py("main = lambda input: input\n"));
  }

  @Test
  void theCheckerNeverRunsAPythonBlock() {
    assertEquals(List.of(), py("while True:\n    pass\n\ndef main(input):\n    return 1\n"));
    assertEquals(List.of(), py("raise SystemExit(3)\n\ndef main(input):\n    return 1\n"));
  }

  @Test
  void pythonConstructsTheWorkerRefusesAreReportedAtTheirLineAndColumn() {
    List<CodeProblem> problems =
        py(
            "import os\nimport json\n\ndef main(input):\n    x = ().__class__\n"
                + "    y = open('/etc/passwd')\n    exec 'z = 1'\n    json.dumps = None\n    return input.func_globals\n");
    assertEquals(
        List.of(
            "1:1 import of 'os' is not allowed in code blocks",
            "5:9 '__class__' is not allowed in code blocks",
            "6:9 'open' is not available in code blocks",
            "7:5 the exec statement is not allowed in code blocks",
            "8:5 changing 'json' is not allowed in code blocks",
            "9:12 'func_globals' is not allowed in code blocks"),
        problems.stream()
            .map(
                p ->
                    p.line()
                        + ":"
                        + p.column()
                        + " "
                        + p.message()
                            .replaceAll(" \\(.*", "")
                            .replaceAll("(allowed in code blocks).*", "$1"))
            .toList());
    assertTrue(problems.stream().noneMatch(CodeProblem::missingMain));
    assertEquals(
        List.of(),
        py("def open(x):\n    return x\n\ndef main(input):\n    return open(input)\n"),
        "a block's own function called open is its business");
  }

  @Test
  void problemsPrintAsFileLineColumnMessage() {
    assertEquals("a.js:3:4: boom", new CodeProblem("a.js", 3, 4, "boom").toString());
  }
}
