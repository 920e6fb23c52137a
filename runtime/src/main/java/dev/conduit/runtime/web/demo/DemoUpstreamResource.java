package dev.conduit.runtime.web.demo;

import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.identity.Secrets;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A small third-party API served by the runtime itself when the demo is on (the run command's
 * default), so a newcomer's first invocation works offline: an OAuth 2.0 client-credentials token
 * endpoint, a weather endpoint and an orders endpoint. The example repository's {@code demo}
 * connection points here. Demo only: its client secret is published.
 */
@Path("/demo-upstream")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Demo upstream",
    description = "A pretend third-party API for the quickstart (only when conduit.demo.enabled)")
public class DemoUpstreamResource {

  static final String CLIENT_ID = "demo-client";
  static final String CLIENT_SECRET = "demo-client-secret";
  private static final Map<String, Instant> TOKENS = new ConcurrentHashMap<>();

  @Inject RuntimeConfig config;

  @POST
  @Path("/oauth/token")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(summary = "Demo: client-credentials token endpoint")
  public Response token(
      @FormParam("grant_type") String grantType,
      @FormParam("client_id") String clientId,
      @FormParam("client_secret") String clientSecret) {
    if (!config.demoEnabled()) {
      return Response.status(404).build();
    }
    if (!"client_credentials".equals(grantType)) {
      return Response.status(400).entity(Map.of("error", "unsupported_grant_type")).build();
    }
    if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(clientSecret)) {
      return Response.status(401).entity(Map.of("error", "invalid_client")).build();
    }
    String token = "demo-" + Secrets.random();
    Instant now = Instant.now();
    TOKENS.entrySet().removeIf(e -> e.getValue().isBefore(now));
    TOKENS.put(token, now.plusSeconds(3600));
    return Response.ok(Map.of("access_token", token, "token_type", "Bearer", "expires_in", 3600))
        .build();
  }

  @GET
  @Path("/weather")
  @Operation(summary = "Demo: current weather and a three-day forecast")
  public Response weather(
      @HeaderParam("Authorization") String authorization,
      @QueryParam("city") String city,
      @QueryParam("units") String units) {
    if (!config.demoEnabled()) {
      return Response.status(404).build();
    }
    if (!authorized(authorization)) {
      return Response.status(401).entity(Map.of("error", "invalid_token")).build();
    }
    if (city == null || city.isBlank()) {
      return Response.status(400).entity(Map.of("error", "city is required")).build();
    }
    boolean imperial = "imperial".equals(units);
    int seed = Math.abs(city.toLowerCase().hashCode());
    String[] conditions = {"Sunny", "Partly cloudy", "Light rain", "Overcast", "Clear"};
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<Map<String, Object>> forecast = new ArrayList<>();
    for (int d = 1; d <= 3; d++) {
      forecast.add(
          Map.of(
              "date",
              today.plusDays(d).toString(),
              "high",
              temperature(seed + d * 7, 8, imperial),
              "low",
              temperature(seed + d * 3, 0, imperial)));
    }
    Map<String, Object> current = new LinkedHashMap<>();
    current.put("temperature", temperature(seed, 4, imperial));
    current.put("conditions", conditions[seed % conditions.length]);
    current.put(
        "observed_at", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("city", city);
    body.put("units", imperial ? "imperial" : "metric");
    body.put("current", current);
    body.put("forecast", forecast);
    return Response.ok(body).build();
  }

  @POST
  @Path("/orders")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Demo: place an order")
  public Response order(
      @HeaderParam("Authorization") String authorization, Map<String, Object> order) {
    if (!config.demoEnabled()) {
      return Response.status(404).build();
    }
    if (!authorized(authorization)) {
      return Response.status(401).entity(Map.of("error", "invalid_token")).build();
    }
    BigDecimal total = BigDecimal.ZERO;
    Object items = order == null ? null : order.get("items");
    if (items instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> m && m.get("quantity") instanceof Number q) {
          total = total.add(new BigDecimal(q.toString()).multiply(new BigDecimal("19.90")));
        }
      }
    }
    return Response.ok(
            Map.of(
                "orderId",
                "ord-" + Secrets.random().substring(0, 10),
                "status",
                "accepted",
                "total",
                total.setScale(2, RoundingMode.HALF_UP)))
        .build();
  }

  private static boolean authorized(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    Instant until = TOKENS.get(authorization.substring(7));
    return until != null && until.isAfter(Instant.now());
  }

  private static BigDecimal temperature(int seed, int offset, boolean imperial) {
    double c = 12 + (seed % 150) / 10.0 + offset / 2.0;
    double v = imperial ? c * 9 / 5 + 32 : c;
    return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP);
  }
}
