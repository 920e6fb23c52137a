package dev.conduit.code;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * No package of the code-blocks module imports one that imports it back (docs/packages.md has the
 * allowed directions): each package is a slice, and any cycle between slices fails with its path.
 */
class PackageCyclesTest {

  // PENDING (issue 17): dev.conduit.code <-> code.js and code <-> code.python (CodeRunner and
  // CodeChecker in the parent package hold the engines, the engines take the parent's CodeSource
  // and CodeFailure). The code-blocks split (branch hkc) is to remove them; enable this then.
  @Disabled(
      "pending: code <-> code.js and code <-> code.python cycles, issue 17 (codeblocks split)")
  @Test
  void packagesAreFreeOfCycles() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.conduit.code");
    slices().matching("dev.conduit.(**)").should().beFreeOfCycles().check(classes);
  }
}
