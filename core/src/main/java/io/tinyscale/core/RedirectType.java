package io.tinyscale.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * The HTTP status of a redirect. 301/308 are cached by browsers, so later clicks never reach the
 * server and are not counted; that is why the default is 302.
 */
public enum RedirectType {
  MOVED_PERMANENTLY(301),
  FOUND(302),
  TEMPORARY_REDIRECT(307),
  PERMANENT_REDIRECT(308);

  public static final RedirectType DEFAULT = FOUND;

  private final int status;

  RedirectType(int status) {
    this.status = status;
  }

  /** 301 and 308: browsers may remember them, so a later change of the link may go unseen. */
  public boolean isPermanent() {
    return this == MOVED_PERMANENTLY || this == PERMANENT_REDIRECT;
  }

  public int status() {
    return status;
  }

  public static Optional<RedirectType> of(int status) {
    return Arrays.stream(values()).filter(t -> t.status == status).findFirst();
  }
}
