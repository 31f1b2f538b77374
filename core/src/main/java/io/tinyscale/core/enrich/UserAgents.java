package io.tinyscale.core.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * User agent → browser, operating system, device class and the bot flag, with <a
 * href="https://yauaa.basjes.nl">yauaa</a>.
 *
 * <h2>The bot rule</h2>
 *
 * This class is the one place that decides whether a click came from a bot (bots are stored and
 * flagged, and left out of the default stats). A click is a bot's when any of these holds:
 *
 * <ol>
 *   <li>the user agent is missing or blank;
 *   <li>yauaa's {@code DeviceClass} is one of {@value #BOT_DEVICE_CLASSES_DOC};
 *   <li>yauaa's {@code AgentClass} is one of {@value #BOT_AGENT_CLASSES_DOC};
 *   <li>the user agent names one of these automation clients (case-insensitive, as a whole product
 *       token, so {@code curl/8.5.0} matches and {@code curling} does not). yauaa already calls
 *       most of these robots; the list is the safety net for the ones its rules miss or may miss in
 *       a later release (headless Chrome, for one, is an ordinary desktop Chrome to it):
 *       <ul>
 *         <li>command-line tools and HTTP libraries: curl, Wget, python-requests, Python-urllib,
 *             aiohttp, Go-http-client, okhttp, Apache-HttpClient, Java-http-client, Java/ (the
 *             JDK's HttpURLConnection), axios, node-fetch, undici, libwww-perl, HTTPie,
 *             PostmanRuntime;
 *         <li>headless browsers: HeadlessChrome, PhantomJS;
 *         <li>link-preview fetchers (a link pasted into a chat is fetched once per chat, not
 *             clicked): facebookexternalhit, Twitterbot, Slackbot, Discordbot, TelegramBot,
 *             WhatsApp, LinkedInBot, Applebot, Googlebot.
 *       </ul>
 * </ol>
 *
 * A bot still gets browser/OS/device values where yauaa finds them. yauaa reports garbage,
 * injection attempts and user agents over 2048 characters as class {@code Hacker}, so those are
 * bots too.
 *
 * <h2>Cost</h2>
 *
 * Building the analyzer is expensive (seconds of CPU and about 115 MB of heap, see
 * docs/benchmarks.md), so build one {@code UserAgents} per process and share it; only the four
 * fields used here are requested. Clicks repeat few distinct user agents, so whole answers (yauaa's
 * fields and the bot rule) are cached ({@value #CACHE_SIZE} entries): a repeat costs one hash
 * lookup instead of yauaa and the automation-client regex. User agents longer than {@value
 * #MAX_CACHED_LENGTH} characters are parsed every time, so that no client can fill the cache with
 * large keys.
 *
 * <h2>Threads</h2>
 *
 * Safe to share: yauaa serialises the matching itself (one new user agent at a time) and the cache
 * is concurrent, so cache hits run in parallel; this class holds no other mutable state.
 */
public final class UserAgents {

  /**
   * What this class tells about one user agent: yauaa's {@code AgentName}, {@code
   * OperatingSystemName} and {@code DeviceClass} (null where yauaa says "Unknown" or "??", at most
   * 100 characters), and the bot flag of the rule above.
   */
  public record Agent(String browser, String os, String device, boolean bot) {
    static final Agent MISSING = new Agent(null, null, null, true);
  }

  static final int CACHE_SIZE = 10_000;
  static final int MAX_CACHED_LENGTH = 1024;
  static final int MAX_VALUE_LENGTH = 100;

  static final String BOT_DEVICE_CLASSES_DOC = "Robot, Robot Mobile, Robot Imitator, Spy, Hacker";
  static final String BOT_AGENT_CLASSES_DOC =
      "Robot, Robot Mobile, Robot Imitator, Special, Hacker";
  private static final Set<String> BOT_DEVICE_CLASSES = split(BOT_DEVICE_CLASSES_DOC);
  private static final Set<String> BOT_AGENT_CLASSES = split(BOT_AGENT_CLASSES_DOC);

  /** Product names of automation clients, as they appear in their user agents. */
  static final Set<String> AUTOMATION_CLIENTS =
      Set.of(
          "curl",
          "Wget",
          "python-requests",
          "Python-urllib",
          "aiohttp",
          "Go-http-client",
          "okhttp",
          "Apache-HttpClient",
          "Java-http-client",
          "Java/",
          "axios",
          "node-fetch",
          "undici",
          "libwww-perl",
          "HTTPie",
          "PostmanRuntime",
          "HeadlessChrome",
          "PhantomJS",
          "facebookexternalhit",
          "Twitterbot",
          "Slackbot",
          "Discordbot",
          "TelegramBot",
          "WhatsApp",
          "LinkedInBot",
          "Applebot",
          "Googlebot");

  // A name counts when no letter or digit is glued before it and no letter after it, so
  // "curl/8", "Java/17" and "Slackbot-LinkExpanding" match and "curling" and "xcurl" do not.
  private static final Pattern AUTOMATION =
      Pattern.compile(
          AUTOMATION_CLIENTS.stream()
              .map(Pattern::quote)
              .collect(Collectors.joining("|", "(?<![a-z0-9])(?:", ")(?![a-z])")),
          Pattern.CASE_INSENSITIVE);

  private static final Set<String> UNKNOWN = Set.of("unknown", "??", "unknown ??");

  private final UserAgentAnalyzer analyzer;
  private final Cache<String, Agent> cache = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

  /** Builds the analyzer now (seconds, see the class comment), so the first event is not slow. */
  public UserAgents() {
    this.analyzer =
        UserAgentAnalyzer.newBuilder()
            .withField(UserAgent.AGENT_NAME)
            .withField(UserAgent.AGENT_CLASS)
            .withField(UserAgent.OPERATING_SYSTEM_NAME)
            .withField(UserAgent.DEVICE_CLASS)
            .withoutCache() // this class caches whole answers
            .dropTests()
            .hideMatcherLoadStats()
            .immediateInitialization()
            .build();
  }

  /** Parses {@code userAgent}; a missing or blank one is a bot with nothing else known. */
  public Agent parse(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return Agent.MISSING;
    }
    return userAgent.length() <= MAX_CACHED_LENGTH
        ? cache.get(userAgent, this::analyze)
        : analyze(userAgent);
  }

  private Agent analyze(String userAgent) {
    UserAgent parsed = analyzer.parse(userAgent);
    String deviceClass = parsed.getValue(UserAgent.DEVICE_CLASS);
    String agentClass = parsed.getValue(UserAgent.AGENT_CLASS);
    boolean bot =
        BOT_DEVICE_CLASSES.contains(deviceClass)
            || BOT_AGENT_CLASSES.contains(agentClass)
            || namesAutomationClient(userAgent);
    return new Agent(
        known(parsed.getValue(UserAgent.AGENT_NAME)),
        known(parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME)),
        known(deviceClass),
        bot);
  }

  static boolean namesAutomationClient(String userAgent) {
    return AUTOMATION.matcher(userAgent).find();
  }

  private static String known(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    if (v.isEmpty() || UNKNOWN.contains(v.toLowerCase(Locale.ROOT))) {
      return null;
    }
    return Texts.truncate(v, MAX_VALUE_LENGTH).strip();
  }

  private static Set<String> split(String commaSeparated) {
    return Set.of(commaSeparated.split(",\\s*"));
  }
}
