package io.tinyscale.core.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserAgentsTest {

  private static final String CHROME_WINDOWS =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
            Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36            | Chrome                 | Windows NT   | Desktop | false
            Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0 | Edge                | Windows NT   | Desktop | false
            Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0                                            | Firefox                | Ubuntu       | Desktop | false
            Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15     | Safari                 | Mac OS       | Desktop | false
            Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 | Safari    | iOS          | Phone   | false
            Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1 | Safari          | iOS          | Tablet  | false
            Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36 | Chrome                 | Android      | Phone   | false
            Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)                                                   | Googlebot              | Google Cloud | Robot   | true
            Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)                                                    | Bingbot                | Microsoft Cloud | Robot | true
            curl/8.5.0                                                                                                                  | Curl                   | Cloud        | Robot   | true
            python-requests/2.32.3                                                                                                      | Python-Requests        | Cloud        | Robot   | true
            Wget/1.21.4                                                                                                                 | Wget                   | Cloud        | Robot   | true
            Java/17.0.9                                                                                                                 | Java                   | Cloud        | Robot   | true
            Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36              | Chrome                 | Linux        | Desktop | true
            facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)                                                   | Facebookexternalhit    | Cloud        | Robot   | true
            Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)                                                                  | Slackbot-LinkExpanding | Cloud        | Robot   | true
            WhatsApp/2.23.20.0 A                                                                                                        | WhatsApp               | Android      | Mobile  | true
            """)
  void knownUserAgents(String userAgent, String browser, String os, String device, boolean bot) {
    assertThat(Shared.userAgents().parse(userAgent))
        .isEqualTo(new UserAgents.Agent(browser, os, device, bot));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\t"})
  void aMissingUserAgentIsABotWithNothingElseKnown(String userAgent) {
    assertThat(Shared.userAgents().parse(userAgent))
        .isEqualTo(new UserAgents.Agent(null, null, null, true));
  }

  @Test
  void headlessChromeIsABotBecauseOfTheAutomationListNotBecauseOfYauaa() {
    // yauaa calls it an ordinary desktop Chrome; only the documented list makes it a bot
    var agent =
        Shared.userAgents()
            .parse(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36");
    assertThat(agent.device()).isEqualTo("Desktop");
    assertThat(agent.bot()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Python-urllib/3.12",
        "Python/3.12 aiohttp/3.10.10",
        "Go-http-client/1.1",
        "okhttp/4.12.0",
        "Apache-HttpClient/4.5.14 (Java/17.0.9)",
        "Java-http-client/21.0.5",
        "Java/17.0.9",
        "axios/1.7.7",
        "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
        "undici",
        "libwww-perl/6.72",
        "HTTPie/3.2.4",
        "PostmanRuntime/7.42.0",
        "Mozilla/5.0 (Unknown; Linux x86_64) PhantomJS/2.1.1 Safari/538.1",
        "Twitterbot/1.0",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "TelegramBot (like TwitterBot)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1)"
      })
  void automationClientsAreBots(String userAgent) {
    assertThat(Shared.userAgents().parse(userAgent).bot()).as(userAgent).isTrue();
  }

  @Test
  void automationTokensMatchWholeProductNamesOnly() {
    assertThat(UserAgents.namesAutomationClient("curl/8.5.0")).isTrue();
    assertThat(UserAgents.namesAutomationClient("Mozilla/5.0 (compatible; CURL 7)")).isTrue();
    assertThat(UserAgents.namesAutomationClient("Java/21")).isTrue();
    assertThat(UserAgents.namesAutomationClient("Slackbot-LinkExpanding 1.0")).isTrue();
    assertThat(UserAgents.namesAutomationClient("CurlingScores/2.0")).isFalse();
    assertThat(UserAgents.namesAutomationClient("MyJavaScriptApp/1.0")).isFalse();
    assertThat(UserAgents.namesAutomationClient("xcurl/1.0")).isFalse();
    assertThat(UserAgents.namesAutomationClient(CHROME_WINDOWS)).isFalse();
  }

  @Test
  void textValuesAreCutToAHundredCharacters() {
    var agent =
        Shared.userAgents()
            .parse("Mozilla/5.0 (compatible; " + "Longbrowsername".repeat(20) + "/1.0)");
    assertThat(agent.browser()).hasSize(100).startsWith("LongbrowsernameLongbrowsername");
  }

  @Test
  void unknownValuesBecomeNull() {
    // yauaa answers "Unknown" for the OS and device of a bare "Mozilla/5.0"
    var agent = Shared.userAgents().parse("Mozilla/5.0");
    assertThat(agent.os()).isNull();
    assertThat(agent.device()).isNull();
  }

  @Test
  void oneInstanceServesConcurrentThreads() throws Exception {
    var userAgents = Shared.userAgents();
    List<String> inputs =
        List.of(
            CHROME_WINDOWS,
            "curl/8.5.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1");
    List<UserAgents.Agent> expected = inputs.stream().map(userAgents::parse).toList();
    try (var pool = Executors.newFixedThreadPool(4)) {
      List<Callable<Boolean>> tasks =
          IntStream.range(0, 200)
              .<Callable<Boolean>>mapToObj(
                  i ->
                      () -> {
                        int k = i % inputs.size();
                        // a fresh String each time so the cache is not the only path exercised
                        return userAgents
                            .parse(new String(inputs.get(k)) + (i % 7 == 0 ? " " : ""))
                            .equals(expected.get(k));
                      })
              .toList();
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isTrue();
      }
    }
  }
}
