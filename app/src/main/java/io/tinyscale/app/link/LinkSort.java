package io.tinyscale.app.link;

import io.tinyscale.app.http.ProblemException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The order of a list of links: by one of its keys, ascending or (a leading {@code -}) not. */
record LinkSort(Key key, boolean descending) {
  static final String DEFAULT = "-createdAt";

  enum Key {
    CREATED_AT("createdAt"),
    CLICKS("clicks"),
    CODE("code");

    final String param;

    Key(String param) {
      this.param = param;
    }
  }

  /** The sort query parameter's value as an order; else a 400 naming the values it may take. */
  static LinkSort parse(String value) {
    boolean descending = value.startsWith("-");
    String name = descending ? value.substring(1) : value;
    return Arrays.stream(Key.values())
        .filter(k -> k.param.equals(name))
        .findFirst()
        .map(k -> new LinkSort(k, descending))
        .orElseThrow(
            () ->
                ProblemException.invalid(
                    "sort",
                    "must be one of "
                        + Arrays.stream(Key.values())
                            .map(k -> k.param)
                            .collect(Collectors.joining(", "))
                        + ", with a leading - for descending order"));
  }
}
