package io.tinyscale.app.live;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open stream. Frames come from the shared feed's thread, a catch-up thread and the heartbeat
 * timer; each is handed to the connection's event loop, which alone writes to the response, counts
 * the writes in flight and holds the frames that arrive while the client catches up. Nothing here
 * takes a lock that a write could wait on.
 *
 * <p>The bound: a write is in flight until the kernel has taken its bytes (its future completes
 * then). A client that reads slower than its clicks arrive first fills its socket's buffers, then
 * the writes in flight pile up in memory; when {@code bound} of them are waiting, the next frame is
 * not written: the client is sent {@code overflow} and closed. Its backlog never holds more than
 * {@code bound} frames, and the feed, which never waits for a client, goes on for the others.
 */
final class LiveClient {
  /** How long an overflowed client's connection waits for the farewell to be read. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  /** How long a catch-up waits for a client with a full buffer before it drops the client. */
  private static final long ROOM_WAIT_MILLIS = 30_000;

  /** What the feed and the resource learn about a client. */
  interface Listener {
    /** Once, whatever ended the stream. */
    void ended(LiveClient client);

    /** It fell behind and was dropped. */
    void overflowed(LiveClient client);
  }

  final Subscription subscription;
  final Resume resume; // null: from now on
  private final Context loop;
  private final HttpServerResponse response;
  private final SseEventSink sink;
  private final int bound;
  private final Listener listener;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicBoolean ended = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  // handed to the loop and not yet written: what a catch-up waits on
  private final AtomicInteger unwritten = new AtomicInteger();
  private final Object room = new Object();
  private volatile boolean waitingForRoom;
  private volatile boolean ready;
  // the event loop's own
  private int inFlight;
  private boolean catchingUp;
  private final ArrayDeque<Buffer> held = new ArrayDeque<>();

  LiveClient(
      Subscription subscription,
      Resume resume,
      Context loop,
      HttpServerResponse response,
      SseEventSink sink,
      int bound,
      Listener listener) {
    this.subscription = subscription;
    this.resume = resume;
    this.loop = loop;
    this.response = response;
    this.sink = sink;
    this.bound = bound;
    this.listener = listener;
    this.catchingUp = resume != null;
  }

  boolean isOpen() {
    return open.get();
  }

  /** {@code : ready}: the first frame, once the stream is positioned. */
  void ready() {
    ready = true;
    hand(Frames.READY, false);
  }

  /**
   * A frame of the shared feed: written, or held while the client catches up. False when the client
   * is closed.
   */
  boolean offer(Buffer frame) {
    return hand(frame, true);
  }

  /**
   * A comment that keeps idle proxies from closing the connection; never held, and never before
   * {@code : ready}, which is always the first frame.
   */
  void heartbeat() {
    if (ready) {
      hand(Frames.HEARTBEAT, false);
    }
  }

  /**
   * A frame read by this client's catch-up: waits while the client has {@code bound} frames not yet
   * written (the catch-up reads at the client's pace). False when the client is gone, or waited too
   * long and was dropped.
   */
  boolean catchUp(Buffer frame) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ROOM_WAIT_MILLIS;
    while (open.get() && unwritten.get() >= bound) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        overflow();
        return false;
      }
      synchronized (room) {
        waitingForRoom = true;
        room.wait(Math.min(left, 100));
      }
    }
    return hand(frame, false);
  }

  /** The catch-up is done: what the feed sent meanwhile follows, then the feed's frames. */
  void caughtUp() {
    loop.runOnContext(
        v -> {
          catchingUp = false;
          Buffer frame;
          while ((frame = held.poll()) != null) {
            write(frame);
          }
        });
  }

  /** Sent {@code overflow} and closed: it fell behind. */
  void overflow() {
    if (farewell(Frames.OVERFLOW)) {
      listener.overflowed(this);
    }
  }

  /**
   * Sent {@code shutdown} and closed: this server is going down. Completes once the farewell has
   * been written and the connection closed.
   */
  CompletableFuture<Void> shutdown() {
    farewell(Frames.SHUTDOWN);
    return closed;
  }

  /** Closed without a farewell (its catch-up failed): the client reconnects and resumes. */
  void abort() {
    farewell(null);
  }

  /** The connection ended (the client left, or a farewell was written). */
  void gone() {
    open.set(false);
    end();
    if (response.closed()) {
      closed.complete(null);
    }
  }

  private boolean hand(Buffer frame, boolean mayHold) {
    if (!open.get()) {
      return false;
    }
    unwritten.incrementAndGet();
    loop.runOnContext(
        v -> {
          if (mayHold && catchingUp) {
            held.add(frame);
            if (held.size() > bound) {
              overflow();
            }
          } else {
            write(frame);
          }
        });
    return true;
  }

  private boolean farewell(Buffer last) {
    if (!open.compareAndSet(true, false)) {
      return false;
    }
    end();
    loop.runOnContext(
        v -> {
          held.clear();
          if (last == null || response.closed()) {
            close();
            return;
          }
          // the farewell after what the client was already sent; then the connection closes, or,
          // for a client that reads nothing, after a grace
          response.write(last).onComplete(written -> close());
          loop.owner().setTimer(CLOSE_GRACE.toMillis(), t -> response.close());
        });
    return true;
  }

  private void close() {
    try {
      sink.close(); // ends the response, and Quarkus REST's request with it
      response.close(); // and the connection: a stream is not kept alive for another request
    } finally {
      closed.complete(null);
    }
  }

  /** Once, whatever ended the stream. */
  private void end() {
    if (ended.compareAndSet(false, true)) {
      listener.ended(this);
    }
  }

  /** On the event loop. */
  private void write(Buffer frame) {
    if (!open.get() || response.closed()) {
      written();
      return;
    }
    if (inFlight >= bound) {
      written();
      overflow();
      return;
    }
    inFlight++;
    response
        .write(frame)
        .onComplete(
            done -> {
              inFlight--;
              written();
            });
  }

  private void written() {
    unwritten.decrementAndGet();
    if (waitingForRoom) {
      synchronized (room) {
        waitingForRoom = false;
        room.notifyAll();
      }
    }
  }
}
