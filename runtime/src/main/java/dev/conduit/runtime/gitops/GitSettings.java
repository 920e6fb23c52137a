package dev.conduit.runtime.gitops;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Where each organization's repository lives, read from MicroProfile Config (docs/gitops.md):
 *
 * <pre>
 * conduit.git.organizations=acme,globex          names of the sources (labels, not org ids)
 * conduit.git.acme.url=https://git.example.com/acme/conduit.git   (file://, ssh://, https://, http://)
 * conduit.git.acme.branch=main                   default main
 * conduit.git.acme.path=conduit                  folder inside the repository, default its root
 * conduit.git.acme.organization=f0dc6a74-...     the only organization id its commits may carry (C240)
 * conduit.git.acme.username / .password          https credentials (Config secrets)
 * conduit.git.acme.ssh-key                       ssh private key, OpenSSH or PEM text (a Config secret)
 * conduit.git.acme.ssh-passphrase                its passphrase, when it has one (a Config secret)
 * conduit.git.acme.ssh-known-hosts               the server's known_hosts lines (required for ssh://)
 * conduit.git.poll-seconds=30                    how often every source is fetched
 * conduit.git.fetch-timeout-seconds=30           how long a remote may stay silent (connect, ssh
 *                                                handshake, each read); the console's calls too
 * conduit.git.webhook-secret=...                 the push webhook's shared secret
 * conduit.git.compile-in=worker                  where a commit compiles: worker (a niced compile
 *                                                worker JVM kept warm), process (one per commit) or
 *                                                server (this JVM's niced threads), docs/gitops.md
 * conduit.git.compile-timeout-seconds=600        how long a compile worker may run
 * conduit.git.compile-worker-heap-mb=512         a compile worker's -Xmx
 * conduit.git.worker.pool=2                      at most this many workers kept warm, one a source
 * conduit.git.worker.max-commits=100             a kept-warm worker is started again after this
 * conduit.git.worker.max-age-minutes=60          many commits, this age, or when the heap it keeps
 * conduit.git.worker.max-heap-kept-percent=75    after a collection passes this share of -Xmx
 * </pre>
 *
 * The reader never throws on bad settings: a source it cannot use is left out and named in {@link
 * #problems()} (what and which key), so one mistyped source does not stop the others. The record is
 * re-read on every poll, so sources come and go without a restart. The console reuses it to push
 * review branches to the same remote.
 *
 * @param sources the usable sources, in the order configured
 * @param pollSeconds how often to fetch every source (at least 1)
 * @param fetchTimeoutSeconds how long a remote may stay silent before a fetch or push fails
 * @param webhookSecret the push webhook's shared secret; empty: the webhook is off
 * @param compile where and within what bounds a commit compiles
 * @param problems each setting that could not be used, naming its key
 */
public record GitSettings(
    List<Source> sources,
    int pollSeconds,
    int fetchTimeoutSeconds,
    Optional<String> webhookSecret,
    Compile compile,
    List<String> problems) {

  public static final String PREFIX = "conduit.git.";
  public static final int DEFAULT_POLL_SECONDS = 30;
  public static final int DEFAULT_FETCH_TIMEOUT_SECONDS = 30;
  public static final String DEFAULT_BRANCH = "main";

  /** The fewest characters a push webhook's shared secret may have. */
  public static final int MIN_WEBHOOK_SECRET = 32;

  /** Where a commit compiles (docs/gitops.md, "Serving while a commit compiles"). */
  public enum CompileIn {
    /** A compile worker kept warm: one niced JVM per instance, bound to one source at a time. */
    WORKER,
    /** A compile worker per commit: a niced JVM of its own, started for that commit. */
    PROCESS,
    /** This server's JVM, on niced threads. */
    SERVER;

    /** As written in the setting and shown to admins. */
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final CompileIn DEFAULT_COMPILE_IN = CompileIn.WORKER;
  public static final int DEFAULT_COMPILE_TIMEOUT_SECONDS = 600;
  public static final int DEFAULT_COMPILE_WORKER_HEAP_MB = 512;

  /** A worker's heap below this cannot hold the compiler of a small repository. */
  public static final int MIN_COMPILE_WORKER_HEAP_MB = 64;

  /** The kept-warm workers' keys (written out whole: deploy/k8s's test finds them so). */
  public static final String WORKER_POOL = "conduit.git.worker.pool";

  public static final String WORKER_MAX_COMMITS = "conduit.git.worker.max-commits";
  public static final String WORKER_MAX_AGE_MINUTES = "conduit.git.worker.max-age-minutes";
  static final String WORKER_MAX_HEAP_KEPT = "conduit.git.worker.max-heap-kept-percent";

  /**
   * How commits compile.
   *
   * @param in where
   * @param timeoutSeconds how long a compile worker may run before it is killed
   * @param workerHeapMb a compile worker's maximum heap (-Xmx), in MiB
   * @param warm how many workers are kept warm, and when each is started again
   */
  public record Compile(CompileIn in, int timeoutSeconds, int workerHeapMb, Warm warm) {
    public static final Compile DEFAULT =
        new Compile(
            DEFAULT_COMPILE_IN,
            DEFAULT_COMPILE_TIMEOUT_SECONDS,
            DEFAULT_COMPILE_WORKER_HEAP_MB,
            Warm.DEFAULT);

    /** With the kept-warm workers' defaults. */
    public Compile(CompileIn in, int timeoutSeconds, int workerHeapMb) {
      this(in, timeoutSeconds, workerHeapMb, Warm.DEFAULT);
    }
  }

  /**
   * The compile workers kept warm (compile-in=worker, docs/gitops.md): at most {@code pool} of them
   * per instance, one per source, the least recently used stopped when another source needs one.
   * Each is started again after {@code maxCommits} commits, once it is {@code maxAge} old, or when
   * the heap it keeps after a collection passes {@code maxHeapKeptPercent}% of its -Xmx: so that
   * whatever a long-lived compiler accumulates stays bounded.
   */
  public record Warm(int pool, int maxCommits, Duration maxAge, int maxHeapKeptPercent) {
    /**
     * Two workers: an instance following two organizations keeps both warm, and on a 2-core machine
     * with a few GiB the pool's memory stays at what two idle workers keep plus one compiling
     * (docs/gitops.md, "The compile workers kept warm").
     */
    public static final int DEFAULT_POOL = 2;

    public static final int DEFAULT_MAX_COMMITS = 100;
    public static final int DEFAULT_MAX_AGE_MINUTES = 60;
    public static final int DEFAULT_MAX_HEAP_KEPT_PERCENT = 75;

    /** More kept-warm workers than this is a typing error rather than a plan (each is a JVM). */
    public static final int MAX_POOL = 64;

    public static final Warm DEFAULT =
        new Warm(
            DEFAULT_POOL,
            DEFAULT_MAX_COMMITS,
            Duration.ofMinutes(DEFAULT_MAX_AGE_MINUTES),
            DEFAULT_MAX_HEAP_KEPT_PERCENT);
  }

  /** Labels become part of keys and of environment variable names: keep them plain. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private static final Pattern ORGANIZATION_ID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final Set<String> SCHEMES = Set.of("file", "ssh", "https", "http");

  public GitSettings {
    sources = List.copyOf(sources);
    problems = List.copyOf(problems);
  }

  @Override
  public String toString() {
    return "GitSettings[sources="
        + sources
        + ", pollSeconds="
        + pollSeconds
        + ", fetchTimeoutSeconds="
        + fetchTimeoutSeconds
        + ", webhookSecret="
        + (webhookSecret.isPresent() ? "******" : "none")
        + ", compile="
        + compile
        + ", problems="
        + problems
        + "]";
  }

  /** True when no organization follows Git (the runtime then serves only bundle files). */
  public boolean isEmpty() {
    return sources.isEmpty();
  }

  public Optional<Source> source(String label) {
    return sources.stream().filter(s -> s.label().equals(label)).findFirst();
  }

  /** How a source authenticates to its remote. Secrets never show in {@code toString}. */
  public sealed interface Credentials {

    /** No credentials: file:// remotes, public https repositories. */
    record None() implements Credentials {}

    /** https user name and password (or token). */
    record Password(String username, String password) implements Credentials {
      @Override
      public String toString() {
        return "Password[username=" + username + ", password=******]";
      }
    }

    /**
     * An ssh private key (OpenSSH or PEM text), its passphrase if it has one, and the remote's host
     * keys in known_hosts format: the only host keys accepted (strict checking, no ~/.ssh).
     */
    record SshKey(String privateKey, Optional<String> passphrase, String knownHosts)
        implements Credentials {
      @Override
      public String toString() {
        return "SshKey[privateKey=******, passphrase="
            + (passphrase.isPresent() ? "******" : "none")
            + ", knownHosts="
            + knownHosts.lines().count()
            + " lines]";
      }
    }
  }

  /**
   * One organization's Git source.
   *
   * @param label the name in {@code conduit.git.organizations}
   * @param url the remote
   * @param branch the branch followed
   * @param path the folder inside the repository that holds organization.json ("" for the root)
   * @param organization the organization id this source is bound to: a commit whose
   *     organization.json names another is refused (C240), so push rights to one repository are no
   *     way into another organization; empty: unbound
   */
  public record Source(
      String label,
      URI url,
      String branch,
      String path,
      Credentials credentials,
      Optional<String> organization) {

    /** An unbound source. */
    public Source(String label, URI url, String branch, String path, Credentials credentials) {
      this(label, url, branch, path, credentials, Optional.empty());
    }

    /** The full name of the branch on the remote. */
    public String ref() {
      return "refs/heads/" + branch;
    }
  }

  /** Reads the settings from the application's MicroProfile Config. */
  public static GitSettings read(Config config) {
    return read(key -> config.getOptionalValue(key, String.class));
  }

  /**
   * Reads the settings through a key lookup (MicroProfile Config in the server, a map in tests and
   * tools). Empty or blank values count as absent, as MicroProfile Config treats them.
   */
  public static GitSettings read(Function<String, Optional<String>> lookup) {
    Function<String, Optional<String>> get =
        key -> lookup.apply(key).map(String::strip).filter(v -> !v.isEmpty());
    List<String> problems = new ArrayList<>();

    int poll = seconds(get, PREFIX + "poll-seconds", DEFAULT_POLL_SECONDS, problems);
    int fetchTimeout =
        seconds(get, PREFIX + "fetch-timeout-seconds", DEFAULT_FETCH_TIMEOUT_SECONDS, problems);

    Set<String> labels = new LinkedHashSet<>();
    for (String label : get.apply(PREFIX + "organizations").orElse("").split(",")) {
      String l = label.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (!LABEL.matcher(l).matches()) {
        problems.add(
            PREFIX
                + "organizations: \""
                + l
                + "\" is not a usable name (lower-case letters, digits and '-', starting with a"
                + " letter or digit)");
      } else if (!labels.add(l)) {
        problems.add(PREFIX + "organizations: \"" + l + "\" is listed twice");
      }
    }
    List<Source> sources = new ArrayList<>();
    for (String label : labels) {
      source(label, get, problems).ifPresent(sources::add);
    }
    Optional<String> webhookSecret = get.apply(PREFIX + "webhook-secret");
    Optional<String> weak = weakWebhookSecret(webhookSecret);
    if (weak.isPresent()) {
      problems.add(weak.get());
      webhookSecret = Optional.empty(); // a weak secret never guards the webhook
    }
    return new GitSettings(
        sources, poll, fetchTimeout, webhookSecret, compile(get, problems), problems);
  }

  private static Compile compile(Function<String, Optional<String>> get, List<String> problems) {
    CompileIn in = DEFAULT_COMPILE_IN;
    Optional<String> text = get.apply(PREFIX + "compile-in");
    if (text.isPresent()) {
      switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
        case "worker" -> in = CompileIn.WORKER;
        case "process" -> in = CompileIn.PROCESS;
        case "server" -> in = CompileIn.SERVER;
        default ->
            problems.add(
                PREFIX
                    + "compile-in: \""
                    + text.get()
                    + "\" is not worker, process or server; compiling in "
                    + in.text());
      }
    }
    int timeout =
        seconds(get, PREFIX + "compile-timeout-seconds", DEFAULT_COMPILE_TIMEOUT_SECONDS, problems);
    int heap =
        whole(
            get,
            PREFIX + "compile-worker-heap-mb",
            DEFAULT_COMPILE_WORKER_HEAP_MB,
            MIN_COMPILE_WORKER_HEAP_MB,
            Integer.MAX_VALUE,
            "MiB",
            problems);
    return new Compile(in, timeout, heap, warm(get, problems));
  }

  private static Warm warm(Function<String, Optional<String>> get, List<String> problems) {
    int pool = whole(get, WORKER_POOL, Warm.DEFAULT_POOL, 1, Warm.MAX_POOL, "workers", problems);
    int commits =
        whole(
            get,
            WORKER_MAX_COMMITS,
            Warm.DEFAULT_MAX_COMMITS,
            1,
            Integer.MAX_VALUE,
            "commits",
            problems);
    int minutes =
        whole(
            get,
            WORKER_MAX_AGE_MINUTES,
            Warm.DEFAULT_MAX_AGE_MINUTES,
            1,
            Integer.MAX_VALUE,
            "minutes",
            problems);
    int percent =
        whole(
            get,
            WORKER_MAX_HEAP_KEPT,
            Warm.DEFAULT_MAX_HEAP_KEPT_PERCENT,
            1,
            100,
            "percent",
            problems);
    return new Warm(pool, commits, Duration.ofMinutes(minutes), percent);
  }

  /** A whole number of seconds, at least 1; the default (and a problem) when it is not. */
  private static int seconds(
      Function<String, Optional<String>> get, String key, int fallback, List<String> problems) {
    return whole(get, key, fallback, 1, Integer.MAX_VALUE, "seconds", problems);
  }

  /**
   * A whole number of {@code unit} from {@code min} to {@code max}; the default, and a problem
   * naming the key, when it is not.
   */
  private static int whole(
      Function<String, Optional<String>> get,
      String key,
      int fallback,
      int min,
      int max,
      String unit,
      List<String> problems) {
    Optional<String> text = get.apply(key);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value < min) {
        problems.add(key + ": must be at least " + min + " (" + unit + "), was " + value);
      } else if (value > max) {
        problems.add(key + ": must be at most " + max + " (" + unit + "), was " + value);
      } else {
        return value;
      }
    } catch (NumberFormatException e) {
      problems.add(key + ": not a whole number of " + unit + ": \"" + text.get() + "\"");
    }
    return fallback;
  }

  /**
   * Why a webhook secret is too weak to use, if it is: shorter than {@link #MIN_WEBHOOK_SECRET}
   * characters. The secret keys an HMAC over a push body anyone can see, so one captured signed
   * push lets a short secret be guessed offline; the runtime refuses to start with one (GitOps).
   */
  public static Optional<String> weakWebhookSecret(Optional<String> secret) {
    return secret
        .filter(s -> s.length() < MIN_WEBHOOK_SECRET)
        .map(
            s ->
                PREFIX
                    + "webhook-secret: "
                    + s.length()
                    + " characters; it must have at least "
                    + MIN_WEBHOOK_SECRET
                    + " (a short shared secret can be guessed from one signed push). Generate"
                    + " one with: openssl rand -hex 32");
  }

  private static Optional<Source> source(
      String label, Function<String, Optional<String>> get, List<String> problems) {
    String key = PREFIX + label + ".";
    int before = problems.size();
    Optional<String> urlText = get.apply(key + "url");
    URI url = null;
    if (urlText.isEmpty()) {
      problems.add(key + "url: not set (organization \"" + label + "\" is listed)");
    } else {
      try {
        url = new URI(urlText.get());
        if (url.getUserInfo() != null && url.getUserInfo().contains(":")) {
          // a password inside the URL would show wherever the URL does (logs, admin answers)
          problems.add(key + "url: holds a password; set " + key + "password instead");
        } else if (url.getScheme() == null || !SCHEMES.contains(url.getScheme())) {
          problems.add(
              key + "url: \"" + urlText.get() + "\": use a file://, ssh:// or https:// address");
        }
      } catch (URISyntaxException e) {
        // the reason and position only: the text may hold a password
        problems.add(key + "url: not an address: " + e.getReason() + " at index " + e.getIndex());
      }
    }
    String branch = get.apply(key + "branch").orElse(DEFAULT_BRANCH);
    if (branch.startsWith("refs/") || branch.contains("..") || branch.contains(" ")) {
      problems.add(
          key + "branch: \"" + branch + "\" is not a branch name (write main, not refs/...)");
    }
    String path = get.apply(key + "path").orElse("").replace('\\', '/');
    path = path.replaceAll("^/+|/+$", "");
    if (path.equals(".")) {
      path = "";
    }
    if (List.of(path.split("/")).contains("..")) {
      problems.add(key + "path: \"" + path + "\" leaves the repository");
    }

    Optional<String> organization = get.apply(key + "organization");
    if (organization.isPresent() && !ORGANIZATION_ID.matcher(organization.get()).matches()) {
      problems.add(key + "organization: \"" + organization.get() + "\" is not an organization id");
    }

    Optional<String> username = get.apply(key + "username");
    Optional<String> password = get.apply(key + "password");
    Optional<String> sshKey = get.apply(key + "ssh-key");
    Optional<String> passphrase = get.apply(key + "ssh-passphrase");
    Optional<String> knownHosts = get.apply(key + "ssh-known-hosts");
    Credentials credentials = new Credentials.None();
    if (sshKey.isPresent() && (username.isPresent() || password.isPresent())) {
      problems.add(key + "ssh-key: set either ssh-key or username/password, not both");
    } else if (sshKey.isPresent() && knownHosts.isEmpty()) {
      // strict host key checking: without the server's key nothing could be trusted
      problems.add(
          key
              + "ssh-known-hosts: not set; an ssh-key needs the server's host key"
              + " (a line of ssh-keyscan's output)");
    } else if (sshKey.isPresent()) {
      credentials = new Credentials.SshKey(sshKey.get(), passphrase, knownHosts.get());
    } else if (password.isPresent()) {
      // a token alone is a password for most hosts; JGit needs some user name
      credentials = new Credentials.Password(username.orElse("git"), password.get());
    } else if (username.isPresent()) {
      problems.add(key + "username: set without " + key + "password");
    }
    if (url != null && sshKey.isPresent() && !"ssh".equals(url.getScheme())) {
      problems.add(key + "ssh-key: the url is not ssh://");
    }
    if (url != null && "ssh".equals(url.getScheme()) && sshKey.isEmpty()) {
      problems.add(key + "ssh-key: not set; an ssh:// url needs a private key (a Config secret)");
    }
    if (sshKey.isEmpty() && (passphrase.isPresent() || knownHosts.isPresent())) {
      problems.add(
          key
              + (passphrase.isPresent() ? "ssh-passphrase" : "ssh-known-hosts")
              + ": set without "
              + key
              + "ssh-key");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Source(label, url, branch, path, credentials, organization));
  }
}
