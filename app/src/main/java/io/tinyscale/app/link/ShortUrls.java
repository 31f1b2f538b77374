package io.tinyscale.app.link;

import io.tinyscale.app.platform.Settings;
import jakarta.enterprise.context.ApplicationScoped;

/** A link's short URL: TINYSCALE_BASE_URL, then the code. */
@ApplicationScoped
public class ShortUrls {
  private final String baseUrl;

  ShortUrls(Settings settings) {
    this.baseUrl = settings.baseUrl().replaceAll("/+$", "");
  }

  public String of(String code) {
    return baseUrl + "/" + code;
  }
}
