package io.tinyscale.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --expires}: a time from now ({@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, {@code
 * 2w}) becomes an instant here; anything else is passed on for the server to judge, so the rules
 * for instants stay in one place.
 */
final class Expiry implements ITypeConverter<String> {
  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([smhdw])");
  private final Clock clock;

  Expiry() {
    this(Clock.systemUTC());
  }

  Expiry(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String convert(String value) {
    String text = value.strip();
    Optional<Duration> span = span(text);
    if (span.isEmpty()) {
      if (text.isEmpty()) {
        throw new TypeConversionException(
            "give a time from now such as 7d, or an instant such as 2030-01-31T12:00:00Z");
      }
      return text;
    }
    if (span.get().isZero()) {
      throw new TypeConversionException(
          "'" + value + "' is now: give a time in the future such as 7d");
    }
    return clock.instant().plus(span.get()).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d} or {@code 2w} as a duration; else empty. */
  static Optional<Duration> span(String text) {
    Matcher m = RELATIVE.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        });
  }
}
