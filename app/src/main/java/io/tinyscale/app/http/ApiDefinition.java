package io.tinyscale.app.http;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** How /openapi and Swagger UI (/api/docs) describe authentication: a bearer API key. */
@OpenAPIDefinition(
    info = @Info(title = "TinyScale API", version = "1"),
    security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(
    securitySchemeName = "apiKey",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The API key from /api/auth/register or POST /api/keys")
public class ApiDefinition extends Application {}
