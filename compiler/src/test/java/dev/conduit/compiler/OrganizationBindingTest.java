package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source bound to an organization serves that organization's commits and no other's. */
class OrganizationBindingTest {

  private static final String ACME = "f0dc6a74-854a-46cb-ab8c-909b7846d34c";
  private static final String GLOBEX = "dc6b3b43-bd3c-4214-a71f-aae77ae271f7";

  @TempDir Path temp;

  @Test
  void boundToItsOwnOrganizationItCompiles() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("acme"));
    Compiler.Result r = DiagnosticCasesTest.compile(repo, OrganizationBinding.to(ACME));
    assertTrue(r.bundle().isPresent(), r.diagnostics().toString());
  }

  @Test
  void boundToAnotherOrganizationItIsRefusedWithC240AndNoBundle() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("acme"));
    Compiler.Result r = DiagnosticCasesTest.compile(repo, OrganizationBinding.to(GLOBEX));
    assertFalse(r.bundle().isPresent());
    Diagnostic d =
        r.diagnostics().stream().filter(x -> x.code() == Code.C240).findFirst().orElseThrow();
    assertEquals("organization.json", d.file());
    assertTrue(d.message().contains(GLOBEX) && d.message().contains(ACME), d.message());
  }

  @Test
  void unboundAnyOrganizationCompiles() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("acme"));
    assertTrue(DiagnosticCasesTest.compile(repo, OrganizationBinding.NONE).bundle().isPresent());
  }
}
