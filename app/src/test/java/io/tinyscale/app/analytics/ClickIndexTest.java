package io.tinyscale.app.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.DevStackTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** The monthly click indices on a real OpenSearch node: created ahead, deleted past retention. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class ClickIndexTest {
  @Inject ClickIndex index;

  @Test
  void maintenanceCreatesNextMonthAndDeletesMonthsPastRetention() {
    // in the past, so the months other tests write are in its future, never past retention
    Instant now = Instant.parse("2021-06-15T10:00:00Z");
    index.create(YearMonth.of(2020, 4)); // ended 2020-05-01: 13 months later is 2021-06-01
    index.create(YearMonth.of(2020, 5)); // ends 2020-06-01: kept until 2021-07-01
    assertThat(index.maintain(now)).containsExactly("tinyscale-clicks-2020.04");
    assertThat(index.months())
        .contains(
            "tinyscale-clicks-2020.05", "tinyscale-clicks-2021.06", "tinyscale-clicks-2021.07")
        .doesNotContain("tinyscale-clicks-2020.04");
    assertThat(index.retained(Instant.parse("2020-04-30T23:59:59Z"), now)).isFalse();
    assertThat(index.retained(Instant.parse("2020-05-01T00:00:00Z"), now)).isTrue();
    assertThat(ClickIndex.indexFor(Instant.parse("2021-06-30T23:59:59Z")))
        .isEqualTo("tinyscale-clicks-2021.06");
  }
}
