package io.tinyscale.app.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A random code that is taken costs one more attempt, never a failed request or a duplicate. */
class FreeCodeTest {
  private final List<String> tried = new ArrayList<>();

  private Optional<String> insertUnlessTaken(String code, Set<String> taken) {
    tried.add(code);
    return taken.contains(code) ? Optional.empty() : Optional.of(code);
  }

  @Test
  void aTakenCodeIsFollowedByAnotherUntilOneIsFree() {
    Iterator<String> codes = List.of("aaaaaaa", "bbbbbbb", "ccccccc", "ddddddd").iterator();
    String created =
        LinkService.withFreeCode(
            codes::next, code -> insertUnlessTaken(code, Set.of("aaaaaaa", "bbbbbbb")));
    assertEquals("ccccccc", created);
    assertEquals(List.of("aaaaaaa", "bbbbbbb", "ccccccc"), tried);
  }

  @Test
  void aFreeCodeAtOnceCostsOneInsert() {
    String created =
        LinkService.withFreeCode(() -> "xxxxxxx", code -> insertUnlessTaken(code, Set.of()));
    assertEquals("xxxxxxx", created);
    assertEquals(1, tried.size());
  }

  @Test
  void givesUpAfterFiveCollisionsInARow() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                LinkService.withFreeCode(
                    () -> "taken00", code -> insertUnlessTaken(code, Set.of("taken00"))));
    assertEquals(5, tried.size());
    assertEquals("no free short code after 5 attempts", e.getMessage());
  }
}
