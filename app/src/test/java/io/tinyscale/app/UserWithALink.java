package io.tinyscale.app;

import io.quarkus.test.common.http.TestHTTPResource;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.User;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;

/**
 * Where a test of a link's endpoints starts: the app's API, a user registered for the test and one
 * link of theirs, made afresh before each test.
 */
public abstract class UserWithALink {
  @TestHTTPResource("/")
  protected URL root;

  protected Api api;
  protected User user;

  /** The code of user's link, to https://example.com/ and the test class's name. */
  protected String code;

  @BeforeEach
  protected void aUserWithALink() {
    api = new Api(root.toString());
    user = api.register();
    code = api.shorten(user, "https://example.com/" + getClass().getSimpleName());
  }
}
