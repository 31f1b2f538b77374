package io.tinyscale.app.link;

import io.tinyscale.app.account.ApiGate;
import io.tinyscale.app.account.Caller;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.link.LinkResource.LinkPage;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Search of the caller's links: OpenSearch ranks them ({@link LinkSearchIndex}), Postgres completes
 * each hit through {@link LinkAccess} (clicks, expiry, status), so a hit is shown as the link is
 * now, and a link deleted or given away since it was indexed is left out.
 */
@Path("/api/search")
@Tag(name = "links")
@Produces(MediaType.APPLICATION_JSON)
public class LinkSearchResource {
  private static final int MAX_QUERY_LENGTH = 200;

  private final LinkSearchIndex index;
  private final LinkAccess access;
  private final LinkViews views;

  LinkSearchResource(LinkSearchIndex index, LinkAccess access, LinkViews views) {
    this.index = index;
    this.access = access;
    this.views = views;
  }

  @GET
  @Operation(
      operationId = "searchLinks",
      summary = "Search your links",
      description =
          "By words of the target URL (the last word may be unfinished, as you type) and by code,"
              + " best match first. Needs OpenSearch: 503 with Retry-After while it is away.")
  @Parameter(
      name = "q",
      in = ParameterIn.QUERY,
      required = true,
      schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = MAX_QUERY_LENGTH))
  @APIResponse(responseCode = "200", description = "A page of your matching links")
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
  public LinkPage search(
      @QueryParam("q") String q,
      @BeanParam PageParams paging,
      @Context ContainerRequestContext request) {
    String text = q == null ? "" : q.strip();
    if (text.isEmpty() || text.length() > MAX_QUERY_LENGTH) {
      throw ProblemException.invalid(
          "q", "give words of a URL or a code, 1 to " + MAX_QUERY_LENGTH + " characters");
    }
    // OpenSearch pages no further than its 10,000th hit
    PageParams.Page page = paging.checked(10_000 / PageParams.MAX_SIZE);
    Caller caller = ApiGate.caller(request);
    LinkSearchIndex.Hits hits = index.search(caller, text, page.number(), page.size());
    return new LinkPage(
        views.of(access.visibleAmong(caller, hits.ids())),
        page.number(),
        page.size(),
        (int) hits.total());
  }
}
