package io.tinyscale.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An open-model HTTP/1.1 load generator for {@code ./tinyscale bench latency}: GET redirects at a
 * fixed rate, whatever the server's answers do. wrk is a closed loop (each connection sends its
 * next request when the last one is answered), so under a slow answer it sends less and its
 * latencies leave out the requests it did not send (coordinated omission); here the requests are
 * scheduled at fixed intervals of 1/rate, and each one's latency is measured from its intended send
 * time.
 *
 * <p>One Netty event loop (epoll where available) does everything: the schedule (a timer that sends
 * every request whose time has come), the connections (a pool of keep-alive connections, one
 * request in flight on each, as wrk does; when none is free, the request waits in a queue and a new
 * connection is opened, up to {@code --max-connections}) and a small parser of the answers (status
 * line, {@code Content-Length} or chunked body). The codes are drawn uniformly among b0000001..bN,
 * as bench/wrk/random-codes.lua does; redirects are not followed, a 302 is the whole answer.
 *
 * <p>A warm-up at the same rate comes first and is not recorded. Requests intended within the
 * measured window are recorded in HdrHistograms (µs): latency from intended send to the end of the
 * answer, and the generator's own lag (from intended send to the moment the schedule handed the
 * request over: how far the generator fell behind). The process' CPU time over the window says
 * whether the generator had CPU to spare. One line on stdout, {@code OPEN_RESULT key=value ...};
 * progress on stderr.
 *
 * <pre>
 * java -cp bench/target/tinyscale-bench.jar:bench/target/lib/* io.tinyscale.bench.OpenModelClient run \
 *   --url http://127.0.0.1:18580 --rate 20000 --duration 20 --warmup 5 --links 100000 \
 *   [--connections 64] [--max-connections 256] [--timeout-ms 2000] [--hgrm FILE]
 * </pre>
 */
public final class OpenModelClient {
  private static final String USAGE =
      "OpenModelClient run --url http://HOST:PORT --rate REQUESTS_PER_S --duration S [--warmup S]"
          + " [--links N] [--connections C] [--max-connections M] [--timeout-ms T] [--hgrm FILE]";

  /** Latencies up to a minute, 3 significant digits. */
  private static final long HIGHEST_US = 60_000_000L;

  /** Requests handed over in one go before the event loop gets to read answers again. */
  private static final int MAX_BURST = 256;

  private final String host;
  private final int port;
  private final double rate;
  private final long warmupNanos;
  private final long durationNanos;
  private final int links;
  private final int initialConnections;
  private final int maxConnections;
  private final long timeoutNanos;
  private final byte[] requestHead;
  private final byte[] requestTail;

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelType;
  private final SplittableRandom random = new SplittableRandom();

  // everything below is touched by the event loop's thread only
  private final ArrayDeque<Connection> free = new ArrayDeque<>();
  private final List<Connection> connections = new ArrayList<>();
  private final LongQueue waiting = new LongQueue();
  private int opening;

  private final Histogram latency = new Histogram(HIGHEST_US, 3);
  private final Histogram lag = new Histogram(HIGHEST_US, 3);

  private long start; // intended time of request 0
  private long measureStart;
  private long measureEnd;
  private long total; // requests in warm-up + window
  private long next; // the next request to hand over

