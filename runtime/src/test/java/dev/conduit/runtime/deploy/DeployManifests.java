package dev.conduit.runtime.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the Kubernetes manifests under {@code deploy/k8s} say, read from the files themselves: the
 * runtime container's ports and probes, and the settings it gets (the ConfigMap and Secret it reads
 * with {@code envFrom}, and its own {@code env}). Public for GitOpsIT, which asks both of its
 * instances the probes these files name.
 */
public record DeployManifests(
    Map<String, Integer> containerPorts,
    Map<String, Probe> probes,
    Map<String, String> settings,
    List<JsonNode> documents) {

  /** The folder, from the runtime module (where Maven runs its tests). */
  public static final Path FOLDER = Path.of("..", "deploy", "k8s");

  /** One probe: an HTTP GET of a path on a named container port. */
  public record Probe(String path, String port) {}

  public static DeployManifests read() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    try (Stream<Path> files = Files.list(FOLDER)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
          while (it.hasNext()) {
            JsonNode d = it.next();
            if (d != null && !d.isNull() && !d.isEmpty()) {
              docs.add(d);
            }
          }
        }
      }
    }
    JsonNode container = null;
    for (JsonNode d : docs) {
      if (d.path("kind").asString("").equals("Deployment")) {
        container = d.path("spec").path("template").path("spec").path("containers").get(0);
      }
    }
    if (container == null) {
      throw new IllegalStateException("no Deployment in " + FOLDER);
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (JsonNode p : container.path("ports")) {
      ports.put(p.path("name").asString(), p.path("containerPort").asInt());
    }
    Map<String, Probe> probes = new LinkedHashMap<>();
    for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonNode get = container.path(kind).path("httpGet");
      if (!get.isMissingNode()) {
        probes.put(kind, new Probe(get.path("path").asString(), get.path("port").asString()));
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String configMap = from.path("configMapRef").path("name").asString(null);
      String secret = from.path("secretRef").path("name").asString(null);
      for (JsonNode d : docs) {
        String name = d.path("metadata").path("name").asString("");
        String kind = d.path("kind").asString("");
        if (kind.equals("ConfigMap") && name.equals(configMap)) {
          d.path("data")
              .properties()
              .forEach(e -> settings.put(e.getKey(), e.getValue().asString()));
        } else if (kind.equals("Secret") && name.equals(secret)) {
          d.path("stringData")
              .properties()
              .forEach(e -> settings.put(e.getKey(), e.getValue().asString()));
        }
      }
    }
    for (JsonNode e : container.path("env")) {
      settings.put(e.path("name").asString(), e.path("value").asString(null));
    }
    return new DeployManifests(ports, probes, settings, docs);
  }
}
