package io.tinyscale.app.link;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.tinyscale.app.account.ApiGate;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.http.QueryParams;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A link's QR code, for its owner: print it, and every scan is a click on the short URL. */
@Path("/api/links/{code}/qr")
@Tag(name = "links")
public class QrResource {
  static final String SVG = "image/svg+xml";
  static final String PNG = "image/png";
  // the image of a code never changes while the base URL stays: the owner's browser may keep it
  private static final String CACHING = "private, max-age=86400";

  private final LinkAccess access;
  private final ShortUrls shortUrls;

  QrResource(LinkAccess access, ShortUrls shortUrls) {
    this.access = access;
    this.shortUrls = shortUrls;
  }

  @GET
  @Produces({SVG, PNG})
  @Operation(
      operationId = "linkQrCode",
      summary = "A QR code of a link's short URL",
      description = "SVG (scales) or PNG of size × size pixels; margin in modules.")
  @Parameter(
      name = "format",
      in = ParameterIn.QUERY,
      schema =
          @Schema(
              type = SchemaType.STRING,
              enumeration = {"svg", "png"},
              defaultValue = "svg"))
  @Parameter(
      name = "size",
      in = ParameterIn.QUERY,
      description = "pixels",
      schema =
          @Schema(
              type = SchemaType.INTEGER,
              minimum = "64",
              maximum = "2048",
              defaultValue = "256"))
  @Parameter(
      name = "margin",
      in = ParameterIn.QUERY,
      description = "the quiet zone, in modules",
      schema =
          @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "16", defaultValue = "4"))
  @Parameter(
      name = "ecc",
      in = ParameterIn.QUERY,
      description = "error correction: L 7 %, M 15 %, Q 25 %, H 30 % of the code may be lost",
      schema =
          @Schema(
              type = SchemaType.STRING,
              enumeration = {"L", "M", "Q", "H"},
              defaultValue = "M"))
  @APIResponse(
      responseCode = "200",
      description = "The QR code",
      content = {
        @Content(mediaType = SVG, schema = @Schema(type = SchemaType.STRING)),
        @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public Response qr(
      @PathParam("code") String code,
      @QueryParam("format") @DefaultValue("svg") String format,
      @QueryParam("size") @DefaultValue("256") String size,
      @QueryParam("margin") @DefaultValue("4") String margin,
      @QueryParam("ecc") @DefaultValue("M") String ecc,
      @Context ContainerRequestContext request) {
    QrCodes.Style style =
        new QrCodes.Style(
            QueryParams.wholeNumber("size", size, 64, 2048),
            QueryParams.wholeNumber("margin", margin, 0, 16),
            errorCorrection(ecc));
    Link link = access.require(ApiGate.caller(request), code);
    String shortUrl = shortUrls.of(link.code());
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "svg" -> image(QrCodes.svg(shortUrl, style), SVG);
      case "png" -> image(QrCodes.png(shortUrl, style), PNG);
      default -> throw ProblemException.invalid("format", "must be svg or png");
    };
  }

  private static Response image(byte[] bytes, String type) {
    return Response.ok(bytes, type).header(HttpHeaders.CACHE_CONTROL, CACHING).build();
  }

  private static ErrorCorrectionLevel errorCorrection(String ecc) {
    try {
      return ErrorCorrectionLevel.valueOf(ecc.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("ecc", "must be one of L, M, Q, H");
    }
  }
}
