package io.tinyscale.app.account;

import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.ApiKey;
import io.tinyscale.core.ApiKeys;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** More API keys for one account: one per script or machine, each revocable on its own. */
@Path("/api/keys")
@Tag(name = "accounts")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
  public record NewKey(String name) {}

  public record CreatedKey(long id, String name, String apiKey, OffsetDateTime createdAt) {}

  public record KeyView(long id, String name, String prefix, OffsetDateTime createdAt) {}

  private final AccountRepository accounts;
  private final Authenticator authenticator;
  private final int maxKeys;

  ApiKeyResource(AccountRepository accounts, Authenticator authenticator, Settings settings) {
    this.accounts = accounts;
    this.authenticator = authenticator;
    this.maxKeys = settings.maxKeys();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createApiKey",
      summary = "Create an API key",
      description = "The key is shown once; only its hash is kept.")
  @APIResponse(
      responseCode = "201",
      description = "The new key",
      content = @Content(schema = @Schema(implementation = CreatedKey.class)))
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
  public Response create(NewKey body, @Context ContainerRequestContext request) {
    String name = body == null || body.name() == null ? "" : body.name().trim();
    if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
      throw ProblemException.invalid("name", "must be 1 to 100 printable characters");
    }
    ApiKey key = ApiKeys.generate();
    ApiKeyInfo saved =
        accounts
            .addKey(ApiGate.caller(request).userId(), name, key, maxKeys)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.TOO_MANY_KEYS,
                        "an account may hold "
                            + maxKeys
                            + " API keys: revoke one you no longer use (GET /api/keys lists them, DELETE /api/keys/{id} revokes one)"));
    return Response.status(Response.Status.CREATED)
        .entity(new CreatedKey(saved.id(), saved.name(), key.plaintext(), saved.createdAt()))
        .build();
  }

  @GET
  @Operation(
      operationId = "listApiKeys",
      summary = "List your API keys",
      description = "Names and prefixes only; keys cannot be shown again.")
  @APIResponse(responseCode = "200", description = "Your keys, without their secrets")
  public List<KeyView> list(@Context ContainerRequestContext request) {
    return accounts.listKeys(ApiGate.caller(request).userId()).stream()
        .map(k -> new KeyView(k.id(), k.name(), k.prefix(), k.createdAt()))
        .toList();
  }

  @DELETE
  @Path("/{id}")
  @Operation(operationId = "revokeApiKey", summary = "Revoke an API key")
  @APIResponse(responseCode = "204", description = "Revoked")
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public Response delete(@PathParam("id") String id, @Context ContainerRequestContext request) {
    long keyId;
    try {
      keyId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no API key " + id);
    }
    String hash =
        accounts
            .deleteKey(ApiGate.caller(request).userId(), keyId)
            .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no API key " + id));
    authenticator.forgetKey(hash);
    return Response.noContent().build();
  }
}
