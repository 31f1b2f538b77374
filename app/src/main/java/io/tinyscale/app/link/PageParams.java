package io.tinyscale.app.link;

import io.tinyscale.app.http.QueryParams;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The page and size query parameters of the endpoints that list links, as sent. */
public record PageParams(
    @QueryParam("page")
        @DefaultValue("0")
        @Parameter(
            description = "0-based",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
        String page,
    @QueryParam("size")
        @DefaultValue("20")
        @Parameter(
            schema =
                @Schema(
                    type = SchemaType.INTEGER,
                    minimum = "1",
                    maximum = "" + MAX_SIZE,
                    defaultValue = "20"))
        String size) {
  static final int MAX_SIZE = 100;

  /** A page checked: its 0-based number and its size. */
  record Page(int number, int size) {
    int offset() {
      return number * size;
    }
  }

  /** The page asked for, numbered at most {@code lastPage}; else a 400 naming the bad parameter. */
  Page checked(int lastPage) {
    return new Page(
        QueryParams.wholeNumber("page", page, 0, lastPage),
        QueryParams.wholeNumber("size", size, 1, MAX_SIZE));
  }
}
