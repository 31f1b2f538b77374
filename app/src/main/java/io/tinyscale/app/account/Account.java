package io.tinyscale.app.account;

/** A user account. {@code passwordHash} is a bcrypt hash, never printed. */
public record Account(long id, String email, boolean admin, String passwordHash) {
  @Override
  public String toString() {
    return "Account[id=" + id + ", email=" + email + ", admin=" + admin + "]";
  }
}
