package io.tinyscale.core;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Custom aliases and the shape of anything that may be a short code. Codes live at the root of
 * the URL space ({@code /{code}}), so an alias must never shadow one of the server's own routes.
 */
public final class Aliases {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 64;

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{3,64}");

    // Root-level routes of the server, plus words that would look like one to a visitor.
    // Compared lower-case, because a case-insensitive proxy or a user typing /API would
    // otherwise reach the alias instead of the route.
    private static final Set<String> RESERVED = Set.of(
            "api", "health", "metrics", "dashboard", "openapi", "docs", "swagger", "swagger-ui",
            "q", "static", "assets", "admin", "login", "logout", "register", "auth", "stream",
            "robots", "favicon", "www", "null", "undefined");

    private Aliases() {}

    public static AliasCheck check(String alias) {
        if (alias == null || !SHAPE.matcher(alias).matches()) {
            return new AliasCheck.Invalid(
                    "alias must be 3 to 64 characters of A-Z, a-z, 0-9, '_' or '-'");
        }
        if (isReserved(alias)) {
            return new AliasCheck.Invalid("'" + alias + "' is reserved");
        }
        return new AliasCheck.Valid(alias);
    }

    public static boolean isReserved(String word) {
        return word != null && RESERVED.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Cheap gate for the redirect route: anything else is answered 404 without a lookup. */
    public static boolean looksLikeCode(String path) {
        return path != null && SHAPE.matcher(path).matches() && !isReserved(path);
    }
}
