package io.tinyscale.bench;

import io.tinyscale.core.UuidV7;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.enrich.IpAnonymizer;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Click events as the redirect would produce them, reproducibly (one seed): links chosen with a
 * Zipf-like popularity (a few links get most clicks), real browser user agents with a spread of
 * versions and devices, about one in seven clicks from a bot, crawler, link-preview fetcher or HTTP
 * library, a few with no user agent at all; IPv4 and IPv6 clients from networks that the regional
 * registries allocated, truncated as the edge truncates them (/24, /48); referrers from search
 * engines, social sites, chats and mail, or none; times spread evenly, with jitter, over the given
 * span. Event ids are UUIDv7, as the redirect makes them.
 */
final class SyntheticClicks {

  /** A link the clicks may point at. */
  record Link(String code, long id) {}

  // %d is a version (or device) number drawn for each click, so a template gives many strings
  private record Template(String format, int minVersion, int maxVersion, int weight) {}

  private static final List<Template> BROWSERS =
      List.of(
          new Template(
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
              118, 131, 22),
          new Template(
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
              118, 131, 8),
          new Template(
              "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
              118, 131, 3),
          new Template(
              "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36",
              118, 131, 14),
          new Template(
              "Mozilla/5.0 (Linux; Android 14; SM-S91%dB) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
              1, 8, 3),
          new Template(
              "Mozilla/5.0 (Linux; Android 14; Pixel %d) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.53 Mobile Safari/537.36",
              6, 9, 2),
          new Template(
              "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%1$d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%1$d Mobile/15E148 Safari/604.1",
              0, 6, 16),
          new Template(
              "Mozilla/5.0 (iPad; CPU OS 17_%1$d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%1$d Mobile/15E148 Safari/604.1",
              0, 6, 2),
          new Template(
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Safari/605.1.15",
              0, 6, 5),
          new Template(
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%1$d.0) Gecko/20100101 Firefox/%1$d.0",
              115, 133, 4),
          new Template(
              "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:%1$d.0) Gecko/20100101 Firefox/%1$d.0",
              115, 133, 1),
          new Template(
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.%d; rv:128.0) Gecko/20100101 Firefox/128.0",
              0, 6, 1),
          new Template(
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%1$d.0.0.0 Safari/537.36 Edg/%1$d.0.0.0",
              118, 131, 5),
          new Template(
              "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/%d.0 Chrome/115.0.0.0 Mobile Safari/537.36",
              21, 25, 2),
          new Template(
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/%d.0.0.0",
              100, 112, 1),
          new Template(
              "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/%d.0.6367.88 Mobile/15E148 Safari/604.1",
              118, 125, 2),
          new Template(
              "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 3%d.0.0.22.106 (iPhone15,3; iOS 17_1; en_US; en; scale=3.00; 1290x2796)",
              10, 19, 2),
          new Template(
              "Mozilla/5.0 (Linux; Android 14; moto g%d 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/460.0.0.48.109;]",
              50, 84, 1));

  // crawlers, link-preview fetchers, HTTP libraries and a headless browser: all bots by the rule in
  // core
  private static final List<Template> BOTS =
      List.of(
          new Template(
              "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 0, 0, 3),
          new Template(
              "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.6099.71 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
              118, 125, 2),
          new Template(
              "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 0, 0, 2),
          new Template(
              "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 0, 0, 1),
          new Template(
              "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", 0, 0, 3),
          new Template("Twitterbot/1.0", 0, 0, 2),
          new Template("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", 0, 0, 2),
          new Template(
              "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", 0, 0, 1),
          new Template("TelegramBot (like TwitterBot)", 0, 0, 1),
          new Template("WhatsApp/2.%d.20.0 A", 22, 24, 1),
          new Template(
              "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
              0,
              0,
              1),
          new Template("curl/8.%d.0", 0, 11, 2),
          new Template("python-requests/2.%d.0", 25, 32, 1),
          new Template("Go-http-client/1.1", 0, 0, 1),
          new Template("okhttp/4.%d.0", 9, 12, 1),
          new Template(
              "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/%d.0.6099.109 Safari/537.36",
              118, 125, 1));

  private static final List<String> REFERRERS =
      List.of(
          "https://www.google.com/",
          "https://www.google.de/",
          "https://www.bing.com/",
          "https://duckduckgo.com/",
          "https://t.co/%s",
          "https://www.facebook.com/",
          "https://l.facebook.com/l.php?u=%s",
          "https://www.linkedin.com/feed/",
          "https://news.ycombinator.com/item?id=4%s",
          "https://www.reddit.com/r/programming/comments/%s/",
          "https://old.reddit.com/r/selfhosted/",
          "https://mail.google.com/",
          "https://outlook.live.com/",
          "android-app://com.google.android.gm/",
          "android-app://com.slack/",
          "https://app.slack.com/client/T%s",
          "https://github.com/tinyscale/tinyscale/issues/%s",
          "https://lobste.rs/s/%s",
          "https://www.youtube.com/",
          "https://mastodon.social/@tinyscale/%s",
          "https://teams.microsoft.com/",
          "https://www.instagram.com/");

  // first 16 bits of IPv6 networks in each registry's /12 (RIPE, ARIN, APNIC, LACNIC, AFRINIC)
  private static final int[] IPV6_PREFIXES = {
    0x2a00, 0x2a01, 0x2a02, 0x2a03, 0x2600, 0x2601, 0x2602, 0x2603, 0x2604, 0x2605, 0x2400, 0x2401,
    0x2402, 0x2403, 0x2404, 0x2800, 0x2801, 0x2803, 0x2c0f
  };

  private final List<Link> links;
  private final double[] cumulative;
  private final SplittableRandom random;
  private final long from;
  private final double step;
  private final int botsWeight;
  private final int browsersWeight;

  /**
   * @param links the links clicked (at least one); the first is the most popular
   * @param events how many events {@link #next} will be asked for, so that their times cover {@code
   *     [from, to)} evenly
   */
  SyntheticClicks(List<Link> links, long seed, Instant from, Instant to, long events) {
    if (links.isEmpty()) {
      throw new IllegalArgumentException("no links to click");
    }
    this.links = List.copyOf(links);
    this.random = new SplittableRandom(seed);
    this.from = from.toEpochMilli();
    this.step = (double) (to.toEpochMilli() - this.from) / Math.max(1, events);
    // Zipf with exponent 1: link k (from 1) is clicked in proportion to 1/k
    cumulative = new double[links.size()];
    double sum = 0;
    for (int k = 0; k < links.size(); k++) {
      sum += 1.0 / (k + 1);
      cumulative[k] = sum;
    }
    for (int k = 0; k < cumulative.length; k++) {
      cumulative[k] /= sum;
    }
    botsWeight = BOTS.stream().mapToInt(Template::weight).sum();
    browsersWeight = BROWSERS.stream().mapToInt(Template::weight).sum();
  }

  /** The {@code i}-th event (call with 0, 1, 2, …). */
  ClickEvent next(long i) {
    Link link = link();
    long at = from + (long) (i * step) + random.nextLong(2_000);
    return new ClickEvent(
        UuidV7.next(),
        link.code(),
        link.id(),
        Instant.ofEpochMilli(at),
        ip(),
        userAgent(),
        referrer());
  }

  private Link link() {
    int k = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
    return links.get(Math.min(k < 0 ? -k - 1 : k, links.size() - 1));
  }

  private String userAgent() {
    int roll = random.nextInt(1000);
    if (roll < 15) {
      return null; // 1.5 %: no User-Agent header
    }
    if (roll < 160) {
      return pick(BOTS, botsWeight); // 14.5 %
    }
    return pick(BROWSERS, browsersWeight);
  }

  private String pick(List<Template> templates, int totalWeight) {
    int w = random.nextInt(totalWeight);
    for (Template t : templates) {
      w -= t.weight();
      if (w < 0) {
        // recent versions are more common: the larger of two draws
        int v = Math.max(version(t), version(t));
        return t.format().contains("%") ? String.format(t.format(), v) : t.format();
      }
    }
    throw new IllegalStateException("weights");
  }

  private int version(Template t) {
    return t.minVersion() + random.nextInt(t.maxVersion() - t.minVersion() + 1);
  }

  private String ip() {
    String full;
    if (random.nextInt(100) < 82) {
      int first;
      do {
        first = 1 + random.nextInt(223);
      } while (first == 10
          || first == 100
          || first == 127
          || first == 169
          || first == 172
          || first == 192);
      full =
          first
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256)
              + "."
              + (1 + random.nextInt(254));
    } else {
      int prefix = IPV6_PREFIXES[random.nextInt(IPV6_PREFIXES.length)];
      StringBuilder s = new StringBuilder(Integer.toHexString(prefix));
      for (int g = 1; g < 8; g++) {
        s.append(':').append(Integer.toHexString(random.nextInt(0x10000)));
      }
      full = s.toString();
    }
    return IpAnonymizer.anonymize(full, false); // the edge stores no whole address
  }

  private String referrer() {
    if (random.nextInt(100) < 42) {
      return null; // typed, bookmarked, or a referrer policy that sends none
    }
    String r = REFERRERS.get(random.nextInt(REFERRERS.size()));
    return r.contains("%s") ? r.formatted(Long.toString(random.nextLong(1L << 40), 36)) : r;
  }
}
