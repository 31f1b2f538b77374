package io.tinyscale.app.account;

import io.tinyscale.app.http.ClientAddress;
import io.tinyscale.app.http.Problem.FieldError;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.core.ApiKey;
import io.tinyscale.core.ApiKeys;
import io.tinyscale.core.Emails;
import io.tinyscale.core.PasswordRules;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sign-up, login and logout. */
@Path("/api/auth")
@Tag(name = "accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {
  public record Credentials(String email, String password) {}

  public record Registered(long id, String email, String apiKey) {}

  public record SignedIn(long id, String email) {}

  private final AccountRepository accounts;
  private final Sessions sessions;
  private final ClientAddress clients;
  private final PasswordHashing passwords;

  AccountResource(
      AccountRepository accounts,
      Sessions sessions,
      ClientAddress clients,
      PasswordHashing passwords) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.clients = clients;
    this.passwords = passwords;
  }

  @POST
  @Public
  @Path("/register")
  @Operation(
      operationId = "register",
      summary = "Create an account",
      description = "Returns the first API key; it is shown only once.")
  @SecurityRequirements
  @APIResponse(
      responseCode = "201",
      description = "The account and its first API key",
      content = @Content(schema = @Schema(implementation = Registered.class)))
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
  public Response register(Credentials body) {
    List<FieldError> errors = new ArrayList<>();
    Optional<String> email = Emails.normalise(body == null ? null : body.email());
    if (email.isEmpty()) {
      errors.add(new FieldError("email", "must be an email address such as name@example.com"));
    }
    PasswordRules.problem(body == null ? null : body.password())
        .ifPresent(p -> errors.add(new FieldError("password", p)));
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    ApiKey key = ApiKeys.generate();
    Account account =
        accounts
            .createUser(email.get(), passwords.hash(body.password()), key)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.EMAIL_TAKEN, "log in instead, or use another email"));
    return Response.status(Response.Status.CREATED)
        .entity(new Registered(account.id(), account.email(), key.plaintext()))
        .build();
  }

  @POST
  @Public
  @Path("/login")
  @Operation(
      operationId = "login",
      summary = "Log in",
      description = "Sets the session cookie used by the dashboard.")
  @SecurityRequirements
  @APIResponse(
      responseCode = "200",
      description = "The account; the session cookie is set",
      content = @Content(schema = @Schema(implementation = SignedIn.class)))
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
  public Response login(Credentials body, @Context HttpServerRequest http) {
    if (body == null || body.email() == null || body.password() == null) {
      throw ProblemException.invalid("email", "email and password are required");
    }
    Optional<Account> account = Emails.normalise(body.email()).flatMap(accounts::findUserByEmail);
    boolean matches = passwords.matches(body.password(), account.map(Account::passwordHash));
    if (account.isEmpty() || !matches) {
      throw new ProblemException(
          ProblemType.INVALID_CREDENTIALS, "check the email and password and try again");
    }
    String token = sessions.create(account.get().id());
    return Response.ok(new SignedIn(account.get().id(), account.get().email()))
        .cookie(cookie(token, (int) sessions.ttl().toSeconds(), clients.isSecure(http)))
        .build();
  }

  @POST
  @Path("/logout")
  @Operation(
      operationId = "logout",
      summary = "Log out",
      description = "Ends the session of the cookie sent.")
  @APIResponse(responseCode = "204", description = "Logged out; the session cookie is cleared")
  public Response logout(
      @Context ContainerRequestContext request, @Context HttpServerRequest http) {
    jakarta.ws.rs.core.Cookie session = request.getCookies().get(Sessions.COOKIE);
    sessions.delete(session == null ? null : session.getValue());
    return Response.noContent().cookie(cookie("", 0, clients.isSecure(http))).build();
  }

  private static NewCookie cookie(String value, int maxAge, boolean secure) {
    return new NewCookie.Builder(Sessions.COOKIE)
        .value(value)
        .path("/")
        .maxAge(maxAge)
        .httpOnly(true)
        .secure(secure)
        .sameSite(NewCookie.SameSite.LAX)
        .build();
  }
}
