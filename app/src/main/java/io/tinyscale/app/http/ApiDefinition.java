package io.tinyscale.app.http;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.servers.ServerVariable;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * How /openapi and Swagger UI (/api/docs) describe the API: authentication by a bearer API key, the
 * tags, and the problem document every error answer carries ({@link ProblemResponses} adds the
 * named error answers that operations refer to).
 */
@OpenAPIDefinition(
    info = @Info(title = "TinyScale API", version = "1"),
    security = @SecurityRequirement(name = "apiKey"),
    // the document built with the app (target/openapi) names no deployment, so a client generated
    // from it asks for the base URL; a running app's /openapi names its own instead
    // (quarkus.smallrye-openapi.servers in application.properties)
    servers =
        @Server(
            url = "{baseUrl}",
            description = "Your TinyScale",
            variables =
                @ServerVariable(
                    name = "baseUrl",
                    defaultValue = "http://localhost:8080",
                    description = "Its TINYSCALE_BASE_URL")),
    tags = {
      @Tag(name = "links", description = "Short links: create, list, read, change, delete"),
      @Tag(name = "accounts", description = "Sign-up, login, logout and API keys"),
      @Tag(name = "analytics", description = "Click counts of a link"),
      @Tag(name = "live", description = "Clicks as they happen: server-sent events"),
      @Tag(name = "admin", description = "Dead letters and detailed health; admins only")
    },
    components =
        @Components(
            schemas = @Schema(name = ProblemResponses.SCHEMA, implementation = Problem.class)))
@SecurityScheme(
    securitySchemeName = "apiKey",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The API key from /api/auth/register or POST /api/keys")
public class ApiDefinition extends Application {}
