package io.tinyscale.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The floor of TinyScale's HTTP stack, for {@code BENCH_PLAIN_VERTX=1 ./tinyscale bench redirect}:
 * the same redirect as TinyScale's (a map of the seeded links, the same status and headers) on a
 * bare Vert.x HTTP server with one event loop, and nothing else: no Quarkus, no router, no
 * metrics, no click capture. Measured beside nginx and TinyScale, it splits TinyScale's gap to
 * nginx into what the JVM and Netty/Vert.x cost and what TinyScale adds on top.
 *
 * <pre>java -cp bench/target/tinyscale-bench.jar:bench/target/lib/* io.tinyscale.bench.PlainVertxRedirect PORT LINKS</pre>
 */
public final class PlainVertxRedirect {
    // what TinyScale's SecurityHeaders and RedirectHandler add to every 302
    private static final CharSequence CSP = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence STRICT_CSP = HttpHeaders.createOptimized(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    private static final CharSequence NOSNIFF_NAME = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence REFERRER_NAME = HttpHeaders.createOptimized("Referrer-Policy");
    private static final CharSequence REFERRER = HttpHeaders.createOptimized("strict-origin-when-cross-origin");
    private static final CharSequence FRAME_NAME = HttpHeaders.createOptimized("X-Frame-Options");
    private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("private, no-store");

    private PlainVertxRedirect() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: PlainVertxRedirect PORT LINKS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int links = Integer.parseInt(args[1]);
        // the links bench/redirect.sh seeds: b0000001 -> https://example.com/p/0000001, ...
        Map<String, String> locations = new HashMap<>(links * 2);
        for (int i = 1; i <= links; i++) {
            String number = "%07d".formatted(i);
            locations.put("b" + number, "https://example.com/p/" + number);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> answer(request, locations))
                .listen()
                .onSuccess(server -> System.out.println("plain Vert.x redirect: listening on 127.0.0.1:" + port + ", " + links + " links"))
                .onFailure(error -> {
                    System.err.println("plain Vert.x redirect: " + error);
                    System.exit(1);
                });
    }

    private static void answer(HttpServerRequest request, Map<String, String> locations) {
        String path = request.path();
        String location = path.length() > 1 ? locations.get(path.substring(1)) : null;
        HttpServerResponse response = request.response();
        var headers = response.headers();
        headers.add(CSP, STRICT_CSP);
        headers.add(NOSNIFF_NAME, NOSNIFF);
        headers.add(REFERRER_NAME, REFERRER);
        headers.add(FRAME_NAME, DENY);
        if (location == null) {
            response.setStatusCode(404).end();
            return;
        }
        headers.add(HttpHeaders.LOCATION, location);
        headers.add(HttpHeaders.CACHE_CONTROL, NO_STORE);
        response.setStatusCode(302).end();
    }
}
