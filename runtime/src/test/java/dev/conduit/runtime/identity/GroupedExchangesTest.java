package dev.conduit.runtime.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.identity.IdentityProvider.TokenPair;
import dev.conduit.runtime.identity.IdentityProvider.TokenRequest;
import dev.conduit.runtime.store.Databases;
import dev.conduit.runtime.store.GroupCommit;
import dev.conduit.runtime.store.JdbcIdentityStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Code exchanges as the server runs them (issue 16): on a database, with concurrent exchanges
 * sharing commits ({@link GroupCommit}). What a client sees must not change: every exchange of its
 * own code gets working tokens, and of two exchanges of one code at once exactly one gets tokens,
 * the other is told the code was used, and the tokens issued from it stop working.
 */
class GroupedExchangesTest {

  @TempDir static Path dir;

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void concurrentExchangesOfDistinctCodesAllGetWorkingTokens(String kind) throws Exception {
    DataSource ds = Databases.open(kind, dir);
    try (GroupCommit commits = new GroupCommit(ds, "test")) {
      IdentityProvider idp = provider(ds, commits);
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        codes.add(code(idp));
      }
      List<Object> answers = atOnce(idp, codes);
      for (Object answer : answers) {
        TokenPair pair = assertInstanceOfPair(answer);
        assertEquals("u-acme-003", idp.passport(pair.accessToken()).member().userId());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void twoExchangesOfOneCodeAtOnceIssueOnceAndTheReplayRevokesTheTokens(String kind)
      throws Exception {
    DataSource ds = Databases.open(kind, dir);
    try (GroupCommit commits = new GroupCommit(ds, "test")) {
      IdentityProvider idp = provider(ds, commits);
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String code = code(idp);
        codes.add(code);
        codes.add(code); // each code twice, side by side: often in one shared transaction
      }
      List<Object> answers = atOnce(idp, codes);
      for (int i = 0; i < answers.size(); i += 2) {
        List<Object> pair = List.of(answers.get(i), answers.get(i + 1));
        List<TokenPair> won =
            pair.stream().filter(TokenPair.class::isInstance).map(TokenPair.class::cast).toList();
        assertEquals(1, won.size(), "exactly one exchange of a code gets tokens: " + pair);
        IdentityException lost =
            pair.stream()
                .filter(IdentityException.class::isInstance)
                .map(IdentityException.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(HapError.CODE_INVALID, lost.error());
        assertTrue(lost.getMessage().contains("already used"), lost.getMessage());
        IdentityException revoked =
            assertThrows(IdentityException.class, () -> idp.passport(won.getFirst().accessToken()));
        assertEquals(HapError.TOKEN_INVALID, revoked.error(), "the replay revoked the tokens");
        IdentityException noRefresh =
            assertThrows(
                IdentityException.class,
                () ->
                    idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            IdentityProviderTest.SECRET,
                            "refresh_token",
                            null,
                            null,
                            won.getFirst().refreshToken(),
                            null)));
        assertEquals(HapError.TOKEN_INVALID, noRefresh.error());
      }
    }
  }

  static TokenPair assertInstanceOfPair(Object answer) {
    assertTrue(answer instanceof TokenPair, "an exchange of a fresh code succeeds: " + answer);
    return (TokenPair) answer;
  }

  static IdentityProvider provider(DataSource ds, GroupCommit commits) {
    return new IdentityProvider(
        IdentityProviderTest.DIRECTORY,
        new JdbcIdentityStore(ds, commits),
        (login, password) -> password.equals(login + "-pw"),
        Clock.systemUTC(),
        IdentitySettings.DEFAULT);
  }

  /** A code for carol at Acme's HR Portal, through the authorization request and her consent. */
  static String code(IdentityProvider idp) throws IdentityException {
    var request =
        idp.checkAuthorize(
            Map.of(
                "app_key",
                "441139F6ADFA",
                "redirect_uri",
                IdentityProviderTest.REDIRECT,
                "projectid",
                IdentityProviderTest.ACME));
    String redirect = idp.approve(request, idp.signIn("carol", "carol-pw"));
    return redirect.substring(redirect.indexOf("code=") + 5).split("&")[0];
  }

  /** Exchanges every code at once (one thread each): a TokenPair or an IdentityException each. */
  static List<Object> atOnce(IdentityProvider idp, List<String> codes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(codes.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Object>> answers = new ArrayList<>();
      for (String code : codes) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    return idp.token(
                        new TokenRequest(
                            "441139F6ADFA",
                            IdentityProviderTest.SECRET,
                            "authorization_code",
                            code,
                            IdentityProviderTest.REDIRECT,
                            null,
                            null));
                  } catch (IdentityException e) {
                    return e;
                  }
                }));
      }
      go.countDown();
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : answers) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