  private long scheduled; // requests intended within the window
  private long ok;
  private long errStatus;
  private long errConnect;
  private long errIo;
  private long errTimeout;
  private long connectionWaits; // window requests that found no free connection
  private long capWaits; // ... while the pool was at its cap
  private long answersInWindow; // answers (any request) received within the window
  private long opened;
  private long cpuStart = -1;
  private long cpuEnd = -1;
  private long wallStart;
  private long wallEnd;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  private OpenModelClient(Bench.Args args) {
    URI url = URI.create(args.get("url"));
    host = url.getHost();
    port = url.getPort() > 0 ? url.getPort() : 80;
    rate = Double.parseDouble(args.get("rate"));
    durationNanos = TimeUnit.SECONDS.toNanos(args.getLong("duration", 20));
    warmupNanos = TimeUnit.SECONDS.toNanos(args.getLong("warmup", 5));
    links = args.getInt("links", 100_000);
    initialConnections = args.getInt("connections", 64);
    maxConnections = Math.max(initialConnections, args.getInt("max-connections", 256));
    timeoutNanos = TimeUnit.MILLISECONDS.toNanos(args.getLong("timeout-ms", 2000));
    if (rate <= 0
        || durationNanos <= 0
        || links < 1
        || links > 9_999_999
        || initialConnections < 1) {
      Bench.fail("need --rate > 0, --duration >= 1, 1 <= --links <= 9999999, --connections >= 1");
    }
    requestHead = "GET /b".getBytes(StandardCharsets.US_ASCII);
    requestTail =
        (" HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    if (Epoll.isAvailable()) {
      group = new EpollEventLoopGroup(1);
      channelType = EpollSocketChannel.class;
    } else {
      group = new NioEventLoopGroup(1);
      channelType = NioSocketChannel.class;
    }
    loop = group.next();
  }

  public static void main(String[] argv) {
    Bench.Args args = Bench.Args.parse(argv, USAGE);
    Bench.run(args, Map.of("run", () -> new OpenModelClient(args).run(args.get("hgrm", null))));
  }

