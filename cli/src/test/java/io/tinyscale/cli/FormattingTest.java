package io.tinyscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** What people read: tables, times, error sentences; and what is parsed before a request. */
class FormattingTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  void tablesAlignColumnsWithoutTrailingSpaces() {
    String table =
        new Table("CODE", "URL", "NOTE")
            .row("abc", "https://example.com", "")
            .row("longer-code", null, "x")
            .render();
    assertThat(table)
        .isEqualTo(
            """
        CODE         URL                  NOTE
        abc          https://example.com
        longer-code  -                    x
        """);
    assertThat(Table.pairs(List.of(new String[] {"code", "hi"}, new String[] {"last click", null})))
        .isEqualTo("code        hi\nlast click  -\n");
  }

  @Test
  void timesAreShownToTheMinuteInTheUsersZone() {
    assertThat(Times.show("2026-11-20T09:30:12.123456Z", PARIS, "-")).isEqualTo("2026-11-20 10:30");
    assertThat(Times.show("2026-07-01T23:59:59+02:00", ZoneOffset.UTC, "-"))
        .isEqualTo("2026-07-01 21:59");
    assertThat(Times.show(null, PARIS, "never")).isEqualTo("never");
    assertThat(Times.show("not a time", PARIS, "-")).isEqualTo("not a time");
  }

  @Test
  void expiryFromNowBecomesAnInstantAndInstantsPassThrough() {
    Expiry expiry =
        new Expiry(Clock.fixed(Instant.parse("2026-01-01T00:00:00.750Z"), ZoneOffset.UTC));
    assertThat(expiry.convert("90s")).isEqualTo("2026-01-01T00:01:30Z");
    assertThat(expiry.convert("30m")).isEqualTo("2026-01-01T00:30:00Z");
    assertThat(expiry.convert("12h")).isEqualTo("2026-01-01T12:00:00Z");
    assertThat(expiry.convert("7d")).isEqualTo("2026-01-08T00:00:00Z");
    assertThat(expiry.convert("2w")).isEqualTo("2026-01-15T00:00:00Z");
    // the server judges everything else, so its rules stay in one place
    assertThat(expiry.convert("2030-01-31T12:00:00Z")).isEqualTo("2030-01-31T12:00:00Z");
    assertThat(expiry.convert("tomorrow")).isEqualTo("tomorrow");
    assertThatThrownBy(() -> expiry.convert("0d"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("future");
    assertThatThrownBy(() -> expiry.convert(" ")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void aValidationProblemIsOneSentenceWithEveryField() {
    String body =
        """
        {"type":"urn:tinyscale:problem:validation","title":"The request is not valid","status":400,
         "detail":"2 fields are invalid","errors":[{"field":"url","message":"only http:// and https:// URLs can be shortened"},
         {"field":"alias","message":"is reserved"}]}""";
    Http.Response response = response(400, body, Map.of());
    assertThat(Problems.kind(response)).isEqualTo("validation");
    assertThat(Problems.sentence(response))
        .isEqualTo(
            "The request is not valid: url: only http:// and https:// URLs can be shortened; alias: is reserved");
  }

  @Test
  void otherProblemsUseTitleAndDetailAndRateLimitsSayWhenToRetry() {
    assertThat(
            Problems.sentence(
                response(
                    404,
                    "{\"type\":\"urn:tinyscale:problem:link-not-found\",\"title\":\"No such short link\",\"detail\":\"you have no link /x\"}",
                    Map.of())))
        .isEqualTo("No such short link: you have no link /x");
    assertThat(
            Problems.sentence(
                response(
                    429,
                    "{\"type\":\"urn:tinyscale:problem:rate-limited\",\"title\":\"Too many requests\"}",
                    Map.of("Retry-After", "7"))))
        .isEqualTo("Too many requests (retry in 7 s)");
    assertThat(Problems.sentence(response(502, "<html>bad gateway</html>", Map.of())))
        .isEqualTo("the server answered 502 Bad Gateway without an explanation");
    assertThat(Problems.kind(response(502, "", Map.of()))).isNull();
  }

  @Test
  void jsonTreesRoundTripWithoutAnObjectMapper() {
    String text =
        "{\"a\":[1,2.50,-3,12345678901,123456789012345678901234567890],\"b\":{\"c\":null,\"d\":true,\"e\":\"é\\n\\\"\"}}";
    JsonNode tree = Json.parse(text);
    assertThat(tree.path("a").get(3).asLong()).isEqualTo(12345678901L);
    assertThat(tree.path("b").path("e").asText()).isEqualTo("é\n\"");
    assertThat(Json.write(tree)).isEqualTo(text);
    assertThat(Json.text(tree, "b")).isEqualTo("{\"c\":null,\"d\":true,\"e\":\"é\\n\\\"\"}");
    assertThat(Json.text(tree.path("b"), "c")).isNull();
    assertThat(Json.parse("<html>").isMissingNode()).isTrue();
    assertThat(Json.parse("{\"a\":1} trailing").isMissingNode()).isTrue();
    assertThat(Json.parse("").isMissingNode()).isTrue();
  }

  @Test
  void linksFooterSaysWhereYouAre() {
    assertThat(LinksCommand.footer(1, 20, 0, 0)).startsWith("no links yet");
    assertThat(LinksCommand.footer(1, 20, 20, 45))
        .isEqualTo("page 1 of 3, 45 links (next: --page 2)");
    assertThat(LinksCommand.footer(3, 20, 5, 45)).isEqualTo("page 3 of 3, 45 links");
    assertThat(LinksCommand.footer(9, 20, 0, 1))
        .isEqualTo("page 9 is past the end: 1 link on 1 page");
  }

  @Test
  void statsShowKnownFieldsReadablyAndUnknownOnesAsTheyCome() {
    JsonNode stats =
        Json.parse(
            """
        {"code":"hi","url":"https://example.com","createdAt":"2026-11-20T09:30:00Z","expiresAt":null,
         "totalClicks":12,"humanClicks":10,"botClicks":2,"lastClickAt":"2026-11-20T11:00:00Z",
         "last24h":[{"start":"2026-11-20T09:00:00Z","count":0},{"start":"2026-11-20T10:00:00Z","count":2},
                    {"start":"2026-11-20T11:00:00Z","count":8}],"topCountry":"NL"}""");
    assertThat(StatsCommand.render(stats, PARIS, true))
        .isEqualTo(
            """
        code        hi
        url         https://example.com
        created     2026-11-20 10:30
        expires     never
        clicks      12 (10 by people, 2 by bots)
        last 24 h   10 by people  ▁▃█
        last click  2026-11-20 12:00
        topCountry  NL
        """);
    assertThat(StatsCommand.render(stats, PARIS, false)).contains("last 24 h   10 by people\n");
    assertThat(StatsCommand.render(Json.parse("{\"code\":\"hi\",\"totalClicks\":0}"), PARIS, true))
        .contains("clicks      0\n", "last click  never\n")
        .doesNotContain("last 24 h");
  }

  @Test
  void aLinksClicksOverTimeAreRowsInTheHistogramsZoneWithBarsWhenTheTerminalShowsThem() {
    JsonNode histogram =
        Json.parse(
            """
            {"source":"opensearch","interval":"hour","timeZone":"Europe/Paris",
             "from":"2026-12-07T09:00:00+01:00","to":"2026-12-07T12:00:00+01:00","buckets":[
              {"start":"2026-12-07T09:00:00+01:00","count":4},
              {"start":"2026-12-07T10:00:00+01:00","count":0},
              {"start":"2026-12-07T11:00:00+01:00","count":1}]}""");
    assertThat(AnalyticsCommand.histogram(histogram, "hi", false, true))
        .isEqualTo(
            """
            hi: 5 clicks by people, 2026-12-07 09:00 to 2026-12-07 12:00 (Europe/Paris), per hour
            HOUR              CLICKS
            2026-12-07 09:00  4       ████████████████████████████████████████
            2026-12-07 10:00  0
            2026-12-07 11:00  1       ██████████
            """);
    // without block characters (LANG=C), and from Postgres' hourly counts while OpenSearch is away
    JsonNode days =
        Json.parse(
            """
            {"source":"postgres","interval":"day","timeZone":"UTC","from":"2026-12-06T00:00:00Z",
             "to":"2026-12-07T00:00:00Z","buckets":[{"start":"2026-12-06T00:00:00Z","count":1}]}""");
    assertThat(AnalyticsCommand.histogram(days, "hi", true, false))
        .isEqualTo(
            """
            hi: 1 click (bots included), 2026-12-06 00:00 to 2026-12-07 00:00 (UTC), per day
            (from the hourly counts in whole hours: the search engine is unavailable)
            DAY             CLICKS
            2026-12-06 Sun  1
            """);
    assertThat(AnalyticsCommand.bar(1, 320)).isEqualTo("▏"); // a click is never an empty bar
    assertThat(AnalyticsCommand.bar(3, 16)).isEqualTo("███████▌");
    assertThat(AnalyticsCommand.bar(0, 16)).isEmpty();
  }

  @Test
  void theDefaultIntervalKeepsAHistogramToAFewDozenRows() {
    assertThat(AnalyticsCommand.interval(Duration.ofMinutes(30))).isEqualTo("minute");
    assertThat(AnalyticsCommand.interval(Duration.ofHours(1))).isEqualTo("minute");
    assertThat(AnalyticsCommand.interval(Duration.ofDays(1))).isEqualTo("hour");
    assertThat(AnalyticsCommand.interval(Duration.ofDays(3))).isEqualTo("hour");
    assertThat(AnalyticsCommand.interval(Duration.ofDays(30))).isEqualTo("day");
    assertThat(AnalyticsCommand.interval(Duration.ofDays(180))).isEqualTo("week");
    assertThat(AnalyticsCommand.interval(Duration.ofDays(700))).isEqualTo("month");
  }

  @Test
  void aBreakdownShowsEachValuesShareAndTheRest() {
    JsonNode browsers =
        Json.parse(
            """
            {"items":[{"key":"Firefox","count":3},{"key":"Chrome","count":1}],"other":4}""");
    assertThat(AnalyticsCommand.breakdown(browsers, "hi", "browsers", false))
        .isEqualTo(
            """
            hi: top browsers of 8 clicks by people
            BROWSER  CLICKS  SHARE
            Firefox  3       37.5 %
            Chrome   1       12.5 %
            (other)  4       50.0 %
            """);
    assertThat(
            AnalyticsCommand.breakdown(Json.parse("{\"items\":[],\"other\":0}"), "hi", "os", true))
        .isEqualTo("hi: top os of 0 clicks (bots included)\n");
  }

  @Test
  void aLiveClickIsOneLineInTheUsersZone() {
    JsonNode click =
        Json.parse(
            """
            {"code":"hi","clickedAt":"2026-12-06T21:15:10.123Z","browser":"Firefox","os":"Linux",
             "device":"Desktop","country":"US","referrerHost":"news.example.org","bot":false}""");
    assertThat(LiveCommand.line(click, PARIS))
        .isEqualTo("22:15:10  /hi  US  Firefox on Linux  Desktop  from news.example.org");
    JsonNode unknown =
        Json.parse(
            """
            {"code":"hi","clickedAt":"2026-12-06T21:15:10Z","browser":null,"os":null,
             "device":null,"country":null,"referrerHost":null,"bot":true}""");
    assertThat(LiveCommand.line(unknown, ZoneOffset.UTC))
        .isEqualTo("21:15:10  /hi  --  unknown browser  unknown device  direct  bot");
    assertThat(LiveCommand.retryDelay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(LiveCommand.retryDelay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(LiveCommand.retryDelay(20)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theOverviewShowsTotalsAndTopLinks() {
    JsonNode overview =
        Json.parse(
            """
            {"source":"opensearch","from":"2026-12-06T10:00:00Z","to":"2026-12-07T10:00:00Z",
             "humanClicks":7,"botClicks":2,"totalClicks":9,"links":2,
             "topLinks":[{"code":"hi","url":"https://example.com/a","clicks":7}]}""");
    assertThat(AnalyticsCommand.overview(overview, PARIS, false))
        .isEqualTo(
            """
            your 2 links: 7 clicks by people, 2 by bots, 2026-12-06 11:00 to 2026-12-07 11:00
            CODE  PEOPLE  URL
            hi    7       https://example.com/a
            """);
  }

  @Test
  void deadLettersShowWhyEachFailed() {
    JsonNode page =
        Json.parse(
            """
        {"total":3,"replayedUpTo":1,"items":[
         {"offset":1,"key":"hi","value":"{}","replayed":false,"headers":{"x-error-class":"org.jooq.exception.DataAccessException",
          "x-error-message":"value too long","x-attempts":"3","x-first-failure":"2026-11-20T09:30:00Z"}},
         {"offset":2,"key":"yo","value":"x","replayed":false,"headers":{"x-error-message":"not JSON"}}]}""");
    assertThat(DltCommand.render(page, PARIS))
        .isEqualTo(
            """
        OFFSET  CODE  REPLAYED  ATTEMPTS  FIRST FAILURE     ERROR
        1       hi    no        3         2026-11-20 10:30  DataAccessException: value too long
        2       yo    no        -         -                 not JSON
        3 dead letters in clicks.dlt, the last 2 shown; 2 shown not replayed yet: tinyscale dlt replay
        """);
    assertThat(
            DltCommand.render(Json.parse("{\"total\":0,\"replayedUpTo\":0,\"items\":[]}"), PARIS))
        .isEqualTo("no dead letters in clicks.dlt\n");
  }

  @Test
  void healthNamesEachCheck() {
    JsonNode health =
        Json.parse(
            """
        {"status":"UP","checks":[{"name":"postgres","status":"UP"},
         {"name":"redis","status":"UP","data":{"degraded":true,"error":"Connection refused"}},
         {"name":"kafka","status":"UP","data":{"degraded":true,"spoolBytes":512}}]}""");
    assertThat(HealthCommand.render("http://localhost:8080", health))
        .isEqualTo(
            """
        http://localhost:8080 is ready
          postgres  UP
          redis     UP (degraded, Connection refused)
          kafka     UP (degraded, spoolBytes: 512)
        """);
  }

  @Test
  void smallParsers() {
    assertThat(
            LoginCommand.sessionCookie(
                response(
                    200,
                    "{}",
                    Map.of(
                        "Set-Cookie",
                        "tinyscale_session=abc123; Path=/; Max-Age=604800; HttpOnly"))))
        .isEqualTo("abc123");
    assertThat(LoginCommand.sessionCookie(response(200, "{}", Map.of("Set-Cookie", "other=x"))))
        .isNull();
    assertThat(Http.segment("a b/ü?")).isEqualTo("a%20b%2F%C3%BC%3F");
    assertThat(Http.segment("Ab-9_.~")).isEqualTo("Ab-9_.~");
  }

  @Test
  void onlyTheNamedCommandIsSetUpUnlessAllAreListed() {
    assertThat(Tinyscale.invoked("health")).isEqualTo("health");
    assertThat(Tinyscale.invoked("--server", "http://x", "--json", "--api-key=k", "shorten", "u"))
        .isEqualTo("shorten");
    assertThat(Tinyscale.invoked("--server=http://x", "links")).isEqualTo("links");
    assertThat(Tinyscale.invoked()).isNull();
    assertThat(Tinyscale.invoked("--help")).isNull();
    assertThat(Tinyscale.invoked("-V", "health")).isNull();
    assertThat(Tinyscale.invoked("help", "health")).isNull();
    assertThat(Tinyscale.invoked("completion")).isNull();
    assertThat(Tinyscale.invoked("shortn")).isNull();
  }

  private static Http.Response response(int status, String body, Map<String, String> headers) {
    HttpHeaders h =
        HttpHeaders.of(
            headers.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> List.of(e.getValue()))),
            (a, b) -> true);
    return new Http.Response(status, h, body);
  }
}
