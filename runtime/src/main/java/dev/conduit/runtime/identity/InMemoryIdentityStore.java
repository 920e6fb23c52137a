package dev.conduit.runtime.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The identity store in one process's memory: for tests and single-instance experiments. */
public final class InMemoryIdentityStore implements IdentityStore {

  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, LoginFailures> failures = new ConcurrentHashMap<>();

  @Override
  public void saveGrant(Grant grant) {
    grants.put(grant.id(), grant);
  }

  @Override
  public Optional<Grant> grant(String id) {
    return Optional.ofNullable(grants.get(id));
  }

  @Override
  public void revokeGrant(String id, Instant at) {
    grants.computeIfPresent(
        id,
        (k, g) ->
            g.revoked()
                ? g
                : new Grant(g.id(), g.appKey(), g.organizationId(), g.login(), g.createdAt(), at));
  }

  @Override
  public void saveCode(Code code) {
    codes.put(code.hash(), code);
  }

  @Override
  public Optional<Code> useCode(String hash) {
    Code[] before = new Code[1];
    codes.computeIfPresent(
        hash,
        (k, c) -> {
          before[0] = c;
          return new Code(
              c.hash(), c.grantId(), c.redirectUri(), c.codeChallenge(), c.expiresAt(), true);
        });
    return Optional.ofNullable(before[0]);
  }

  @Override
  public void saveToken(Token token) {
    tokens.put(token.hash(), token);
  }

  @Override
  public Optional<Token> token(String hash) {
    return Optional.ofNullable(tokens.get(hash));
  }

  @Override
  public boolean useRefreshToken(String hash, Instant at) {
    boolean[] fresh = {false};
    tokens.computeIfPresent(
        hash,
        (k, t) -> {
          if (t.usedAt() != null) {
            return t;
          }
          fresh[0] = true;
          return new Token(t.hash(), t.kind(), t.grantId(), t.expiresAt(), at, t.revokedAt());
        });
    return fresh[0];
  }

  @Override
  public void revokeToken(String hash, Instant at) {
    tokens.computeIfPresent(
        hash,
        (k, t) ->
            t.revokedAt() != null
                ? t
                : new Token(t.hash(), t.kind(), t.grantId(), t.expiresAt(), t.usedAt(), at));
  }

  @Override
  public Optional<LoginFailures> loginFailures(String login) {
    return Optional.ofNullable(failures.get(login));
  }

  @Override
  public void saveLoginFailures(String login, LoginFailures f) {
    failures.put(login, f);
  }

  @Override
  public void clearLoginFailures(String login) {
    failures.remove(login);
  }
}
