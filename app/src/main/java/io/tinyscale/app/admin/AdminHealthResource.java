package io.tinyscale.app.admin;

import io.tinyscale.app.account.AdminOnly;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.platform.DependencyCheck;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Readiness with every detail (errors, spool bytes, failing consumers), for admins: the same checks
 * and the same shape as {@code /health/ready}, whose anonymous answer carries only each
 * dependency's state.
 */
@Path("/api/admin/health")
@AdminOnly
@Tag(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminHealthResource {
  public record Check(String name, String status, Map<String, Object> data) {}

  public record Health(String status, List<Check> checks) {}

  private final Instance<DependencyCheck> checks;

  AdminHealthResource(@Any Instance<DependencyCheck> checks) {
    this.checks = checks;
  }

  @GET
  @Operation(
      operationId = "getAdminHealth",
      summary = "Readiness with details",
      description = "Each dependency's state with its error and figures.")
  @APIResponse(responseCode = "200", description = "Each dependency's state")
  @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
  public Health health() {
    List<Check> all =
        checks.stream()
            .map(DependencyCheck::detailed)
            .map(r -> new Check(r.getName(), r.getStatus().name(), r.getData().orElse(Map.of())))
            .sorted((a, b) -> a.name().compareTo(b.name()))
            .toList();
    boolean up =
        all.stream().allMatch(c -> c.status().equals(HealthCheckResponse.Status.UP.name()));
    return new Health(up ? "UP" : "DOWN", all);
  }
}
