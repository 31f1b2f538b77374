package io.tinyscale.app.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.DevStackTestResource;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Waits;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Admins are a stored flag the operator sets; a registration never makes one. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class AdminTest {
  @TestHTTPResource("/")
  URL root;

  @Inject AdminEmails adminEmails;

  @Test
  void onlyTheOperatorMakesAnAdminAndARevokeHoldsFromTheNextRequest() {
    Api api = new Api(root.toString());
    // listed in TINYSCALE_ADMIN_EMAILS, but registered after the start: proves nothing
    User listed = api.register(DevStackTestResource.LISTED_ADMIN.toUpperCase(Locale.ROOT));
    assertThat(api.get("/api/admin/dlt", listed.auth()).status()).isEqualTo(403);

    // the list applies at start to accounts that exist then, compared after normalising
    assertThat(
            adminEmails.apply(
                List.of(
                    "  " + DevStackTestResource.LISTED_ADMIN.toUpperCase(Locale.ROOT) + " ",
                    "not an email")))
        .isEqualTo(1);
    assertThat(api.get("/api/admin/dlt", listed.auth()).status()).isEqualTo(200);

    // ./tinyscale admin revoke, from another process's connection: the cached key forgets it at
    // once
    DevStackTestResource.AdminRun revoked = DevStackTestResource.admin("revoke", listed.email());
    assertThat(revoked.exit()).as(revoked.output()).isZero();
    assertThat(revoked.output()).contains("is now not an admin");
    Waits.until(
        "the revoke reaches the running server",
        () -> api.get("/api/admin/dlt", listed.auth()).status() == 403);

    User other = api.register();
    assertThat(api.get("/api/admin/dlt", other.auth()).status()).isEqualTo(403);
    DevStackTestResource.AdminRun granted = DevStackTestResource.admin("grant", other.email());
    assertThat(granted.exit()).as(granted.output()).isZero();
    Waits.until(
        "the grant reaches the running server",
        () -> api.get("/api/admin/dlt", other.auth()).status() == 200);
    assertThat(DevStackTestResource.admin("grant", other.email()).output())
        .contains("was already an admin");
    assertThat(DevStackTestResource.admin("list").output())
        .contains(other.email())
        .doesNotContain(listed.email());

    DevStackTestResource.AdminRun unknown =
        DevStackTestResource.admin("grant", "nobody-" + other.email());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.output()).contains("must be registered first");
    assertThat(DevStackTestResource.admin("grant", "not an email").exit()).isEqualTo(1);
    assertThat(DevStackTestResource.admin().exit()).as("no command: a usage error").isEqualTo(2);
  }
}
