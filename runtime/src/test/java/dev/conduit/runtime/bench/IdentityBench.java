package dev.conduit.runtime.bench;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity provider's token endpoint under concurrent load: N authorization codes are obtained
 * through the real flow (sign-in and consent pages), then all exchanged at once with C concurrent
 * clients, then every refresh token renewed; prints throughput, latency percentiles and errors, and
 * writes one fresh access token for the passport load (wrk). Run: bench/identity/run.sh
 */
public final class IdentityBench {

  static final String APP = "441139F6ADFA";
  static final String SECRET = "MmsAGOVoV0uyOuu9k1IkUSJEq_CHypup";
  static final String REDIRECT = "http://localhost:8000/callback";
  static final String ORG = "f0dc6a74-854a-46cb-ab8c-909b7846d34c";

  /** The server's process id when known (its CPU share is printed), else 0. */
  static long serverPid;

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int n = Integer.parseInt(args[1]);
    int concurrency = Integer.parseInt(args[2]);
    Path tokenFile = Path.of(args[3]);
    serverPid = args.length > 4 ? Long.parseLong(args[4]) : 0;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // a first round warms the JIT; the second is measured
    round(http, base, n / 2, concurrency, tokenFile, false);
    round(http, base, n, concurrency, tokenFile, true);
  }

  static void round(
      HttpClient http, String base, int n, int concurrency, Path tokenFile, boolean print)
      throws Exception {
    System.out.printf(
        "obtaining %d authorization codes through the sign-in and consent pages...%n", n);
    List<String> codes = new ArrayList<>(java.util.Collections.nCopies(n, (String) null));
    BlockingQueue<HttpClient> browsers = new ArrayBlockingQueue<>(SIGN_IN_BROWSERS);
    for (int i = 0; i < SIGN_IN_BROWSERS; i++) {
      browsers.add(
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .followRedirects(HttpClient.Redirect.NEVER)
              .version(HttpClient.Version.HTTP_1_1)
              .build());
    }
    try {
      run(n, SIGN_IN_BROWSERS, i -> codes.set(i, authorize(base, browsers)));
    } finally {
      browsers.forEach(HttpClient::close);
    }

    List<String> refresh = new ArrayList<>(java.util.Collections.nCopies(n, (String) null));
    Result exchange =
        run(
            n,
            concurrency,
            i -> {
              String body =
                  get(
                      http,
                      base
                          + "/api/oauth2/access_token?app_key="
                          + APP
                          + "&app_secret="
                          + SECRET
                          + "&grant_type=authorization_code&code="
                          + codes.get(i)
                          + "&redirect_uri="
                          + enc(REDIRECT)
                          + "&format=json");
              refresh.set(i, field(body, "refresh_token"));
              if (refresh.get(i) == null) {
                throw new IllegalStateException(body);
              }
            });
    Result renew =
        run(
            n,
            concurrency,
            i -> {
              String body =
                  get(
                      http,
                      base
                          + "/api/oauth2/access_token?app_key="
                          + APP
                          + "&app_secret="
                          + SECRET
                          + "&grant_type=refresh_token&refresh_token="
                          + refresh.get(i)
                          + "&format=json");
              if (field(body, "access_token") == null) {
                throw new IllegalStateException(body);
              }
              if (i == 0) {
                Files.writeString(tokenFile, field(body, "access_token"));
              }
            });
    if (!print) {
      return;
    }
    System.out.printf(
        "%-18s %8s %12s %10s %10s %8s %8s %8s %8s%n",
        "operation", "calls", "calls/s", "p50 ms", "p99 ms", "errors", "server", "client", "other");
    exchange.print("code exchange");
    renew.print("refresh");
    System.out.printf(
        "(%d concurrent clients, %d cores; server, client, other: shares of the machine's CPU)%n",
        concurrency, Runtime.getRuntime().availableProcessors());
  }

  /** How many browsers sign in at once. */
  static final int SIGN_IN_BROWSERS = 8;

  /**
   * Signs carol in through the pages with one of a few browsers, approves, and returns the code.
   * The browsers are reused (cookies cleared: a new session each time): a new HttpClient per
   * sign-in, never closed, once left thousands of idle clients, each with a selector thread and a
   * connection, whose clean-up fell into the exchange round (the client then took 44% of the
   * machine's CPU and the server closed thousands of idle connections).
   */
  static String authorize(String base, BlockingQueue<HttpClient> browsers) throws Exception {
    HttpClient browser = browsers.take();
    try {
      ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().removeAll();
      return signInAndApprove(browser, base);
    } finally {
      browsers.add(browser);
    }
  }

  static String signInAndApprove(HttpClient browser, String base) throws Exception {
    String page =
        get(
            browser,
            base
                + "/api/oauth2/authorize?app_key="
                + APP
                + "&redirect_uri="
                + enc(REDIRECT)
                + "&projectid="
                + ORG);
    String flow = hidden(page, "flow");
    String csrf = hidden(page, "csrf");
    post(
        browser,
        base + "/api/oauth2/authorize/login",
        "flow=" + flow + "&csrf=" + csrf + "&login=carol&password=carol-demo-pw");
    HttpResponse<String> back =
        browser.send(
            HttpRequest.newBuilder(URI.create(base + "/api/oauth2/authorize/consent"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "flow=" + flow + "&csrf=" + csrf + "&decision=approve"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m =
        Pattern.compile("code=([^&]+)")
            .matcher(back.headers().firstValue("Location").orElseThrow());
    if (!m.find()) {
      throw new IllegalStateException("no code");
    }
    return m.group(1);
  }

  interface Call {
    void run(int i) throws Exception;
  }

  /** A round's figures, with who used the machine's CPU meanwhile. */
  record Result(int calls, double perSecond, long[] nanos, int errors, CpuShares cpu) {
    void print(String name) {
      long[] s = nanos.clone();
      Arrays.sort(s);
      System.out.printf(
          "%-18s %8d %12.0f %10.2f %10.2f %8d %7.0f%% %7.0f%% %7.0f%%%n",
          name,
          calls,
          perSecond,
          s[s.length / 2] / 1e6,
          s[Math.min(s.length - 1, (int) (s.length * 0.99))] / 1e6,
          errors,
          100 * cpu.server(),
          100 * cpu.client(),
          100 * cpu.other());
    }
  }

  static Result run(int n, int concurrency, Call call) throws Exception {
    long[] nanos = new long[n];
    AtomicInteger errors = new AtomicInteger();
    ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    Semaphore slots = new Semaphore(concurrency);
    CpuShares.Snapshot cpu = CpuShares.now(serverPid);
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        final int k = i;
        slots.acquire();
        pool.submit(
            () -> {
              long t = System.nanoTime();
              try {
                call.run(k);
              } catch (Exception e) {
                errors.incrementAndGet();
                if (firstErrors.size() < 3) {
                  firstErrors.add(String.valueOf(e.getMessage()));
                }
              } finally {
                nanos[k] = System.nanoTime() - t;
                slots.release();
              }
            });
      }
    }
    long wall = System.nanoTime() - start;
    CpuShares shares = CpuShares.between(cpu, CpuShares.now(serverPid));
    firstErrors.forEach(e -> System.out.println("error: " + e));
    return new Result(n, n / (wall / 1e9), nanos, errors.get(), shares);
  }

  static String get(HttpClient c, String url) throws Exception {
    HttpResponse<String> r =
        c.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  static void post(HttpClient c, String url, String form) throws Exception {
    c.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
