package dev.conduit.runtime.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The paging of every list, API and console alike: query parameters are text from anyone, so each
 * is parsed here (not by JAX-RS, whose failure for {@code ?page=abc} is a 404) and held to one set
 * of limits. A page starts at 1, a size or limit is 1 to the list's own maximum, and no list pages
 * past {@link #MAX_OFFSET} rows: {@code (page - 1) * size} with a huge page overflowed an int into
 * a negative SQL offset (a 500), and a deep offset makes the database read and drop every row
 * before it. Past that, the filters (connection, status, time) are the way to a row.
 */
public final class Paging {

  /** The deepest row any list starts at. */
  public static final long MAX_OFFSET = 1_000_000;

  /** The error code of a refused page, in the JSON envelope. */
  public static final String CODE = "BAD_PAGE";

  private static final Pattern WHOLE = Pattern.compile("[0-9]{1,10}");

  /** One wrong parameter: which and why. */
  public record Problem(String parameter, String message) {}

  /** A page refused: every problem found, and one sentence of them all. */
  public static final class BadPage extends Exception {
    private final transient List<Problem> problems;

    BadPage(List<Problem> problems) {
      super(
          String.join(
              "; ", problems.stream().map(p -> p.parameter() + " " + p.message()).toList()));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  /** Rows {@code [offset, offset + limit)} of a list. */
  public record Window(int limit, int offset) {}

  private Paging() {}

  /**
   * {@code ?page=&size=}: page from 1 (default 1), size 1 to maxSize (default defaultSize).
   *
   * @param size null for a list whose pages have a fixed size (the console's): then defaultSize
   */
  public static Window pages(String page, String size, int defaultSize, int maxSize)
      throws BadPage {
    List<Problem> bad = new ArrayList<>();
    long p = whole(page, 1, 1, Integer.MAX_VALUE, "page", bad);
    long s = whole(size, defaultSize, 1, maxSize, "size", bad);
    if (bad.isEmpty() && (p - 1) * s > MAX_OFFSET) {
      bad.add(
          new Problem(
              "page",
              "starts past row "
                  + MAX_OFFSET
                  + " (page "
                  + p
                  + " of "
                  + s
                  + "): lists are not paged that deep, narrow the filters instead"));
    }
    if (!bad.isEmpty()) {
      throw new BadPage(bad);
    }
    return new Window((int) s, (int) ((p - 1) * s));
  }

  /** {@code ?limit=&offset=}: limit 1 to maxLimit (default defaultLimit), offset 0 to the max. */
  public static Window window(String limit, String offset, int defaultLimit, int maxLimit)
      throws BadPage {
    List<Problem> bad = new ArrayList<>();
    long l = whole(limit, defaultLimit, 1, maxLimit, "limit", bad);
    long o = whole(offset, 0, 0, MAX_OFFSET, "offset", bad);
    if (!bad.isEmpty()) {
      throw new BadPage(bad);
    }
    return new Window((int) l, (int) o);
  }

  /** The page number of a window made by {@link #pages}. */
  public static int pageOf(Window w) {
    return w.offset() / w.limit() + 1;
  }

  private static long whole(
      String text, long absent, long min, long max, String name, List<Problem> bad) {
    if (text == null || text.isBlank()) {
      return absent;
    }
    String t = text.strip();
    long n = WHOLE.matcher(t).matches() ? Long.parseLong(t) : -1;
    if (n >= min && n <= max) {
      return n;
    }
    bad.add(
        new Problem(
            name,
            "must be a whole number from "
                + min
                + (max >= Integer.MAX_VALUE ? " up" : " to " + max)));
    return min;
  }
}
