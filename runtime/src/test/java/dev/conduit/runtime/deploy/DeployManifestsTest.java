package dev.conduit.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Kubernetes manifests against the runtime they deploy (docs/deploy.md): every setting they
 * give the container (ConfigMap, Secret, env, and the keys the Secret example tells to create) is a
 * MicroProfile Config key the runtime reads (its @ConfigProperty names, the GitOps keys of
 * gitops/GitSettings, server.xml's variables), in the environment-variable spelling MicroProfile
 * Config maps back; the probes and the Service use ports the container declares, and those are
 * server.xml's. GitOpsIT asks the probes on both of its instances.
 */
class DeployManifestsTest {

  private static final Path RUNTIME_SOURCES = Path.of("src", "main", "java");
  private static final Path SERVER_XML = Path.of("..", "server.xml");

  @Test
  void everySettingTheManifestsGiveIsOneTheRuntimeReads() throws IOException {
    DeployManifests m = DeployManifests.read();
    Set<String> read = keysTheRuntimeReads(m);
    List<String> unknown = new ArrayList<>();
    Set<String> names = new TreeSet<>(m.settings().keySet());
    names.addAll(secretExampleKeys());
    for (String name : names) {
      if (!read.contains(name) && read.stream().noneMatch(k -> environmentName(k).equals(name))) {
        unknown.add(name);
      }
    }
    assertEquals(List.of(), unknown, "settings no part of the runtime reads");
    assertTrue(names.contains("CONDUIT_DB_URL"), "the check saw the ConfigMap: " + names);
    assertTrue(names.contains("CONDUIT_DB_PASSWORD"), "the check saw the Secret: " + names);
  }

  @Test
  void probesAndTheServiceUseThePortsServerXmlOpens() throws IOException {
    DeployManifests m = DeployManifests.read();
    String xml = Files.readString(SERVER_XML);
    assertEquals(variable(xml, "http.port"), m.containerPorts().get("http"));
    assertEquals(variable(xml, "https.port"), m.containerPorts().get("https"));
    assertEquals(Set.of("startupProbe", "readinessProbe", "livenessProbe"), m.probes().keySet());
    m.probes()
        .forEach(
            (kind, p) -> {
              assertTrue(m.containerPorts().containsKey(p.port()), kind + " port " + p.port());
              assertTrue(p.path().startsWith("/health/"), kind + " " + p.path());
            });
    for (JsonNode d : m.documents()) {
      if (d.path("kind").asString("").equals("Service")) {
        for (JsonNode port : d.path("spec").path("ports")) {
          String target = port.path("targetPort").asString();
          assertTrue(m.containerPorts().containsKey(target), "Service targetPort " + target);
        }
      }
      if (d.path("kind").asString("").equals("Deployment")) {
        JsonNode annotations = d.path("spec").path("template").path("metadata").path("annotations");
        assertEquals(
            String.valueOf(m.containerPorts().get("https")),
            annotations.path("prometheus.io/port").asString(),
            "metrics are scraped on the HTTPS port");
      }
    }
  }

  /** MicroProfile Config's environment spelling: upper case, '_' for every other character. */
  static String environmentName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * The keys the runtime reads: @ConfigProperty names and "conduit." constants of its sources, the
   * GitOps keys (global, and per source for each organization the manifests list), server.xml's
   * variables.
   */
  private static Set<String> keysTheRuntimeReads(DeployManifests m) throws IOException {
    Set<String> keys = new TreeSet<>();
    Pattern literal =
        Pattern.compile("(?:name = |static final String \\w+ = )\"(conduit\\.[a-z0-9.-]+)\"");
    Pattern gitGlobal = Pattern.compile("PREFIX \\+ \"([a-z-]+)\"");
    Pattern gitSource = Pattern.compile("key \\+ \"([a-z-]+)\"");
    Set<String> perSource = new TreeSet<>();
    try (Stream<Path> files = Files.walk(RUNTIME_SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        collect(literal, text, keys::add);
        if (f.toString().contains("gitops")) {
          collect(gitGlobal, text, s -> keys.add("conduit.git." + s));
          collect(gitSource, text, perSource::add);
        }
      }
    }
    keys.add(dev.conduit.compiler.library.PublicLibrary.PROPERTY);
    String organizations =
        m.settings().getOrDefault(environmentName("conduit.git.organizations"), "");
    for (String label : organizations.split(",")) {
      if (!label.isBlank()) {
        perSource.forEach(s -> keys.add("conduit.git." + label.strip() + "." + s));
      }
    }
    // the example Secret's commands name the source "acme", as docs/gitops.md does
    perSource.forEach(s -> keys.add("conduit.git.acme." + s));
    String xml = Files.readString(SERVER_XML);
    collect(Pattern.compile("<variable name=\"([^\"]+)\""), xml, keys::add);
    collect(Pattern.compile("\\$\\{([A-Za-z_.]+)\\}"), xml, keys::add);
    assertFalse(perSource.isEmpty(), "the GitSettings keys were found");
    return keys;
  }

  /** The conduit-secrets keys the example's kubectl commands tell to create. */
  private static Set<String> secretExampleKeys() throws IOException {
    String text = Files.readString(DeployManifests.FOLDER.resolve("secret.example.yaml"));
    int start = text.indexOf("create secret generic conduit-secrets");
    int end = text.indexOf("create secret generic", start + 1);
    String block = text.substring(start, end < 0 ? text.length() : end);
    Set<String> keys = new TreeSet<>();
    collect(Pattern.compile("--from-(?:literal|file)=([A-Za-z_]+)="), block, keys::add);
    return keys;
  }

  private static Integer variable(String xml, String name) {
    Matcher v =
        Pattern.compile("<variable name=\"" + Pattern.quote(name) + "\" defaultValue=\"(\\d+)\"")
            .matcher(xml);
    assertTrue(v.find(), name + " in server.xml");
    return Integer.valueOf(v.group(1));
  }

  private static void collect(Pattern p, String text, java.util.function.Consumer<String> into) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      into.accept(m.group(1));
    }
  }
}
