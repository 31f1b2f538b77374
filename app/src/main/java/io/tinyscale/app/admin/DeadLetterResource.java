package io.tinyscale.app.admin;

import io.tinyscale.app.account.AdminOnly;
import io.tinyscale.app.admin.DeadLetterStore.DeadLetterPage;
import io.tinyscale.app.admin.DeadLetterStore.Replay;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.http.QueryParams;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Inspect and replay dead letters (admins only). */
@Path("/api/admin/dlt")
@AdminOnly
@Tag(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
  private static final int MAX_LIMIT = 1000;

  private final DeadLetterStore letters;
  private final DeadLetterWatch watch;

  DeadLetterResource(DeadLetterStore letters, DeadLetterWatch watch) {
    this.letters = letters;
    this.watch = watch;
  }

  @GET
  @Operation(
      operationId = "listDeadLetters",
      summary = "The most recent dead letters",
      description = "Newest last; limit at most 1000.")
  @Parameter(
      name = "limit",
      in = ParameterIn.QUERY,
      schema =
          @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
  @APIResponse(responseCode = "200", description = "The newest dead letters")
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
  public DeadLetterPage list(@QueryParam("limit") @DefaultValue("100") String limitParam) {
    int limit = QueryParams.wholeNumber("limit", limitParam, 1, MAX_LIMIT);
    DeadLetterPage page = letters.recent(limit);
    watch.refresh();
    return page;
  }

  @POST
  @Path("/replay")
  @Operation(
      operationId = "replayDeadLetters",
      summary = "Re-publish dead letters to clicks",
      description =
          "Every dead letter not replayed before, in "
              + "pages; one replay at a time. Letters older than the aggregator's memory of counted events are left out "
              + "(tooOld): replayed, they could be counted twice.")
  @APIResponse(responseCode = "200", description = "What was replayed")
  @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
  @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
  public Replay replay() {
    Replay replay = letters.replay();
    watch.refresh();
    return replay;
  }
}
