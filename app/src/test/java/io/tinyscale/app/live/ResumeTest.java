package io.tinyscale.app.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.app.http.ProblemException;
import io.tinyscale.core.UuidV7;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which clicks a resuming stream is owed. */
class ResumeTest {
  private static final int P0 = 0;
  private static final int P1 = 1;

  private static List<UUID> ids(int n) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(UuidV7.next());
    }
    return ids;
  }

  @Test
  void inOnePartitionTheClicksAfterTheLastAreOwedAndNoOther() {
    List<UUID> ids = ids(10);
    Resume resume = new Resume(ids.get(4));
    List<UUID> owed = ids.stream().filter(id -> resume.owes(P0, id)).toList();
    assertThat(owed).isEqualTo(ids.subList(5, 10));
  }

  @Test
  void afterTheLastItsPartitionOwesEveryClickWhateverItsId() {
    List<UUID> ids = ids(4);
    Resume resume = new Resume(ids.get(2));
    assertThat(resume.owes(P0, ids.get(0))).isFalse();
    assertThat(resume.owes(P0, ids.get(2))).as("the last one itself").isFalse();
    // another server's click with an earlier id, sent after the last one
    assertThat(resume.owes(P0, ids.get(1))).isTrue();
    assertThat(resume.owes(P0, ids.get(3))).isTrue();
  }

  @Test
  void otherPartitionsAreJudgedByIdOrder() {
    List<UUID> ids = ids(4);
    Resume resume = new Resume(ids.get(2));
    assertThat(resume.owes(P0, ids.get(2))).isFalse();
    assertThat(resume.owes(P1, ids.get(1))).isFalse();
    assertThat(resume.owes(P1, ids.get(3))).isTrue();
  }

  @Test
  void seeksBeforeTheTimeOfTheLastClick() {
    UUID last = UuidV7.next();
    assertThat(new Resume(last).seekMillis())
        .isEqualTo(UuidV7.millis(last) - Resume.MARGIN.toMillis());
  }

  @Test
  void takesTheHeaderFirstAndRefusesWhatIsNoClickId() {
    UUID header = UuidV7.next();
    UUID query = UuidV7.next();
    Resume both = Resume.from(header.toString(), query.toString()).orElseThrow();
    assertThat(both.owes(P0, header)).as("the header's id is the last one").isFalse();
    assertThat(Resume.from(null, query.toString())).isPresent();
    assertThat(Resume.from(" ", null)).isEmpty();
    assertThat(Resume.from(null, null)).isEmpty();
    for (String bad : new String[] {"nope", UUID.randomUUID().toString(), "1-2-3-4-5"}) {
      assertThatThrownBy(() -> Resume.from(bad, null)).as(bad).isInstanceOf(ProblemException.class);
    }
  }
}
