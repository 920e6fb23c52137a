package dev.conduit.code;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No package of the code-blocks module imports one that imports it back (docs/packages.md has the
 * allowed directions): each package is a slice, and any cycle between slices fails with its path.
 */
class PackageCyclesTest {

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
