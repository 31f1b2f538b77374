package io.tinyscale.core.enrich;

import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;

/**
 * IP address → ISO 3166-1 alpha-2 country code, from the CC0 database of the npm package
 * {@code @ip-location-db/geo-whois-asn-country-mmdb} (country of the network's RIR/WHOIS
 * registration, IPv4 and IPv6). The build installs that package with npm (version pinned in {@code
 * core/pom.xml}) and puts {@value #RESOURCE} into the core jar next to this class: nothing is
 * downloaded at run time and the file is never committed.
 *
 * <p>Loading: the database is read from the classpath with {@link Reader#Reader(InputStream)},
 * which copies it into one heap buffer (about 8 MB). Memory-mapping ({@code Reader(File)}) would
 * need the file on disk, and a file inside a jar is not: we would have to extract it to a temp file
 * first, which fails on read-only container file systems and leaves files behind on crashes. 8 MB
 * of heap in the worker is cheap, and lookups are equally fast from either buffer.
 *
 * <p>Records in this database are {@code {country_code: "US"}}, not the GeoIP2 layout, so this uses
 * the low-level MaxMind DB reader, not GeoIP2's {@code DatabaseReader}.
 *
 * <p>Thread-safe: {@link Reader} lookups only read shared immutable data. Build one instance per
 * process.
 */
public final class Countries {

  static final String RESOURCE = "geo-whois-asn-country.mmdb";

  private final Reader reader;

  private Countries(Reader reader) {
    this.reader = reader;
  }

  /** Loads the database that the build put into the jar; fails loudly if it is missing. */
  public static Countries fromClasspath() {
    try (InputStream in = Countries.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "IP-to-country database "
                + RESOURCE
                + " is not on the classpath next to "
                + Countries.class.getName()
                + ": build the core module with Maven (it installs the database with npm).");
      }
      return new Countries(new Reader(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read IP-to-country database " + RESOURCE, e);
    }
  }

  /**
   * The upper-case country code of {@code ip}, or {@code null} when it is null, not an IP literal,
   * private, loopback, link-local or otherwise not routed, or not in the database.
   */
  public String country(String ip) {
    return country(IpLiterals.parse(ip));
  }

  String country(InetAddress address) {
    if (address == null || !isPublic(address)) {
      return null;
    }
    Map<?, ?> record;
    try {
      record = reader.get(address, Map.class);
    } catch (IOException corrupt) {
      // the database ships in the jar: an unreadable record is a build defect, not a bad event
      throw new UncheckedIOException("IP-to-country lookup failed for a valid address", corrupt);
    }
    if (record == null
        || !(record.get("country_code") instanceof String code)
        || code.length() != 2) {
      return null;
    }
    return code;
  }

  /** Addresses that are not routed on the internet have no country, whatever a database says. */
  private static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    // unique local fc00::/7: Java's isSiteLocalAddress only knows the deprecated fec0::/10
    return !(a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc);
  }
}