  private void run(String hgrm) throws Exception {
    Bench.log(
        "open model: %.0f requests/s for %ds after a %ds warm-up, %d connections to start"
            + " (at most %d), codes b0000001..b%07d, %s",
        rate,
        TimeUnit.NANOSECONDS.toSeconds(durationNanos),
        TimeUnit.NANOSECONDS.toSeconds(warmupNanos),
        initialConnections,
        maxConnections,
        links,
        Epoll.isAvailable() ? "epoll" : "nio");
    // the first connections, before the clock starts
    List<ChannelFuture> connects = new ArrayList<>();
    loop.submit(
            () -> {
              for (int i = 0; i < initialConnections; i++) {
                connects.add(open());
              }
            })
        .sync();
    for (ChannelFuture connect : connects) {
      if (!connect.awaitUninterruptibly(10, TimeUnit.SECONDS) || !connect.isSuccess()) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Bench.fail("cannot connect to " + host + ":" + port + ": " + connect.cause());
      }
    }
    loop.execute(this::begin);
    finished.get();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    report(hgrm);
  }

  // ---------------------------------------------------------------------------------------
  // The schedule

  private void begin() {
    start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    measureStart = start + warmupNanos;
    measureEnd = measureStart + durationNanos;
    total = (long) Math.floor((warmupNanos + durationNanos) / 1e9 * rate);
    loop.schedule(
        () -> {
          cpuStart = processCpuNanos();
          wallStart = System.nanoTime();
          // a marker for the script, which reads the server's CPU time over the same window
          Bench.log("open model: window starts");
        },
        measureStart - System.nanoTime(),
        TimeUnit.NANOSECONDS);
    loop.schedule(
        () -> {
          cpuEnd = processCpuNanos();
          wallEnd = System.nanoTime();
          Bench.log("open model: window ends");
        },
        measureEnd - System.nanoTime(),
        TimeUnit.NANOSECONDS);
    loop.scheduleAtFixedRate(this::expire, 100, 100, TimeUnit.MILLISECONDS);
    loop.schedule(this::tick, start - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private long intended(long i) {
    return start + (long) (i * 1e9 / rate);
  }

  private boolean measured(long intended) {
    return intended >= measureStart && intended < measureEnd;
  }

  /** Hands over every request whose time has come, then sleeps until the next one's. */
  private void tick() {
    int burst = 0;
    while (next < total) {
      long at = intended(next);
      long now = System.nanoTime();
      if (at > now) {
        loop.schedule(this::tick, at - now, TimeUnit.NANOSECONDS);
        return;
      }
      next++;
      dispatch(at, now);
      if (++burst == MAX_BURST) {
        loop.execute(this::tick); // behind schedule: let the answers in before the next burst
        return;
      }
    }
    drain();
  }

  private void dispatch(long at, long now) {
    boolean counted = measured(at);
    if (counted) {
      scheduled++;
      lag.recordValue(Math.min(HIGHEST_US, (now - at) / 1000));
    }
    Connection connection = free.pollFirst();
    if (connection != null) {
      connection.send(at);
      return;
    }
    waiting.add(at);
    if (counted) {
      connectionWaits++;
    }
    if (connections.size() + opening < maxConnections) {
      if (waiting.size() > opening) {
        open();
      }
    } else if (counted) {
      capWaits++;
    }
  }

  /** After the last request: waits for the answers (at most the timeout), then ends. */
  private void drain() {
    boolean busy = !waiting.isEmpty() || opening > 0;
    for (Connection connection : connections) {
      busy |= connection.inFlight && !connection.expired;
    }
    long now = System.nanoTime();
    if (!busy && now >= measureEnd && cpuEnd >= 0 || now > measureEnd + timeoutNanos * 2) {
      for (Connection connection : List.copyOf(connections)) {
        connection.channel.close();
      }
      finished.complete(null);
      return;
    }
    loop.schedule(this::drain, 10, TimeUnit.MILLISECONDS);
  }

  /**
   * Requests older than the timeout count as timeouts: those still waiting for a connection are
   * dropped; a connection whose request expired stays open and is used again once the late answer
   * has come (closing it would make a slow server pay for new connections on top).
   */
  private void expire() {
    long now = System.nanoTime();
    while (!waiting.isEmpty() && now - waiting.peek() > timeoutNanos) {
      failed(waiting.poll(), Failure.TIMEOUT);
    }
    for (Connection connection : connections) {
      if (connection.inFlight && !connection.expired && now - connection.intended > timeoutNanos) {
        connection.expired = true;
        failed(connection.intended, Failure.TIMEOUT);
      }
    }
  }

  private enum Failure {
    CONNECT,
    IO,
    TIMEOUT
  }

  private void failed(long intended, Failure failure) {
    if (!measured(intended)) {
      return;
    }
    switch (failure) {
      case CONNECT -> errConnect++;
      case IO -> errIo++;
      case TIMEOUT -> errTimeout++;
    }
  }

  private void answered(Connection connection, int status) {
    long now = System.nanoTime();
    long at = connection.intended;
    boolean expired = connection.expired;
    connection.inFlight = false;
    connection.expired = false;
    if (now >= measureStart && now < measureEnd) {
      answersInWindow++;
    }
    if (!expired && measured(at)) { // an expired request was counted as a timeout
      if (status == 302) {
        ok++;
        latency.recordValue(Math.min(HIGHEST_US, (now - at) / 1000));
      } else {
        errStatus++;
      }
    }
    if (connection.closeAfter) {
      connection.channel.close();
    } else {
      release(connection);
    }
  }

  /** A connection that can take a request: the oldest waiting one, else into the free pool. */
  private void release(Connection connection) {
    if (!waiting.isEmpty()) {
      connection.send(waiting.poll());
    } else {
      free.addFirst(connection);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Connections

  private ChannelFuture open() {
    opening++;
    Connection connection = new Connection();
    return new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
        .handler(connection)
        .connect(new InetSocketAddress(host, port))
        .addListener(
            (ChannelFuture f) -> {
              opening--;
              if (f.isSuccess()) {
                connection.channel = f.channel();
                connections.add(connection);
                opened++;
                if (finished.isDone()) {
                  f.channel().close();
                } else {
                  release(connection);
                }
              } else {
                // a request waits for this connection: it fails with it
                if (waiting.size() > opening) {
                  failed(waiting.poll(), Failure.CONNECT);
                }
              }
            });
  }

  private void closed(Connection connection) {
    connections.remove(connection);
    free.remove(connection);
    if (connection.inFlight && !connection.expired) {
      failed(connection.intended, Failure.IO);
    }
    connection.inFlight = false;
    if (!finished.isDone()
        && waiting.size() > opening
        && connections.size() + opening < maxConnections) {
      open();
    }
  }

  private static final byte[] CONTENT_LENGTH =
      "content-length:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRANSFER_ENCODING =
      "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONNECTION = "connection:".getBytes(StandardCharsets.US_ASCII);

  /** One keep-alive connection: one request in flight, and the parser of its answers. */
  private final class Connection extends ByteToMessageDecoder {
    private enum State {
      STATUS,
      HEADERS,
      BODY,
      CHUNK_SIZE,
      CHUNK_DATA,
      TRAILERS
    }

    Channel channel;
    long intended;
    boolean inFlight;
    boolean expired; // its request timed out: its answer is not counted
    boolean closeAfter;
    private State state = State.STATUS;
    private int status;
    private long remaining;
    private boolean chunked;

    void send(long at) {
      intended = at;
      inFlight = true;
      ByteBuf request = channel.alloc().directBuffer(requestHead.length + 7 + requestTail.length);
      request.writeBytes(requestHead);
      int code = random.nextInt(links) + 1;
      for (int divisor = 1_000_000; divisor > 0; divisor /= 10) {
        request.writeByte('0' + code / divisor % 10);
      }
      request.writeBytes(requestTail);
      channel.writeAndFlush(request, channel.voidPromise());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      while (in.isReadable()) {
        switch (state) {
          case STATUS, HEADERS, CHUNK_SIZE, TRAILERS -> {
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (eol < 0) {
              return;
            }
            int from = in.readerIndex();
            int length = eol - from; // without the '\n'
            if (length > 0 && in.getByte(eol - 1) == '\r') {
              length--;
            }
            line(in, from, length);
            in.readerIndex(eol + 1);
          }
          case BODY, CHUNK_DATA -> {
            int skip = (int) Math.min(remaining, in.readableBytes());
            in.skipBytes(skip);
            remaining -= skip;
            if (remaining == 0) {
              if (state == State.BODY) {
                complete();
              } else {
                state = State.CHUNK_SIZE;
              }
            }
          }
        }
      }
    }

    private void line(ByteBuf in, int from, int length) {
      switch (state) {
        case STATUS -> {
          // "HTTP/1.1 302 Found"
          status =
              length >= 12
                  ? (in.getByte(from + 9) - '0') * 100
                      + (in.getByte(from + 10) - '0') * 10
                      + (in.getByte(from + 11) - '0')
                  : 0;
          remaining = -1;
          chunked = false;
          closeAfter = false;
          state = State.HEADERS;
        }
        case HEADERS -> {
          if (length == 0) {
            if (chunked) {
              state = State.CHUNK_SIZE;
            } else if (remaining > 0) {
              state = State.BODY;
            } else {
              // no body: a 302 with Content-Length 0 (an answer delimited by the connection's
              // end is not expected here: it ends at its headers, and the connection is closed)
              closeAfter |= remaining < 0 && status != 204 && status != 304;
              complete();
            }
          } else if (startsWith(in, from, length, CONTENT_LENGTH)) {
            remaining = number(in, from + CONTENT_LENGTH.length, from + length);
          } else if (startsWith(in, from, length, TRANSFER_ENCODING)) {
            chunked = value(in, from, length, TRANSFER_ENCODING).equalsIgnoreCase("chunked");
          } else if (startsWith(in, from, length, CONNECTION)) {
            closeAfter = value(in, from, length, CONNECTION).equalsIgnoreCase("close");
          }
        }
        case CHUNK_SIZE -> {
          if (length == 0) {
            return; // the CRLF after a chunk's data
          }
          String size = in.toString(from, length, StandardCharsets.US_ASCII);
          int semicolon = size.indexOf(';');
          remaining =
              Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
          state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
        }
        case TRAILERS -> {
          if (length == 0) {
            complete();
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
    }

    private void complete() {
      state = State.STATUS;
      if (inFlight) {
        answered(this, status);
      } else {
        channel.close(); // an answer to no request: the connection can no longer be trusted
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (channel != null) {
        closed(this);
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static boolean startsWith(ByteBuf in, int from, int length, byte[] lowerCaseName) {
    if (length < lowerCaseName.length) {
      return false;
    }
    for (int i = 0; i < lowerCaseName.length; i++) {
      if (Character.toLowerCase(in.getByte(from + i)) != lowerCaseName[i]) {
        return false;
      }
    }
    return true;
  }

  /** The decimal number in [from, to), spaces around it skipped (no String on the hot path). */
  private static long number(ByteBuf in, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (b >= '0' && b <= '9') {
        value = value * 10 + (b - '0');
      } else if (b != ' ' && b != '\t') {
        throw new IllegalArgumentException(
            "not a number: " + in.toString(from, to - from, StandardCharsets.US_ASCII));
      }
    }
    return value;
  }

  private static String value(ByteBuf in, int from, int length, byte[] name) {
    return in.toString(from + name.length, length - name.length, StandardCharsets.US_ASCII).trim();
  }

  /** A queue of longs (the intended send times of the requests that wait for a connection). */
  private static final class LongQueue {
    private long[] items = new long[1024];
    private int head;
    private int size;

    void add(long value) {
      if (size == items.length) {
        long[] grown = new long[items.length * 2];
        for (int i = 0; i < size; i++) {
          grown[i] = items[(head + i) % items.length];
        }
        items = grown;
        head = 0;
      }
      items[(head + size++) % items.length] = value;
    }

    long peek() {
      return items[head];
    }

    long poll() {
      long value = items[head];
      head = (head + 1) % items.length;
      size--;
      return value;
    }

    int size() {
      return size;
    }

    boolean isEmpty() {
      return size == 0;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Result

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
  }

  private void report(String hgrm) throws IOException {
    double seconds = durationNanos / 1e9;
    double windowSeconds = wallEnd > wallStart ? (wallEnd - wallStart) / 1e9 : seconds;
    double cpuSeconds = cpuStart >= 0 && cpuEnd >= cpuStart ? (cpuEnd - cpuStart) / 1e9 : -1;
    long errors = errStatus + errConnect + errIo + errTimeout;
    String line =
        String.format(
            Locale.ROOT,
            "OPEN_RESULT offered_rps=%.1f duration_s=%.0f scheduled=%d answered_rps=%.1f ok=%d"
                + " ok_rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.0f"
                + " errors=%d err_status=%d err_connect=%d err_io=%d err_timeout=%d"
                + " lag_p50_us=%d lag_p99_us=%d lag_max_us=%d connection_waits=%d cap_waits=%d"
                + " connections=%d max_connections=%d cpu_s=%.2f cpu_pct=%.1f",
            rate,
            seconds,
            scheduled,
            answersInWindow / windowSeconds,
            ok,
            ok / seconds,
            latency.getValueAtPercentile(50),
            latency.getValueAtPercentile(90),
            latency.getValueAtPercentile(99),
            latency.getValueAtPercentile(99.9),
            latency.getMaxValue(),
            latency.getTotalCount() == 0 ? 0 : latency.getMean(),
            errors,
            errStatus,
            errConnect,
            errIo,
            errTimeout,
            lag.getValueAtPercentile(50),
            lag.getValueAtPercentile(99),
            lag.getMaxValue(),
            connectionWaits,
            capWaits,
            opened,
            maxConnections,
            cpuSeconds,
            cpuSeconds < 0 ? -1 : 100 * cpuSeconds / windowSeconds);
    if (hgrm != null) {
      // HdrHistogram's percentile distribution, in ms (plotted by HdrHistogram's own tools)
      try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(hgrm)), true)) {
        latency.outputPercentileDistribution(out, 1000.0);
      }
    }
    Bench.log(
        "open model: %d scheduled in the window, %d answered 302, %d errors; p99 %.2f ms; lag p99"
            + " %d us; CPU %.0f %%",
        scheduled,
        ok,
        errors,
        latency.getValueAtPercentile(99) / 1000.0,
        lag.getValueAtPercentile(99),
        cpuSeconds < 0 ? -1 : 100 * cpuSeconds / windowSeconds);
    System.out.println(line);
  }
}
