package io.tinyscale.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The app's slices (DESIGN.md, "Layout"): features may use the shared packages and each other; the
 * shared packages, {@code http} and {@code platform}, import no feature, so that every feature
 * registers its own routes, filters and health checks.
 */
class ArchitectureTest {
  private static final String[] FEATURES = {
    "..app.redirect..",
    "..app.capture..",
    "..app.link..",
    "..app.account..",
    "..app.ratelimit..",
    "..app.pipeline..",
    "..app.admin..",
    "..app.analytics..",
    "..app.live..",
    "..app.dashboard.."
  };

  private static final JavaClasses APP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tinyscale.app");

  @Test
  void sharedPackagesImportNoFeature() {
    noClasses()
        .that()
        .resideInAnyPackage("..app.http..", "..app.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FEATURES)
        .because("shared packages serve every feature and know none")
        .check(APP);
  }

  @Test
  void generatedRowsStayInRepositories() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..app.pipeline..")
        .and()
        .haveSimpleNameNotEndingWith("Repository")
        .and()
        .haveSimpleNameNotEndingWith("Store")
        .and()
        .doNotHaveSimpleName("AdminTool")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.tinyscale.storage.jooq..")
        .because(
            "repositories return domain records (Link, Account), never generated jOOQ rows;"
                + " the pipeline's consumers write their own tables")
        .check(APP);
  }

  @Test
  void coreKnowsNoFramework() {
    noClasses()
        .that()
        .resideInAPackage("io.tinyscale.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..", "io.vertx..", "jakarta..", "org.jooq..", "io.tinyscale.app..")
        .check(new ClassFileImporter().importPackages("io.tinyscale.core"));
  }
}
