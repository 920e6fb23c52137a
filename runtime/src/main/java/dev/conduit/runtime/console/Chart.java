package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.logs.RequestLogStore.Bucket;
import java.time.Instant;
import java.util.List;

/**
 * Calls, errors and latency over time as inline SVG: a bar per time bucket (calls, with the failed
 * part in red) and a line for the mean latency on its own scale. The same figures follow as a table
 * for screen readers and for reading exact numbers.
 */
final class Chart {
  private Chart() {}

  private static final int W = 720;
  private static final int H = 200;
  private static final int PAD = 30;

  static String svg(List<Bucket> buckets, long fromMillis, long toMillis, long width) {
    int slots = (int) Math.max(1, (toMillis - fromMillis + width - 1) / width);
    long maxCalls = Math.max(1, buckets.stream().mapToLong(Bucket::calls).max().orElse(1));
    long maxMean = Math.max(1, buckets.stream().mapToLong(Bucket::meanMillis).max().orElse(1));
    double slot = (W - 2.0 * PAD) / slots;
    long calls = buckets.stream().mapToLong(Bucket::calls).sum();
    long errors = buckets.stream().mapToLong(Bucket::errors).sum();
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart\" id=\"chart\" role=\"img\" aria-labelledby=\"chart-title\"")
        .append(" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(H)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">")
        .append(calls)
        .append(" calls, ")
        .append(errors)
        .append(" failed, from ")
        .append(Instant.ofEpochMilli(fromMillis))
        .append(" to ")
        .append(Instant.ofEpochMilli(toMillis))
        .append("</title>");
    b.append("<line x1=\"")
        .append(PAD)
        .append("\" y1=\"")
        .append(H - PAD)
        .append("\" x2=\"")
        .append(W - PAD)
        .append("\" y2=\"")
        .append(H - PAD)
        .append("\" stroke=\"#8a99a8\"/>");
    b.append(label(4, 14, "max " + maxCalls + " calls", "#1f5fbf"));
    b.append(label(W - 180, 14, "mean latency ≤ " + maxMean + " ms", "#b35c00"));
    StringBuilder line = new StringBuilder();
    for (Bucket k : buckets) {
      int i = (int) ((k.startMillis() - fromMillis) / width);
      if (i < 0 || i >= slots) {
        continue;
      }
      double x = PAD + i * slot;
      double h = (H - 2.0 * PAD) * k.calls() / maxCalls;
      double he = (H - 2.0 * PAD) * k.errors() / maxCalls;
      double bw = Math.max(1, slot - 2);
      rect(b, x + 1, H - PAD - h, bw, h, "#7aa7e0");
      if (k.errors() > 0) {
        rect(b, x + 1, H - PAD - he, bw, he, "#d9534f");
      }
      double y = H - PAD - (H - 2.0 * PAD) * k.meanMillis() / maxMean;
      line.append(line.isEmpty() ? "" : " ").append(fmt(x + slot / 2)).append(',').append(fmt(y));
    }
    if (!line.isEmpty()) {
      b.append("<polyline fill=\"none\" stroke=\"#b35c00\" stroke-width=\"2\" points=\"")
          .append(line)
          .append("\"/>");
    }
    b.append(label(PAD, H - 8, Instant.ofEpochMilli(fromMillis).toString(), "#5b6b7b"));
    b.append(label(W - PAD - 160, H - 8, Instant.ofEpochMilli(toMillis).toString(), "#5b6b7b"));
    b.append("</svg>");
    return b.toString();
  }

  /** The chart's figures as a table (inside a disclosure under the chart). */
  static String table(List<Bucket> buckets) {
    StringBuilder b =
        new StringBuilder(
            "<details><summary>The chart's figures</summary><table id=\"chart-data\"><thead><tr>"
                + "<th scope=\"col\">From</th><th scope=\"col\">Calls</th><th scope=\"col\">Failed</th>"
                + "<th scope=\"col\">Mean ms</th><th scope=\"col\">Slowest ms</th></tr></thead><tbody>");
    for (Bucket k : buckets) {
      b.append("<tr><td>")
          .append(Instant.ofEpochMilli(k.startMillis()))
          .append("</td><td>")
          .append(k.calls())
          .append("</td><td>")
          .append(k.errors())
          .append("</td><td>")
          .append(k.meanMillis())
          .append("</td><td>")
          .append(k.maxMillis())
          .append("</td></tr>");
    }
    return b.append("</tbody></table></details>").toString();
  }

  private static void rect(StringBuilder b, double x, double y, double w, double h, String fill) {
    b.append("<rect x=\"")
        .append(fmt(x))
        .append("\" y=\"")
        .append(fmt(y))
        .append("\" width=\"")
        .append(fmt(w))
        .append("\" height=\"")
        .append(fmt(h))
        .append("\" fill=\"")
        .append(fill)
        .append("\"/>");
  }

  private static String label(int x, int y, String text, String fill) {
    return "<text x=\""
        + x
        + "\" y=\""
        + y
        + "\" font-size=\"11\" fill=\""
        + fill
        + "\">"
        + esc(text)
        + "</text>";
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d);
  }
}
