package io.tinyscale.app.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The click journal on a real file system, without engines. */
class ClickJournalTest {
  private static final long SEGMENT = 256 * 1024;
  private static final long ROOM = 64 * SEGMENT;

  @TempDir Path dir;

  private static byte[] click(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<ClickJournal.Entry> entries) {
    return entries.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
  }

  private static List<String> readAll(ClickJournal journal) {
    List<String> all = new ArrayList<>();
    for (List<ClickJournal.Entry> page = journal.read(1000);
        !page.isEmpty();
        page = journal.read(1000)) {
      all.addAll(texts(page));
    }
    return all;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".journal")).sorted().toList();
    }
  }

  @Test
  void readsRecordsInTheOrderTheyWereAppendedAcrossSegments() throws IOException {
    List<String> written = new ArrayList<>();
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      String filler = "x".repeat(1000);
      for (int i = 0; i < 1000; i++) { // about 1 MB: four segments of 256 KB
        written.add(i + filler);
        assertThat(journal.append(click(i + filler))).isEqualTo(i + 1);
      }
      assertThat(segmentFiles()).hasSizeGreaterThanOrEqualTo(4);
      assertThat(readAll(journal)).isEqualTo(written);
      assertThat(journal.read(10)).as("caught up").isEmpty();
      journal.append(click("later"));
      assertThat(texts(journal.read(10))).containsExactly("later");
    }
  }

  @Test
  void acknowledgedSegmentsAreDeletedAndNotReadAgain() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      for (int i = 0; i < 600; i++) {
        journal.append(click(i + "y".repeat(1000)));
      }
      List<ClickJournal.Entry> first = journal.read(300);
      long before = segmentFiles().size();
      journal.acknowledge(first.getLast().next());
      assertThat(segmentFiles().size()).isLessThan((int) before);
      assertThat(journal.backlogBytes()).isBetween(300 * 1000L, 300 * 1100L);
    }
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      List<String> again = readAll(journal);
      assertThat(again).hasSize(300);
      assertThat(again.getFirst()).startsWith("300y");
    }
  }

  @Test
  void whatWasReadButNotAcknowledgedIsReadAgainAfterACrash() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      journal.append(click("a"));
      journal.append(click("b"));
      journal.acknowledge(journal.read(1).getFirst().next()); // "a" acknowledged by Kafka
      assertThat(texts(journal.read(10))).containsExactly("b"); // sent, never acknowledged
    } // the process dies here
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      assertThat(readAll(journal)).containsExactly("b");
      journal.append(click("c"));
      assertThat(texts(journal.read(10))).containsExactly("c");
      journal.rewind(); // a send failed: read again from the acknowledged position
      assertThat(readAll(journal)).containsExactly("b", "c");
    }
  }

  @Test
  void aTornLastRecordIsSkippedAndCounted() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      journal.append(click("whole"));
    }
    Path segment = segmentFiles().getLast();
    // a crash after the length was written but before the payload and checksum were
    long end = ClickJournal.HEADER + 8 + 8;
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).putInt(0, Integer.reverseBytes(40)), end);
    }
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      assertThat(readAll(journal)).containsExactly("whole");
      assertThat(journal.corruptRecords()).isEqualTo(1);
    }
  }

  @Test
  void aFlippedByteFailsTheChecksumAndOnlyThatRecordIsLost() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      journal.append(click("first"));
      journal.append(click("second"));
      journal.append(click("third"));
    }
    Path segment = segmentFiles().getLast();
    long secondPayload = ClickJournal.HEADER + 8 + 8 + 8; // "first" is padded to 8 bytes
    try (FileChannel channel =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(click("S")), secondPayload);
    }
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      assertThat(readAll(journal)).containsExactly("first", "third");
      assertThat(journal.corruptRecords()).isEqualTo(1);
    }
  }

  @Test
  void anImpossibleLengthSkipsTheRestOfItsSegment() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      journal.append(click("kept"));
      journal.append(click("lost"));
    }
    try (FileChannel channel =
        FileChannel.open(segmentFiles().getLast(), StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).putInt(0, Integer.MAX_VALUE), ClickJournal.HEADER + 12);
    }
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      journal.append(click("new"));
      assertThat(readAll(journal)).containsExactly("kept", "new");
      assertThat(journal.corruptRecords()).isEqualTo(1);
    }
  }

  @Test
  void aSegmentThatCannotBeReadIsMovedAsideNotDeleted() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      journal.append(click("x"));
    }
    Path segment = segmentFiles().getLast();
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(click("JUNK")), 0);
    }
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      assertThat(readAll(journal)).isEmpty();
      assertThat(journal.corruptRecords()).isEqualTo(1);
    }
    assertThat(dir.resolve("corrupt").resolve(segment.getFileName())).exists();
  }

  @Test
  void aFullJournalRefusesAppendsUntilKafkaHasCaughtUp() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, 2 * SEGMENT)) {
      byte[] record = click("z".repeat(10_000));
      int accepted = 0;
      while (journal.append(record) > 0) {
        accepted++;
      }
      assertThat(accepted).as("two segments' worth").isBetween(40, 52);
      assertThat(journal.append(record)).isEqualTo(-1);
      List<ClickJournal.Entry> all = journal.read(1000);
      journal.acknowledge(all.getLast().next());
      assertThat(journal.append(record)).as("room again").isPositive();
    }
  }

  @Test
  void aSegmentThatCannotBeCreatedRefusesAppendsWithoutFailing() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      byte[] record = click("w".repeat(10_000));
      for (Path f : segmentFiles()) {
        Files.delete(f); // unlinked but still mapped: the writer keeps its segment
      }
      Files.delete(dir.resolve("position"));
      Files.delete(dir.resolve("lock"));
      Files.delete(dir);
      Files.writeString(dir, "not a directory any more"); // every new segment file now fails
      long refused = 0;
      for (int i = 0; i < 100; i++) {
        refused += journal.append(record) == -1 ? 1 : 0;
      }
      assertThat(refused).as("once the first segment is full").isBetween(70L, 80L);
      Files.delete(dir);
      Files.createDirectories(dir);
      // tried again a second after the failure, not on every click meanwhile
      Waits.until("the disk has room again", () -> journal.append(record) > 0);
    }
  }

  @Test
  void anInterruptedThreadNeitherFailsNorClosesTheJournal() throws IOException {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      byte[] record = click("v".repeat(10_000));
      Thread.currentThread().interrupt();
      try {
        for (int i = 0; i < 100; i++) { // four segment rolls, each creating a file
          assertThat(journal.append(record)).isPositive();
        }
        List<ClickJournal.Entry> all = journal.read(1000);
        journal.acknowledge(all.getLast().next()); // writes the position file
        assertThat(Thread.currentThread().isInterrupted()).as("the status is kept").isTrue();
      } finally {
        Thread.interrupted();
      }
      journal.append(click("after"));
      assertThat(texts(journal.read(10))).containsExactly("after");
    }
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      assertThat(readAll(journal))
          .as("the position was written: only the unacknowledged record comes back")
          .containsExactly("after");
    }
  }

  @Test
  void concurrentWritersLoseNothingAndKeepEachWritersOrder() throws Exception {
    int writers = 4;
    int each = 5_000;
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, 1024 * SEGMENT)) {
      Thread spares =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      journal.prepareSpare();
                    }
                  });
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        start.await();
                      } catch (InterruptedException e) {
                        return;
                      }
                      for (int i = 0; i < each; i++) {
                        journal.append(click(writer + ":" + i + ":" + "p".repeat(50)));
                      }
                    }));
      }
      start.countDown();
      List<String> read = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (read.size() < writers * each && System.nanoTime() < deadline) {
        read.addAll(texts(journal.read(1000))); // while the writers write and roll segments
      }
      for (Thread t : threads) {
        t.join();
      }
      spares.interrupt();
      read.addAll(readAll(journal));
      assertThat(read).hasSize(writers * each).doesNotHaveDuplicates();
      Map<String, Integer> last = new HashMap<>();
      for (String r : read) {
        String[] parts = r.split(":");
        int i = Integer.parseInt(parts[1]);
        assertThat(i).isEqualTo(last.getOrDefault(parts[0], -1) + 1);
        last.put(parts[0], i);
      }
    }
  }

  @Test
  void aSecondUserOfTheSameDirectoryIsRefused() throws Exception {
    try (ClickJournal journal = ClickJournal.open(dir, SEGMENT, ROOM)) {
      assertThatThrownBy(() -> ClickJournal.open(dir, SEGMENT, ROOM))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another process");
      // and another process, which is what the lock is for
      Process other =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  OpenJournal.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(other.exitValue()).as(output).isEqualTo(3);
    }
  }

  /** Opens a journal in another JVM: exit 3 when it is refused, 0 when it opens. */
  public static final class OpenJournal {
    public static void main(String[] args) throws IOException {
      try (ClickJournal journal = ClickJournal.open(Path.of(args[0]), SEGMENT, ROOM)) {
        System.exit(0);
      } catch (IllegalStateException e) {
        System.exit(3);
      }
    }
  }
}
