package io.tinyscale.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
    Matcher m = RELATIVE.matcher(text);
    if (!m.matches()) {
      if (text.isEmpty()) {
        throw new TypeConversionException(
            "give a time from now such as 7d, or an instant such as 2030-01-31T12:00:00Z");
      }
      return text;
    }
    long n = Long.parseLong(m.group(1));
    if (n == 0) {
      throw new TypeConversionException(
          "'" + value + "' is now: give a time in the future such as 7d");
    }
    Duration d =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        };
    return clock.instant().plus(d).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
