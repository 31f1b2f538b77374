package io.tinyscale.app.live;

import io.tinyscale.app.http.ProblemException;
import io.tinyscale.core.UuidV7;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where a reconnecting client left off: the id of the last click it received ({@code
 * Last-Event-ID}), and which clicks it is still owed.
 *
 * <p>The id is a UUIDv7, so it carries the time its click was made; every partition of {@code
 * clicks} is read from the first record sent at or after that time less {@link #MARGIN}. A record
 * is sent after its click was made, so the margin only has to absorb clock differences between the
 * server that made the id and the broker's timestamps. From there, in each partition's order:
 *
 * <ul>
 *   <li>until the last click itself is read in a partition, a click is owed when its id is greater
 *       in UUIDv7 order (time, then the generator's count within a millisecond);
 *   <li>once it is read, every later click of that partition is owed, whatever its id.
 * </ul>
 *
 * <p>What this guarantees: a client that resumes with the id of the last click it received loses
 * none and is sent none twice when the clicks it was sent came in id order. That holds for the
 * clicks of one link answered one at a time by one server (one link's clicks share a partition, and
 * one server's ids increase). Beyond that the order across partitions, servers and concurrent
 * redirects is by time only: a click made within moments of the last one and delivered out of id
 * order (two links' clicks that reached Kafka in the other order, two servers' clocks, two event
 * loops of one server in the same millisecond) may be missed or repeated. After the last click, in
 * its own partition, nothing is missed.
 */
final class Resume {
  static final Duration MARGIN = Duration.ofSeconds(5);

  private final UUID last;
  private final Set<Integer> lastSeenIn = new HashSet<>();

  Resume(UUID last) {
    this.last = last;
  }

  /**
   * The header, else the query parameter (for clients that cannot set headers); empty when neither
   * is given. Anything but a UUIDv7 is refused: browsers send back only ids they were sent.
   */
  static Optional<Resume> from(String header, String query) {
    String given = header != null && !header.isBlank() ? header : query;
    if (given == null || given.isBlank()) {
      return Optional.empty();
    }
    try {
      UUID id = UUID.fromString(given.strip());
      if (UuidV7.isV7(id)) {
        return Optional.of(new Resume(id));
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ProblemException.invalid(
        "Last-Event-ID", "must be the id of a click this stream sent (a UUIDv7)");
  }

  /** The time (epoch milliseconds) from which every partition is read. */
  long seekMillis() {
    return UuidV7.millis(last) - MARGIN.toMillis();
  }

  /**
   * Whether the click with {@code eventId}, read next from {@code partition}, is owed; call it for
   * each record in each partition's order.
   */
  boolean owes(int partition, UUID eventId) {
    if (eventId.equals(last)) {
      lastSeenIn.add(partition);
      return false;
    }
    return lastSeenIn.contains(partition) || UuidV7.ORDER.compare(eventId, last) > 0;
  }
}
