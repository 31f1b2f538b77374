package io.tinyscale.bench.jmh;

import io.tinyscale.app.capture.JournalRecord;
import io.tinyscale.core.UuidV7;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.enrich.IpAnonymizer;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A click from the redirect to Kafka: the event built on the event loop ({@code
 * RedirectHandler.answer}), its journal record (written on the event loop, before the answer) and
 * its wire format (JSON, written by the shipper thread off the event loop), with a desktop
 * browser's user agent and a referrer.
 */
@State(Scope.Thread)
public class ClickEncodingBenchmark {
  String ip = "203.0.113.77";
  String userAgent =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0.0.0 Safari/537.36";
  String referrer = "https://news.example.org/item?id=41234567";
  ClickEvent click;
  ClickEventJson.Encoder shipperEncoder;

  @Setup
  public void setUp() {
    click = newClick();
    shipperEncoder = new ClickEventJson.Encoder();
  }

  @TearDown
  public void tearDown() {
    shipperEncoder.close();
  }

  /** The event as the redirect makes it: a UUIDv7, the clock, the anonymised address. */
  @Benchmark
  public ClickEvent newClick() {
    return new ClickEvent(
        UuidV7.next(),
        "aB3dE9x",
        42L,
        Instant.ofEpochMilli(System.currentTimeMillis()),
        IpAnonymizer.anonymize(ip, false),
        userAgent,
        referrer);
  }

  @Benchmark
  public byte[] journalRecord() {
    return JournalRecord.encode(click);
  }

  /** The wire format as the shipper writes it: one encoder reused, event after event. */
  @Benchmark
  public byte[] json() {
    return shipperEncoder.encode(click);
  }

  /** The wire format with an encoder per event ({@code ClickEventJson.encode}). */
  @Benchmark
  public byte[] jsonOneShot() {
    return ClickEventJson.encode(click);
  }
}
