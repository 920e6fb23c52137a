package it.dev.conduit.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus text scrape, read as Prometheus reads it: one sample per line, {@code
 * name{label="value",...} number}; comments (# HELP, # TYPE) skipped.
 */
record PrometheusText(String text, List<Sample> samples) {

  record Sample(String name, Map<String, String> labels, double value) {}

  static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      Map<String, String> labels = new LinkedHashMap<>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        labels(line.substring(brace + 1, line.lastIndexOf('}')), labels);
      } else {
        name = line.substring(0, space);
      }
      samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return new PrometheusText(text, samples);
  }

  /** label="value" pairs; values here are ids and codes, so no escaped quotes to undo. */
  private static void labels(String body, Map<String, String> into) {
    int i = 0;
    while (i < body.length()) {
      int eq = body.indexOf('=', i);
      int open = body.indexOf('"', eq);
      int close = body.indexOf('"', open + 1);
      into.put(body.substring(i, eq).trim(), body.substring(open + 1, close));
      i = close + 1;
      if (i < body.length() && body.charAt(i) == ',') {
        i++;
      }
    }
  }

  /** The sum of the samples of {@code name} whose labels include every one given (0 if none). */
  double value(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value)
        .sum();
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** The metric names present, for failure messages. */
  List<String> names() {
    return samples.stream().map(Sample::name).distinct().sorted().toList();
  }
}
