package io.tinyscale.app.live;

import io.tinyscale.app.account.ApiGate;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.link.LinkAccess;
import io.tinyscale.app.platform.Draining;
import io.tinyscale.app.platform.Settings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The live click stream, as server-sent events: one link's clicks, or all of the caller's.
 *
 * <p>These are ordinary Quarkus REST resource methods, so the API gate authenticates, limits and
 * refuses them like every other /api route, and errors (404, 429) are problem documents. Once a
 * stream is accepted the method writes the response head itself and hands the Vert.x response to a
 * {@link LiveClient}, which writes each frame on the connection's event loop and counts the frames
 * not yet taken by the socket: that count is the client's bounded buffer, and a client whose count
 * passes it is the slow client that gets {@code overflow} (a {@code Multi} or {@code
 * SseEventSink.send} would hide that count behind their own queues). The {@link SseEventSink}
 * parameter is what tells Quarkus REST that the method streams, so that it does not end the
 * response when the method returns.
 */
@Path("/api/stream")
@Tag(name = "live")
@Produces(Frames.MEDIA_TYPE)
// the schema is each click event's data (what OpenAPI 3.2 calls itemSchema): the dashboard's
// types come from it
@APIResponse(
    responseCode = "200",
    description = "The stream: each 'event: click' carries a LiveClick as its data",
    content =
        @Content(mediaType = Frames.MEDIA_TYPE, schema = @Schema(implementation = LiveClick.class)))
@APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
@APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
public class StreamResource {
  private static final String LAST_EVENT_ID = "Last-Event-ID";
  private static final String RETRY_AFTER_SECONDS = "10";

  /** Where a reconnecting client left off: the header, or the query parameter. */
  public record LastEventId(
      @HeaderParam(LAST_EVENT_ID)
          @Parameter(
              description = "The id of the last click received: the stream resumes after it",
              schema = @Schema(type = SchemaType.STRING, format = "uuid"))
          String header,
      @QueryParam("lastEventId")
          @Parameter(
              description = "The same, for clients that cannot set headers",
              schema = @Schema(type = SchemaType.STRING, format = "uuid"))
          String query) {}

  private final LinkAccess access;
  private final LiveFeed feed;
  private final StreamSlots slots;
  private final Draining draining;
  private final int bound;

  StreamResource(
      LinkAccess access, LiveFeed feed, StreamSlots slots, Draining draining, Settings settings) {
    this.access = access;
    this.feed = feed;
    this.slots = slots;
    this.draining = draining;
    this.bound = settings.live().sseBuffer();
  }

  @GET
  @Path("/{code}")
  @Operation(
      operationId = "streamLinkClicks",
      summary = "A link's clicks, live",
      description =
          "Server-sent events: ': ready' once positioned, then 'event: click' with the event id"
              + " as 'id:' and {code, clickedAt, browser, os, device, country, referrerHost, bot}"
              + " as data; a heartbeat comment every 15 s; 'event: overflow' (and the end) for a"
              + " client that falls behind, 'event: shutdown' when the server stops. Reconnect"
              + " with Last-Event-ID to resume.")
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public void link(
      @PathParam("code") String code,
      @BeanParam LastEventId last,
      @Context ContainerRequestContext request,
      @Context RoutingContext http,
      @Context SseEventSink sink) {
    long urlId = access.require(ApiGate.caller(request), code).id();
    open(new Subscription.OneLink(urlId), last, request, http, sink);
  }

  @GET
  @Operation(
      operationId = "streamClicks",
      summary = "All of your links' clicks, live",
      description =
          "The same stream for every link of the caller's, links made after connecting"
              + " included.")
  public void all(
      @BeanParam LastEventId last,
      @Context ContainerRequestContext request,
      @Context RoutingContext http,
      @Context SseEventSink sink) {
    open(new Subscription.AllLinks(ApiGate.caller(request)), last, request, http, sink);
  }

  private void open(
      Subscription subscription,
      LastEventId last,
      ContainerRequestContext request,
      RoutingContext http,
      SseEventSink sink) {
    Optional<Resume> resume = Resume.from(last.header(), last.query());
    if (draining.draining()) {
      // a stream opened now would be cut in a few seconds: elsewhere (nginx retries a 503 on
      // another replica), or here again after the restart
      throw new ProblemException(
          ProblemType.SHUTTING_DOWN,
          "this server is shutting down; reconnect (with Last-Event-ID) to another",
          Map.of("Retry-After", "1"));
    }
    String key = ApiGate.caller(request).rateKey();
    if (!slots.take(key)) {
      throw new ProblemException(
          ProblemType.TOO_MANY_STREAMS,
          "this key has "
              + slots.max()
              + " live streams open (TINYSCALE_SSE_MAX_PER_KEY); close one, or retry later",
          Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
    io.vertx.core.Context loop = ((HttpServerRequestInternal) http.request()).context();
    HttpServerResponse response = http.response();
    LiveClient client =
        new LiveClient(
            subscription,
            resume.orElse(null),
            loop,
            response,
            sink,
            bound,
            new LiveClient.Listener() {
              @Override
              public void ended(LiveClient client) {
                feed.leave(client);
                slots.give(key);
              }

              @Override
              public void overflowed(LiveClient client) {
                feed.dropped();
              }
            });
    try {
      http.addEndHandler(done -> client.gone());
      // the head now, from here: Quarkus REST's own would race the first frame
      response
          .setStatusCode(200)
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, Frames.MEDIA_TYPE)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          // a proxy such as nginx would otherwise buffer the stream
          .putHeader("X-Accel-Buffering", "no");
      ApiGate.rateLimitHeaders(request).forEach(response::putHeader);
      response.write(Buffer.buffer());
    } catch (RuntimeException e) {
      client.gone(); // frees the slot
      throw e;
    }
    if (!feed.join(client)) {
      client.shutdown();
    }
  }
}
