package dev.conduit.bench.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * HTTP Basic in: one application key, its secret checked against a stored SHA-256 in constant
 * time (what Conduit stores for an application); anything else is answered 401.
 */
final class BasicAuthFilter implements GatewayFilter {

  private final String key;
  private final byte[] secretSha256;

  BasicAuthFilter(String key, String secretSha256Hex) {
    this.key = key;
    this.secretSha256 = HexFormat.of().parseHex(secretSha256Hex);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    if (!authenticated(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
      exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
      return exchange.getResponse().setComplete();
    }
    return chain.filter(exchange);
  }

  private boolean authenticated(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return false;
    }
    boolean keyOk = key.equals(pair.substring(0, colon));
    boolean secretOk =
        MessageDigest.isEqual(secretSha256, sha256(pair.substring(colon + 1)));
    return keyOk & secretOk;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
