package io.tinyscale.app.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * The click journal: every click is appended here before its redirect is answered, and leaves only
 * when Kafka has acknowledged it. A process crash loses nothing that was appended (the pages belong
 * to the kernel); a host crash loses what was not yet forced to disk ({@link #force}).
 *
 * <p>Layout of the directory: {@code lock} (held while a process uses the journal), {@code
 * position} (how far Kafka has acknowledged), segments {@code <seq>.journal} of a fixed size,
 * written in full with zeros when created (a full disk shows when a segment is created, never as a
 * fault on a write to the mapping), and {@code corrupt/} for segments that cannot be read. A
 * segment starts with a header (magic, format version, its sequence number); then records of {@code
 * int length, int crc32c, payload}, padded to 4 bytes. The length is written last, with release
 * semantics: a length of 0 is where the writer has not been yet.
 *
 * <p>Appends are serialised by a lock (the redirect's event loops, a few hundred nanoseconds each;
 * see docs/benchmarks.md). A process starts a new segment of its own, so a record torn by a crash
 * is only ever read, never written after. One reader, the shipper, reads from its cursor and calls
 * {@link #acknowledge} with the position Kafka has acknowledged up to: the position is written to
 * disk and the segments wholly before it are deleted.
 */
final class ClickJournal implements AutoCloseable {
  static final int VERSION = 1;
  static final int MAX_RECORD = 64 * 1024;
  private static final int MAGIC = 0x54534a31; // "TSJ1"
  static final int HEADER = 16;
  private static final int RECORD_HEADER = 8;
  private static final int PAGE = 4096;
  // the position file: segment and offset (two longs), then their CRC32C
  private static final int POSITION_BYTES = 16;
  private static final long ALLOCATION_RETRY_NANOS = 1_000_000_000L;
  // little-endian on every host, so a journal can be read on another machine
  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LENGTH = INT.varHandle();
  private static final Logger LOG = Logger.getLogger(ClickJournal.class);

  /** A place in the journal: a segment and a byte offset in it. */
  record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return segment != o.segment
          ? Long.compare(segment, o.segment)
          : Long.compare(offset, o.offset);
    }
  }

  /** A record read by the shipper; {@code next} is where the record after it starts. */
  record Entry(byte[] payload, Position next) {}

  // Journals open in this JVM: a second open must fail before it touches the lock file, since
  // closing any channel of a file drops every lock this process holds on it.
  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path realDir;
  private final long segmentBytes;
  private final long maxBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel positionFile;
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final LongAdder corrupt = new LongAdder();
  private final Object retiring = new Object();

  // the writer's state, guarded by this
  private Segment head;
  private Segment spare;
  private long headOffset;
  private long appended;
  private volatile long headSeq = -1;
  private volatile long nextAllocation = System.nanoTime();

  // the reader's state: the shipper's thread only
  private Position cursor;
  private volatile Position acknowledged;

  private ClickJournal(Path dir, long segmentBytes, long maxBytes) throws IOException {
    if (segmentBytes < 2 * (long) MAX_RECORD || segmentBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("segment size " + segmentBytes + " out of range");
    }
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
    realDir = dir.toRealPath();
    if (!OPEN.add(realDir)) {
      throw inUse(dir);
    }
    try {
      lockChannel =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      OPEN.remove(realDir);
      throw e;
    }
    FileLock held;
    try {
      held = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      held = null;
    }
    if (held == null) {
      lockChannel.close();
      OPEN.remove(realDir);
      throw inUse(dir);
    }
    lock = held;
    positionFile =
        FileChannel.open(
            dir.resolve("position"),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
  }

  private static IllegalStateException inUse(Path dir) {
    return new IllegalStateException(
        "the click journal "
            + dir
            + " is in use by another process (two servers with the same TINYSCALE_HOME and"
            + " TINYSCALE_INSTANCE_ID?)");
  }

  /**
   * Opens the journal in {@code dir}, taking its lock, and starts a segment for this process.
   * Whatever earlier processes left after the acknowledged position is read first.
   */
  static ClickJournal open(Path dir, long segmentBytes, long maxBytes) throws IOException {
    ClickJournal journal = new ClickJournal(dir, segmentBytes, maxBytes);
    try {
      journal.load();
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
    return journal;
  }

  private void load() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".journal")).sorted().toList()) {
        try {
          Segment segment = Segment.map(file);
          segments.put(segment.seq, segment);
        } catch (IOException | RuntimeException e) {
          moveAside(file, e);
        }
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path tmp : files.filter(f -> f.toString().endsWith(".tmp")).toList()) {
        Files.deleteIfExists(tmp); // a segment whose creation was cut short: never written to
      }
    }
    Position stored = readPosition();
    Map.Entry<Long, Segment> first = segments.firstEntry();
    if (stored != null && segments.containsKey(stored.segment())) {
      cursor = stored;
    } else {
      Map.Entry<Long, Segment> after =
          stored == null ? first : segments.higherEntry(stored.segment());
      cursor = after == null ? null : new Position(after.getKey(), HEADER);
    }
    long next = segments.isEmpty() ? 0 : segments.lastKey() + 1;
    if (stored != null) {
      next = Math.max(next, stored.segment() + 1);
    }
    synchronized (this) {
      head = create(next); // null when it cannot be created: appends are refused until it can
      headOffset = HEADER;
      headSeq = next;
    }
    if (cursor == null) {
      cursor = new Position(next, HEADER);
    }
    acknowledged = cursor;
  }

  /**
   * Appends one record; returns how many records this process has appended so far, or -1 when the
   * journal refuses it (full, or a segment could not be created: the caller counts a drop).
   */
  long append(byte[] payload) {
    if (payload.length == 0 || payload.length > MAX_RECORD) {
      throw new IllegalArgumentException("a record of " + payload.length + " bytes");
    }
    long size = RECORD_HEADER + align(payload.length);
    synchronized (this) {
      if (head == null || headOffset + size > segmentBytes) {
        if (!roll()) {
          return -1;
        }
      }
      MemorySegment map = head.map;
      MemorySegment.copy(
          payload, 0, map, ValueLayout.JAVA_BYTE, headOffset + RECORD_HEADER, payload.length);
      map.set(INT, headOffset + 4, crc(payload, payload.length));
      LENGTH.setRelease(map, headOffset, payload.length);
      headOffset += size;
      return ++appended;
    }
  }

  /**
   * Moves the writer to a new segment: the spare one {@link #prepareSpare} made ready (a rename),
   * else one created here; false when none can be created now.
   */
  private boolean roll() {
    long next = headSeq + (head == null ? 0 : 1);
    Segment created = spare == null ? create(next) : named(spare, next);
    spare = null;
    if (created == null) {
      return false;
    }
    head = created;
    headOffset = HEADER;
    headSeq = next;
    return true;
  }

  private Segment create(long seq) {
    Segment blank = allocate();
    return blank == null ? null : named(blank, seq);
  }

  /** A blank segment (header and zeros) under a temporary name; null when there is no room. */
  private Segment allocate() {
    if (bytesOnDisk() + segmentBytes > maxBytes || System.nanoTime() < nextAllocation) {
      return null;
    }
    try {
      return Segment.allocate(dir.resolve("next-" + System.nanoTime() + ".tmp"), segmentBytes);
    } catch (IOException e) {
      // not again for a second: a full disk must not cost every click a failed file creation
      nextAllocation = System.nanoTime() + ALLOCATION_RETRY_NANOS;
      LOG.errorf(
          "Cannot create a click journal segment in %s (%s, on %s); clicks are dropped until one"
              + " can be",
          dir, e.toString(), Thread.currentThread().getName());
      return null;
    }
  }

  private Segment named(Segment blank, long seq) {
    try {
      Segment segment = blank.name(dir.resolve(String.format("%020d.journal", seq)), seq);
      segments.put(seq, segment);
      return segment;
    } catch (IOException e) {
      LOG.errorf("Cannot name a click journal segment in %s: %s", dir, e.toString());
      blank.delete();
      return null;
    }
  }

  /**
   * Makes the next segment ready before the writer needs it, so that appends never wait for a
   * segment to be written; called every few milliseconds from the journal's sync thread.
   */
  void prepareSpare() {
    synchronized (this) {
      if (spare != null || head == null) {
        return;
      }
    }
    Segment blank = allocate();
    if (blank == null) {
      return;
    }
    synchronized (this) {
      if (spare == null) {
        spare = blank;
        blank = null;
      }
    }
    if (blank != null) {
      blank.delete();
    }
  }

  /**
   * Up to {@code max} records after the reader's cursor, in the order they were appended, moving
   * the cursor past them. Records that fail their checksum are skipped and counted.
   */
  List<Entry> read(int max) {
    List<Entry> entries = new ArrayList<>();
    while (entries.size() < max) {
      Segment segment = segments.get(cursor.segment());
      if (segment == null) {
        Map.Entry<Long, Segment> next = segments.higherEntry(cursor.segment());
        if (next == null || cursor.segment() >= headSeq) {
          break;
        }
        cursor = new Position(next.getKey(), HEADER);
        continue;
      }
      long offset = cursor.offset();
      int length = offset + RECORD_HEADER <= segment.size ? lengthAt(segment, offset) : 0;
      if (length == 0) {
        if (cursor.segment() >= headSeq) {
          break; // caught up with the writer
        }
        // The writer has left this segment, and every write to it happened before it did: a 0
        // read before we saw that may have been written since.
        if (offset + RECORD_HEADER > segment.size || lengthAt(segment, offset) == 0) {
          cursor = nextSegment(cursor.segment());
        }
        continue;
      }
      if (length < 0 || length > MAX_RECORD || offset + RECORD_HEADER + length > segment.size) {
        corrupt.increment();
        LOG.errorf(
            "Click journal segment %s is unreadable after offset %d (record length %d); its rest"
                + " is skipped",
            segment.path.getFileName(), offset, length);
        cursor = nextSegment(cursor.segment());
        continue;
      }
      byte[] payload = new byte[length];
      MemorySegment.copy(
          segment.map, ValueLayout.JAVA_BYTE, offset + RECORD_HEADER, payload, 0, length);
      Position next = new Position(cursor.segment(), offset + RECORD_HEADER + align(length));
      cursor = next;
      if (segment.map.get(INT, offset + 4) != crc(payload, payload.length)) {
        corrupt.increment();
        LOG.errorf(
            "Click journal segment %s: the record at offset %d fails its checksum; skipped",
            segment.path.getFileName(), offset);
        continue;
      }
      entries.add(new Entry(payload, next));
    }
    return entries;
  }

  private static int lengthAt(Segment segment, long offset) {
    return (int) LENGTH.getAcquire(segment.map, offset);
  }

  private Position nextSegment(long seq) {
    Long next = segments.higherKey(seq);
    return new Position(next == null ? seq + 1 : next, HEADER);
  }

  /** Where the reader will read next. */
  Position cursor() {
    return cursor;
  }

  /** Makes the reader read again from the acknowledged position (after a failed send). */
  void rewind() {
    cursor = acknowledged;
  }

  /**
   * Kafka has acknowledged everything before {@code upTo}: stores the position and deletes the
   * segments wholly before it.
   */
  void acknowledge(Position upTo) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(POSITION_BYTES + 4);
    buffer.putLong(upTo.segment()).putLong(upTo.offset());
    buffer.putInt(crc(buffer.array(), POSITION_BYTES)).flip();
    uninterruptibly(() -> positionFile.write(buffer, 0));
    acknowledged = upTo;
    synchronized (retiring) { // never while force() is forcing a segment
      for (Long seq : List.copyOf(segments.headMap(upTo.segment()).keySet())) {
        if (seq < headSeq) {
          segments.remove(seq).delete();
        }
      }
    }
  }

  private Position readPosition() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(POSITION_BYTES + 4);
    if (uninterruptibly(() -> positionFile.read(buffer, 0)) < buffer.capacity()) {
      return null;
    }
    buffer.flip();
    Position position = new Position(buffer.getLong(), buffer.getLong());
    if (buffer.getInt() != crc(buffer.array(), POSITION_BYTES)) {
      LOG.warn("The click journal's position file is damaged; reading every segment again");
      return null;
    }
    return position;
  }

  /** Bytes appended and not yet acknowledged by Kafka. */
  long backlogBytes() {
    Position from = acknowledged;
    long bytes = 0;
    for (Segment segment : segments.tailMap(from.segment()).values()) {
      long end = segment.seq == headSeq ? writtenInHead() : segment.size;
      bytes += Math.max(0, end - (segment.seq == from.segment() ? from.offset() : HEADER));
    }
    return bytes;
  }

  private synchronized long writtenInHead() {
    return headOffset;
  }

  /** Bytes of segment files, each counted in full, the spare one too. */
  long bytesOnDisk() {
    Segment ready = spare;
    return segments.values().stream().mapToLong(s -> s.size).sum()
        + (ready == null ? 0 : ready.size);
  }

  /** Records skipped because their length or checksum was wrong, and unreadable segments. */
  long corruptRecords() {
    return corrupt.sum();
  }

  /** Records this process has appended so far. */
  synchronized long appended() {
    return appended;
  }

  /** Forces the records appended so far to disk; returns the count of records that covers. */
  long force() {
    Segment segment;
    long end;
    long count;
    synchronized (this) {
      segment = head;
      end = headOffset;
      count = appended;
    }
    // A segment is unmapped (acknowledge) only under this lock, never while it is being forced:
    // closing a shared mapping another thread is using disturbs that thread.
    synchronized (retiring) {
      // the segments the writer has left: forced once, in full
      for (Segment older : segments.headMap(segment == null ? headSeq : segment.seq).values()) {
        older.forceOnce();
      }
      if (segment != null) {
        try {
          segment.map.asSlice(0, end).force();
        } catch (IllegalStateException e) {
          // deleted meanwhile: Kafka has it, nothing left to make durable
        }
      }
    }
    return count;
  }

  private void moveAside(Path file, Exception cause) throws IOException {
    corrupt.increment();
    Path aside = dir.resolve("corrupt");
    Files.createDirectories(aside);
    Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    LOG.errorf(
        "Click journal segment %s cannot be read (%s); moved to %s",
        file.getFileName(), cause.toString(), aside);
  }

  @Override
  public void close() {
    synchronized (this) {
      head = null;
      if (spare != null) {
        spare.delete();
        spare = null;
      }
    }
    for (Segment segment : segments.values()) {
      segment.close();
    }
    segments.clear();
    try {
      if (lock != null) {
        lock.release();
      }
      lockChannel.close();
      OPEN.remove(realDir);
      if (positionFile != null) {
        positionFile.close();
      }
    } catch (IOException e) {
      LOG.debugf("Closing the click journal: %s", e.toString());
    }
  }

  /** File I/O that may throw. */
  private interface Io<T> {
    T run() throws IOException;
  }

  /**
   * Runs file I/O with the thread's interrupt status cleared, then restores it: a FileChannel
   * closes itself when its thread is interrupted, and a journal file must not be closed under every
   * thread's feet (nor a segment fail to be created) because a library interrupted ours.
   */
  private static <T> T uninterruptibly(Io<T> io) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      return io.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long align(int length) {
    return (length + 3) & ~3L;
  }

  /** CRC32C of the first {@code length} bytes. */
  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  /** One segment file, mapped into memory while it is in the journal. */
  private static final class Segment {
    final Path path;
    final long seq;
    final long size;
    final Arena arena;
    final MemorySegment map;
    private volatile boolean forced;

    private Segment(Path path, long seq, long size, Arena arena, MemorySegment map) {
      this.path = path;
      this.seq = seq;
      this.size = size;
      this.arena = arena;
      this.map = map;
    }

    /**
     * Writes the whole file (header and zeros) before it is used, so that a full disk fails here
     * and not on a write to the mapping.
     */
    static Segment allocate(Path path, long size) throws IOException {
      return uninterruptibly(() -> write(path, size));
    }

    private static Segment write(Path path, long size) throws IOException {
      try (FileChannel channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.READ)) {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).putLong(-1).flip();
        channel.write(header, 0);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long at = HEADER; at < size; ) {
          zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
          at += channel.write(zeros, at);
        }
        channel.force(true);
      } catch (IOException e) {
        Files.deleteIfExists(path);
        throw e;
      }
      Segment segment = mapNow(path);
      segment.touchEveryPage();
      return segment;
    }

    /**
     * Takes each page's first-write fault (the file system's page_mkwrite) here, off the event
     * loops: a write to a mapped page that was never written through the mapping faults once.
     */
    private void touchEveryPage() {
      for (long at = 0; at < size; at += PAGE) {
        map.set(ValueLayout.JAVA_BYTE, at, map.get(ValueLayout.JAVA_BYTE, at));
      }
    }

    /** The blank segment as segment {@code seq} (its header, then its file name). */
    Segment name(Path named, long seq) throws IOException {
      map.set(LONG, 8, seq);
      Files.move(path, named, StandardCopyOption.ATOMIC_MOVE);
      return new Segment(named, seq, size, arena, map);
    }

    static Segment map(Path path) throws IOException {
      return uninterruptibly(() -> mapNow(path));
    }

    private static Segment mapNow(Path path) throws IOException {
      Arena arena = Arena.ofShared();
      try (FileChannel channel =
          FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long size = channel.size();
        if (size < HEADER) {
          throw new IOException("shorter than its header");
        }
        MemorySegment map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        if (map.get(INT, 0) != MAGIC || map.get(INT, 4) != VERSION) {
          throw new IOException("not a click journal segment of version " + VERSION);
        }
        long seq = map.get(LONG, 8);
        return new Segment(path, seq, size, arena, map);
      } catch (IOException | RuntimeException e) {
        arena.close();
        throw e;
      }
    }

    void forceOnce() {
      if (!forced) {
        try {
          map.force();
          forced = true;
        } catch (IllegalStateException e) {
          // deleted meanwhile
        }
      }
    }

    void close() {
      try {
        arena.close();
      } catch (IllegalStateException e) {
        // already closed
      }
    }

    void delete() {
      close();
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        LOG.debugf("Cannot delete %s: %s", path, e.toString());
      }
    }
  }
}
