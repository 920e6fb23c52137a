package dev.conduit.bench.gateway;

import java.time.Duration;
import java.util.Map;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Bearer out: a client-credentials token from the upstream's token endpoint, fetched on first use
 * and cached until a minute before it expires (a failed fetch is not cached).
 */
final class BearerToken {

  private final Mono<String> token;

  BearerToken(WebClient client, String path, String clientId, String clientSecret) {
    this.token =
        client
            .post()
            .uri(path)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(
                BodyInserters.fromFormData("grant_type", "client_credentials")
                    .with("client_id", clientId)
                    .with("client_secret", clientSecret))
            .retrieve()
            .bodyToMono(Map.class)
            .map(BearerToken::granted)
            .cache(
                t -> t.lifetime().minusMinutes(1),
                error -> Duration.ZERO,
                () -> Duration.ZERO)
            .map(Granted::value);
  }

  private record Granted(String value, Duration lifetime) {}

  private static Granted granted(Map<?, ?> answer) {
    Object value = answer.get("access_token");
    Object seconds = answer.get("expires_in");
    if (!(value instanceof String s)) {
      throw new IllegalStateException("the token endpoint answered no access_token");
    }
    long lifetime = seconds instanceof Number n ? n.longValue() : 3600;
    return new Granted(s, Duration.ofSeconds(lifetime));
  }

  GatewayFilter filter() {
    return (exchange, chain) ->
        token.flatMap(
            t ->
                chain.filter(
                    exchange
                        .mutate()
                        .request(
                            r -> r.headers(h -> h.set(HttpHeaders.AUTHORIZATION, "Bearer " + t)))
                        .build()));
  }
}
