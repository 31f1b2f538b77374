package io.tinyscale.app.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.DevStackTestResource;
import io.tinyscale.app.UserWithALink;
import io.tinyscale.core.UuidV7;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.SseStream;
import io.tinyscale.testkit.SseStream.Frame;
import io.tinyscale.testkit.Waits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The live stream over HTTP against a real broker: clicks made by redirects arrive, enriched, in
 * order, to their owner only; a resumed stream misses none and repeats none; a client that stops
 * reading is dropped while another keeps up; a key holds a bounded number of streams.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class LiveStreamTest extends UserWithALink {
  static final String FIREFOX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
  static final String GOOGLEBOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  @Test
  void aStreamGetsEachClickOfItsLinkOnceInOrderAndEnriched() {
    try (SseStream stream = open("/api/stream/" + code, user)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      assertThat(stream.header("Cache-Control")).isEqualTo("no-store");
      assertThat(stream.header("RateLimit-Limit")).isNotBlank();
      assertThat(stream.header("Content-Security-Policy")).startsWith("default-src 'none'");
      awaitReady(stream);
      int n = 20;
      for (int i = 0; i < n; i++) {
        click(code, i, i % 2 == 0 ? FIREFOX : GOOGLEBOT, "8.8.8.8");
      }
      Waits.untilEquals("clicks streamed", n, () -> stream.events("click").size());
      List<Frame> clicks = stream.events("click");
      assertThat(clicks)
          .extracting(c -> c.json().get("referrerHost").asText())
          .isEqualTo(hosts(0, n));
      assertThat(stream.frames().getFirst().comment()).as("the first frame").isEqualTo("ready");
      for (int i = 0; i < n; i++) {
        Frame c = clicks.get(i);
        assertThat(c.json().get("code").asText()).isEqualTo(code);
        assertThat(UuidV7.isV7(UUID.fromString(c.id()))).isTrue();
        assertThat(Instant.parse(c.json().get("clickedAt").asText())).isBefore(Instant.now());
        assertThat(c.json().get("country").asText()).isEqualTo("US");
        if (i % 2 == 0) {
          assertThat(c.json().get("browser").asText()).isEqualTo("Firefox");
          assertThat(c.json().get("os").asText()).isEqualTo("Linux");
          assertThat(c.json().get("bot").asBoolean()).isFalse();
        } else {
          assertThat(c.json().get("bot").asBoolean()).isTrue();
        }
      }
      assertThat(clicks).extracting(Frame::id).doesNotHaveDuplicates();
      // the fields the OpenAPI document promises (schema LiveClick), no more, in its order
      List<String> fields = new ArrayList<>();
      clicks.getFirst().json().fieldNames().forEachRemaining(fields::add);
      assertThat(fields)
          .isEqualTo(
              Arrays.stream(LiveClick.class.getRecordComponents())
                  .map(RecordComponent::getName)
                  .toList());
      assertThat(api.metric("tinyscale_sse_clients")).isGreaterThanOrEqualTo(1);
      assertThat(api.metric("tinyscale_sse_events_total")).isGreaterThanOrEqualTo(n);
    }
    // measured when it ended, under its route template: one series however many links stream
    Waits.until(
        "the stream measured under its template",
        () -> api.get("/metrics").body().contains("uri=\"/api/stream/{code}\""));
    assertThat(api.get("/metrics").body()).doesNotContain(code);
  }

  @Test
  void resumingWithTheLastEventIdLosesNoneAndRepeatsNone() {
    List<String> received = new ArrayList<>();
    String last;
    try (SseStream first = open("/api/stream/" + code, user)) {
      awaitReady(first);
      for (int i = 0; i < 5; i++) {
        click(code, i, FIREFOX, "8.8.8.8");
      }
      List<Frame> clicks = first.awaitEvents("click", 5);
      clicks.forEach(c -> received.add(c.json().get("referrerHost").asText()));
      last = clicks.getLast().id();
    }
    for (int i = 5; i < 12; i++) { // while nobody listens
      click(code, i, FIREFOX, "8.8.8.8");
    }
    try (SseStream resumed = open("/api/stream/" + code, user, "Last-Event-ID", last)) {
      awaitReady(resumed);
      for (int i = 12; i < 15; i++) {
        click(code, i, FIREFOX, "8.8.8.8");
      }
      Waits.untilEquals("clicks after the resume", 10, () -> resumed.events("click").size());
      resumed.events("click").forEach(c -> received.add(c.json().get("referrerHost").asText()));
    }
    assertThat(received).isEqualTo(hosts(0, 15));
  }

  @Test
  void aStreamResumesFromAnyClickItWasSentAlsoByQueryParameter() {
    List<Frame> all;
    try (SseStream first = open("/api/stream/" + code, user)) {
      awaitReady(first);
      for (int i = 0; i < 6; i++) {
        click(code, i, FIREFOX, "8.8.8.8");
      }
      all = first.awaitEvents("click", 6);
    }
    try (SseStream resumed =
        open("/api/stream/" + code + "?lastEventId=" + all.get(2).id(), user)) {
      Waits.untilEquals("clicks after the third", 3, () -> resumed.events("click").size());
      assertThat(resumed.events("click"))
          .extracting(Frame::id)
          .isEqualTo(all.subList(3, 6).stream().map(Frame::id).toList());
    }
  }

  @Test
  void anAccountsStreamShowsAllOfItsLinksAndNobodyElsesClicks() {
    String second = api.shorten(user, "https://example.com/live-2");
    User other = api.register();
    String othersCode = api.shorten(other, "https://example.com/theirs");
    try (SseStream mine = open("/api/stream", user);
        SseStream theirs = open("/api/stream", other);
        SseStream theirsOfMyLink = open("/api/stream/" + code, other)) {
      assertThat(theirsOfMyLink.status()).isEqualTo(404);
      assertThat(theirsOfMyLink.header("Content-Type")).startsWith("application/problem+json");
      awaitReady(mine);
      awaitReady(theirs);
      String later = api.shorten(user, "https://example.com/made-after-connecting");
      click(code, 0, FIREFOX, "8.8.8.8");
      click(othersCode, 1, FIREFOX, "8.8.8.8");
      click(second, 2, FIREFOX, "8.8.8.8");
      click(later, 3, FIREFOX, "8.8.8.8");
      click(othersCode, 4, FIREFOX, "8.8.8.8");
      Waits.untilEquals("my clicks", 3, () -> mine.events("click").size());
      Waits.untilEquals("their clicks", 2, () -> theirs.events("click").size());
      // in order per link; links may be on different partitions, whose order is by time only
      assertThat(mine.events("click"))
          .extracting(c -> c.json().get("code").asText())
          .containsExactlyInAnyOrder(code, second, later);
      assertThat(theirs.events("click"))
          .extracting(c -> c.json().get("code").asText())
          .containsExactly(othersCode, othersCode);
    }
  }

  @Test
  void aClientThatStopsReadingGetsOverflowWhileAnotherKeepsReceiving() throws IOException {
    double droppedBefore = api.metric("tinyscale_sse_dropped_total");
    try (SseStream reader = open("/api/stream/" + code, user);
        Socket stalled = new Socket()) {
      // a receive window of a few KB, and nothing read after the head: the server's writes back up
      stalled.setReceiveBufferSize(4096);
      stalled.setSoTimeout(30_000);
      stalled.connect(new java.net.InetSocketAddress(root.getHost(), root.getPort()));
      stalled
          .getOutputStream()
          .write(
              ("GET /api/stream/"
                      + code
                      + " HTTP/1.1\r\nHost: "
                      + root.getHost()
                      + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                      + user.apiKey()
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      awaitReady(reader);
      String head = readUntil(stalled.getInputStream(), ": ready\n\n");
      assertThat(head).startsWith("HTTP/1.1 200");
      int sent = 0;
      while (api.metric("tinyscale_sse_dropped_total") == droppedBefore) {
        assertThat(sent)
            .as(
                "clicks before the stalled client overflows; the reader got "
                    + reader.events("click").size())
            .isLessThan(100_000);
        for (int i = 0; i < 200; i++, sent++) {
          click(code, sent, FIREFOX, "8.8.8.8");
        }
      }
      int total = sent;
      Waits.untilEquals(
          "clicks the reading client got", total, () -> reader.events("click").size());
      assertThat(reader.events("click"))
          .extracting(c -> c.json().get("referrerHost").asText())
          .isEqualTo(hosts(0, total));
      // the stalled client reads at last: a prefix of the clicks, the farewell, and the end
      String text = readToEnd(stalled.getInputStream());
      assertThat(text).contains("event: overflow");
      assertThat(text.substring(text.indexOf("event: overflow"))).doesNotContain("event: click");
    }
  }

  @Test
  void aKeyHoldsAtMostTheConfiguredNumberOfStreams() {
    List<SseStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        open.add(open("/api/stream", user));
        assertThat(open.getLast().status()).isEqualTo(200);
      }
      try (SseStream eleventh = open("/api/stream/" + code, user)) {
        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.header("Content-Type")).startsWith("application/problem+json");
        assertThat(eleventh.header("Retry-After")).isNotBlank();
        eleventh.awaitEnd();
        assertThat(eleventh.body()).contains("urn:tinyscale:problem:too-many-streams");
      }
      User other = api.register();
      try (SseStream othersStream = open("/api/stream", other)) {
        assertThat(othersStream.status()).as("another key's").isEqualTo(200);
      }
      open.removeFirst().close();
      Waits.until(
          "a slot freed by a closed stream",
          () -> {
            SseStream again = open("/api/stream", user);
            if (again.status() == 200) {
              open.add(again);
              return true;
            }
            again.close();
            return false;
          });
    } finally {
      open.forEach(SseStream::close);
    }
  }

  @Test
  void anIdleStreamGetsHeartbeatsAndBadRequestsAreProblems() {
    try (SseStream stream = open("/api/stream/" + code, user)) {
      awaitReady(stream);
      stream.await("a heartbeat", f -> "heartbeat".equals(f.comment()));
    }
    Res unknown = api.get("/api/stream/no-such-link", user.auth());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    Res badId = api.get("/api/stream/" + code, user.auth("Last-Event-ID", "not-an-id"));
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.contentType()).startsWith("application/problem+json");
    Res v4 = api.get("/api/stream?lastEventId=" + UUID.randomUUID(), user.auth());
    assertThat(v4.status()).isEqualTo(400);
    assertThat(api.get("/api/stream").status()).isEqualTo(401);
  }

  private SseStream open(String path, User who, String... headers) {
    String[] all = who.auth(headers);
    return SseStream.open(root.toString().replaceAll("/$", "") + path, all);
  }

  private static void awaitReady(SseStream stream) {
    stream.await("': ready'", f -> "ready".equals(f.comment()));
  }

  /** A redirect from a client with this user agent and address, referred by r{i}.example. */
  private void click(String code, int i, String userAgent, String ip) {
    Res res =
        api.get(
            "/" + code,
            "User-Agent",
            userAgent,
            "X-Forwarded-For",
            ip,
            "Referer",
            "https://r" + i + ".example/page");
    assertThat(res.status()).isEqualTo(302);
  }

  private static List<String> hosts(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "r" + i + ".example").toList();
  }

  /** Reads byte by byte up to and including {@code end}: nothing after it is taken. */
  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (!read.toString(StandardCharsets.UTF_8).endsWith(end)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("ended before " + end + ": " + read);
      }
      read.write(b);
    }
    return read.toString(StandardCharsets.UTF_8);
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }
}
