package io.tinyscale.app.account;

import io.quarkus.runtime.StartupEvent;
import io.tinyscale.app.platform.InvalidationBus;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.Emails;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * TINYSCALE_ADMIN_EMAILS, applied once at start to the accounts that already exist. An address
 * registered later is not made an admin by being listed: registration proves nothing about who owns
 * an address, so the operator grants it ({@code ./tinyscale admin grant EMAIL}).
 */
@ApplicationScoped
class AdminEmails {
  private static final Logger LOG = Logger.getLogger(AdminEmails.class);

  private final Settings settings;
  private final AccountRepository accounts;
  private final InvalidationBus invalidations;

  AdminEmails(Settings settings, AccountRepository accounts, InvalidationBus invalidations) {
    this.settings = settings;
    this.accounts = accounts;
    this.invalidations = invalidations;
  }

  void onStart(@Observes StartupEvent event) {
    apply(settings.adminEmails().orElse(List.of()));
  }

  /** Makes the existing accounts among {@code listed} admins; returns how many changed. */
  int apply(List<String> listed) {
    List<String> emails =
        listed.stream()
            .map(String::trim)
            .filter(e -> !e.isEmpty())
            .map(
                e ->
                    Emails.normalise(e)
                        .or(
                            () -> {
                              LOG.warnf(
                                  "TINYSCALE_ADMIN_EMAILS: '%s' is not an email address; ignored",
                                  e);
                              return Optional.empty();
                            }))
            .flatMap(Optional::stream)
            .toList();
    if (emails.isEmpty()) {
      return 0;
    }
    List<Long> changed = accounts.setAdmin(emails, true);
    changed.forEach(id -> invalidations.publish(Authenticator.ACCOUNT_TOPIC, Long.toString(id)));
    List<String> missing =
        emails.stream().filter(e -> accounts.findUserByEmail(e).isEmpty()).toList();
    if (!missing.isEmpty()) {
      LOG.warnf(
          "TINYSCALE_ADMIN_EMAILS: no account for %s; once registered, make it admin with "
              + "'./tinyscale admin grant EMAIL' (the list applies only to accounts that exist at start)",
          missing);
    }
    LOG.infof("TINYSCALE_ADMIN_EMAILS: %d existing account(s) made admin", changed.size());
    return changed.size();
  }
}
