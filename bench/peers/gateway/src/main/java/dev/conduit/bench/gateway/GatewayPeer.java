package dev.conduit.bench.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The benchmark's call through Spring Cloud Gateway, as a user of it would write it: POST /invoke
 * with HTTP Basic (the application's key and secret, the secret checked against its SHA-256), a
 * client-credentials token fetched once and cached, the body rebuilt from the inputs, the
 * upstream's orderId and total answered, and Reactor Netty's access log (run.sh turns it on).
 */
@SpringBootApplication
public class GatewayPeer {

  public static void main(String[] args) {
    SpringApplication.run(GatewayPeer.class, args);
  }

  @Bean
  RouteLocator routes(
      RouteLocatorBuilder builder,
      @Value("${bench.upstream}") String upstream,
      @Value("${bench.app-key}") String appKey,
      @Value("${bench.app-secret-sha256}") String appSecretSha256,
      @Value("${bench.client-id}") String clientId,
      @Value("${bench.client-secret}") String clientSecret) {
    BearerToken token =
        new BearerToken(WebClient.create(upstream), "/oauth/token", clientId, clientSecret);
    return builder
        .routes()
        .route(
            "invoke",
            r ->
                r.path("/invoke")
                    .and()
                    .method(HttpMethod.POST)
                    .filters(
                        f ->
                            f.filter(new BasicAuthFilter(appKey, appSecretSha256))
                                .modifyRequestBody(
                                    Map.class,
                                    Map.class,
                                    MediaType.APPLICATION_JSON_VALUE,
                                    (exchange, inputs) -> Mono.just(order(inputs)))
                                .filter(token.filter())
                                .setPath("/orders")
                                .modifyResponseBody(
                                    Map.class,
                                    Map.class,
                                    MediaType.APPLICATION_JSON_VALUE,
                                    (exchange, answer) -> Mono.just(outputs(answer))))
                    .uri(upstream))
        .build();
  }

  /** The upstream's body from the inputs, as Conduit's template builds it. */
  private static Map<String, Object> order(Map<?, ?> inputs) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("customer", inputs.get("customer"));
    body.put("items", inputs.get("items"));
    return body;
  }

  /** The two outputs, in an envelope like Conduit's. */
  private static Map<String, Object> outputs(Map<?, ?> answer) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("order_id", answer.get("orderId"));
    data.put("total", answer.get("total"));
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("success", true);
    envelope.put("data", data);
    return envelope;
  }
}
