package io.tinyscale.app.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyscale.app.account.ApiGate;
import io.tinyscale.app.http.ProblemResponses;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Short links over HTTP: create, list, read, change, delete. Another account's link is a 404. */
@Path("/api")
@Tag(name = "links")
@Produces(MediaType.APPLICATION_JSON)
public class LinkResource {
  /** A link as the API shows it. */
  public record LinkView(
      String code,
      String shortUrl,
      String url,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt,
      int redirectType,
      boolean disabled,
      @Schema(description = "every click counted so far, people and bots") long clicks,
      @Schema(enumeration = {"active", "expired", "disabled"}) String status) {}

  public record LinkPage(List<LinkView> items, int page, int size, int total) {}

  private final LinkService links;
  private final LinkAccess access;
  private final LinkViews views;

  LinkResource(LinkService links, LinkAccess access, LinkViews views) {
    this.links = links;
    this.access = access;
    this.views = views;
  }

  @POST
  @Path("/shorten")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "shortenUrl",
      summary = "Shorten a URL",
      description = "Random 7-character code unless an alias is given.")
  @APIResponse(
      responseCode = "201",
      description = "Created; Location is the short URL",
      content = @Content(schema = @Schema(implementation = LinkView.class)))
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
  public Response shorten(
      LinkService.ShortenRequest body, @Context ContainerRequestContext request) {
    LinkView view = views.of(links.shorten(ApiGate.caller(request), body));
    return Response.created(URI.create(view.shortUrl())).entity(view).build();
  }

  @GET
  @Path("/links")
  @Operation(
      operationId = "listLinks",
      summary = "List your links",
      description = "Newest first unless sort says otherwise; page is 0-based, size at most 100.")
  @Parameter(
      name = "sort",
      in = ParameterIn.QUERY,
      description =
          "createdAt, clicks (every click counted so far) or code; a leading - for descending"
              + " order. Links that tie are in the order they were made, in the same direction.",
      schema =
          @Schema(
              type = SchemaType.STRING,
              enumeration = {"createdAt", "-createdAt", "clicks", "-clicks", "code", "-code"},
              defaultValue = LinkSort.DEFAULT))
  @APIResponse(responseCode = "200", description = "A page of your links")
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  public LinkPage list(
      @BeanParam PageParams paging,
      @QueryParam("sort") @DefaultValue(LinkSort.DEFAULT) String sort,
      @Context ContainerRequestContext request) {
    PageParams.Page page = paging.checked(Integer.MAX_VALUE / PageParams.MAX_SIZE);
    LinkAccess.Page visible =
        access.visible(ApiGate.caller(request), LinkSort.parse(sort), page.offset(), page.size());
    return new LinkPage(views.of(visible.links()), page.number(), page.size(), visible.total());
  }

  @GET
  @Path("/links/{code}")
  @Operation(operationId = "getLink", summary = "Read one of your links")
  @APIResponse(responseCode = "200", description = "The link")
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public LinkView get(@PathParam("code") String code, @Context ContainerRequestContext request) {
    return views.of(access.require(ApiGate.caller(request), code));
  }

  @PATCH
  @Path("/links/{code}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "updateLink",
      summary = "Change a link",
      description = "Any of url, expiresAt (null clears it), redirectType, disabled.")
  @RequestBody(
      description = "The fields to change; a field left out keeps its value",
      content =
          @Content(
              schema =
                  @Schema(
                      name = "LinkPatch",
                      type = SchemaType.OBJECT,
                      minProperties = 1,
                      additionalProperties = Schema.False.class,
                      properties = {
                        @SchemaProperty(name = "url", type = SchemaType.STRING, format = "uri"),
                        @SchemaProperty(
                            name = "expiresAt",
                            type = SchemaType.STRING,
                            nullable = true,
                            format = "date-time",
                            description = "null: never expires"),
                        @SchemaProperty(
                            name = "redirectType",
                            type = SchemaType.INTEGER,
                            enumeration = {"301", "302", "307", "308"}),
                        @SchemaProperty(name = "disabled", type = SchemaType.BOOLEAN)
                      })))
  @APIResponse(responseCode = "200", description = "The changed link")
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public LinkView update(
      @PathParam("code") String code, JsonNode patch, @Context ContainerRequestContext request) {
    return views.of(links.update(ApiGate.caller(request), code, patch));
  }

  @DELETE
  @Path("/links/{code}")
  @Operation(
      operationId = "deleteLink",
      summary = "Delete a link",
      description = "Its short URL answers 404 from then on; the code is never reissued.")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public Response delete(@PathParam("code") String code, @Context ContainerRequestContext request) {
    links.delete(ApiGate.caller(request), code);
    return Response.noContent().build();
  }
}
