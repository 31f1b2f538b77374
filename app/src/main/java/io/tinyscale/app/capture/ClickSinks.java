package io.tinyscale.app.capture;

import io.tinyscale.app.platform.ClickCapture;
import io.tinyscale.app.platform.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The {@link ClickSink} that TINYSCALE_CLICK_CAPTURE chooses. */
@ApplicationScoped
class ClickSinks {
  @Produces
  @Singleton
  ClickSink clickSink(
      Settings settings, JournalClickSink journal, Instance<DatabaseClickSink> database) {
    // off: the redirect builds no click at all, so the (closed) journal is never called
    return settings.clickCapture() == ClickCapture.SYNC_DB ? database.get() : journal;
  }
}
