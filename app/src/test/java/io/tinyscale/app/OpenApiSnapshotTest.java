package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's API types are generated from dashboard/openapi.json, a committed copy of the
 * OpenAPI document the app's build writes (target/openapi/openapi.json, written when Quarkus builds
 * the app, for its tests too). A change of the API must be copied there, where the dashboard's
 * build type-checks against it: this test fails until it is.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class OpenApiSnapshotTest {
  private static final Path BUILT = Path.of("target/openapi/openapi.json");
  private static final Path SNAPSHOT = Path.of("../dashboard/openapi.json");

  @Test
  void theDashboardsCopyOfTheOpenApiDocumentIsTheAppsOwn() throws IOException {
    ObjectMapper json = new ObjectMapper();
    assertThat(BUILT)
        .as("the build writes the document (quarkus.smallrye-openapi.store-schema-directory)")
        .exists();
    JsonNode built = json.readTree(BUILT.toFile());
    JsonNode snapshot = json.readTree(SNAPSHOT.toFile());
    assertThat(built)
        .as(
            "dashboard/openapi.json differs from the app's OpenAPI document in %s. Copy it with"
                + " `./tinyscale openapi-snapshot` (or `cp app/target/openapi/openapi.json"
                + " dashboard/openapi.json` after a build), then build the dashboard (`mvn -pl"
                + " dashboard package`), whose type check shows what the change breaks",
            differences(built, snapshot))
        .isEqualTo(snapshot);
  }

  /** Which operations and schemas differ, for the failure message. */
  private static Set<String> differences(JsonNode built, JsonNode snapshot) {
    Set<String> differ = new TreeSet<>();
    for (String section : new String[] {"paths", "components/schemas"}) {
      JsonNode a = built.at("/" + section);
      JsonNode b = snapshot.at("/" + section);
      Set<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!a.path(name).equals(b.path(name))) {
          differ.add(section + " " + name);
        }
      }
    }
    built
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("paths")
                  && !name.equals("components")
                  && !built.get(name).equals(snapshot.path(name))) {
                differ.add(name);
              }
            });
    return differ.isEmpty() ? Set.of("(the rest of the document)") : differ;
  }
}
