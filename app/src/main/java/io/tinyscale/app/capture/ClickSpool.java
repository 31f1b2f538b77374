package io.tinyscale.app.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Clicks that could not be handed to Kafka, on local disk until they can.
 *
 * <p>Append-only segment files of one encoded event per line ({@code clicks-<n>.spool}). Callers
 * only enqueue; one writer thread appends and fsyncs once per batch of whatever has queued, so a
 * burst costs one fsync, not one per click. A segment is closed when it reaches {@link
 * #SEGMENT_BYTES} or when the drainer asks for it; closed segments are replayed oldest first and
 * deleted only after every event in them was acknowledged by Kafka. The total size is bounded: past
 * {@code maxBytes} new clicks are refused (counted and logged by the caller).
 */
final class ClickSpool implements AutoCloseable {
  static final long SEGMENT_BYTES = 8L << 20;
  private static final Logger LOG = Logger.getLogger(ClickSpool.class);
  private static final byte NEWLINE = '\n';

  private final Path dir;
  private final long maxBytes;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(65_536);
  private final AtomicLong bytes = new AtomicLong();
  private final Thread writer;
  private final Object lock = new Object();
  private long nextSegment;
  private FileChannel current;
  private Path currentPath;
  private long currentSize;
  private volatile boolean closed;
  private FileChannel ownership;
  private final IntConsumer lost;

  /** {@code lost}: told how many queued clicks could not be written (a full disk, an I/O error). */
  ClickSpool(Path dir, long maxBytes, IntConsumer lost) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.lost = lost;
    try {
      Files.createDirectories(dir);
      ownership = own(dir);
      for (Path segment : segments()) {
        bytes.addAndGet(Files.size(segment));
        nextSegment = Math.max(nextSegment, number(segment) + 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the click spool directory " + dir, e);
    }
    writer = Thread.ofPlatform().daemon().name("click-spool-writer").start(this::writeLoop);
  }

  /**
   * Locks the directory for this process (an OS file lock, released when the process dies): two
   * processes appending to and deleting the same segments would lose or repeat clicks.
   */
  private static FileChannel own(Path dir) throws IOException {
    FileChannel channel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (channel.tryLock() != null) {
        return channel;
      }
    } catch (OverlappingFileLockException held) {
      // held by this very JVM
    }
    channel.close();
    throw new IllegalStateException(
        "the click spool directory "
            + dir.toAbsolutePath()
            + " is in use by another "
            + "TinyScale process: give each process its own TINYSCALE_HOME (or TINYSCALE_SPOOL_DIR)");
  }

  /** Queues one encoded event; false when the spool is full (the click is lost). Never blocks. */
  boolean append(byte[] event) {
    if (bytes.get() + event.length + 1 > maxBytes || closed) {
      return false;
    }
    bytes.addAndGet(event.length + 1);
    if (!queue.offer(event)) {
      bytes.addAndGet(-(event.length + 1));
      return false;
    }
    return true;
  }

  long bytes() {
    return bytes.get();
  }

  boolean isEmpty() {
    return bytes.get() == 0;
  }

  /**
   * Closes the segment being written (after its queued events are on disk) and returns every closed
   * segment, oldest first: what the drainer may replay now.
   */
  List<Path> closedSegments() throws IOException {
    awaitQueueWritten();
    synchronized (lock) {
      // listed under the writer's lock: a segment the writer opens afterwards is not in the list
      closeCurrent();
      return segments();
    }
  }

  /** The events of one closed segment, in order; a torn last line (crash mid-write) is skipped. */
  static List<byte[]> read(Path segment) throws IOException {
    byte[] all = Files.readAllBytes(segment);
    List<byte[]> events = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == NEWLINE) {
        if (i > start) {
          byte[] event = new byte[i - start];
          System.arraycopy(all, start, event, 0, event.length);
          events.add(event);
        }
        start = i + 1;
      }
    }
    return events;
  }

  void delete(Path segment) throws IOException {
    long size = Files.size(segment);
    Files.delete(segment);
    bytes.addAndGet(-size);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("clicks-\\d+\\.spool"))
          .filter(p -> !p.equals(currentPath))
          .sorted((a, b) -> Long.compare(number(a), number(b)))
          .toList();
    }
  }

  private static long number(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring("clicks-".length(), name.length() - ".spool".length()));
  }

  private void writeLoop() {
    List<byte[]> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        byte[] first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4_096);
        synchronized (lock) {
          write(batch);
        }
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException e) {
        LOG.errorf(e, "Click spool write failed in %s; %d clicks lost", dir, batch.size());
        lost.accept(batch.size());
        batch.forEach(b -> bytes.addAndGet(-(b.length + 1)));
        batch.clear();
      }
    }
  }

  private void write(List<byte[]> batch) throws IOException {
    int size = batch.stream().mapToInt(b -> b.length + 1).sum();
    ByteBuffer buffer = ByteBuffer.allocate(size);
    batch.forEach(b -> buffer.put(b).put(NEWLINE));
    buffer.flip();
    if (current == null) {
      currentPath = dir.resolve("clicks-" + nextSegment++ + ".spool");
      current =
          FileChannel.open(currentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      currentSize = 0;
    }
    try {
      while (buffer.hasRemaining()) {
        current.write(buffer);
      }
      current.force(false);
    } catch (IOException e) {
      // Part of the batch may be on disk: cut the segment back to where the batch began, so the
      // file holds only whole clicks and the byte count stays true; failing that, the segment
      // is closed as it is (a torn last line is skipped when read) and its real size counted.
      try {
        current.truncate(currentSize);
      } catch (IOException truncateFailed) {
        long onDisk = Files.size(currentPath);
        bytes.addAndGet(onDisk - currentSize);
        closeCurrent();
      }
      throw e;
    }
    currentSize += size;
    if (currentSize >= SEGMENT_BYTES) {
      closeCurrent();
    }
  }

  private void closeCurrent() throws IOException {
    if (current != null) {
      current.close();
      current = null;
      currentPath = null;
    }
  }

  private void awaitQueueWritten() {
    for (int i = 0; i < 100 && !queue.isEmpty(); i++) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000);
      synchronized (lock) {
        closeCurrent();
      }
      ownership.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("Closing the click spool failed", e);
    }
  }
}
