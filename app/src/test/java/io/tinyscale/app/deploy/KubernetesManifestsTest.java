package io.tinyscale.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.tinyscale.app.platform.MigrateTool;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.testkit.TinyscaleUp;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s as {@code kubectl kustomize} renders each overlay (offline: no API server or schema
 * validator here): what a rolling update, a node drain and an attacker inside the cluster meet.
 */
class KubernetesManifestsTest {
  private static final Path REPO = TinyscaleUp.REPO;
  private static final Path K8S = REPO.resolve("deploy/k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();
  private static final String APP = "tinyscale";
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN).*");

  /** Each rendered kind's type in the Kubernetes API, from fabric8's model of its schema. */
  private static final Map<String, Class<?>> API_TYPES =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("batch/v1/CronJob", CronJob.class));

  /**
   * Reads a manifest as the API server would: a field its type does not have (a misspelt {@code
   * readinesProbe}, a field at the wrong level) or a value of the wrong type is an error, where
   * fabric8's model would keep it aside as an "additional property" and kubectl would only warn.
   */
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                  return false;
                }
              })
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod", "../backup"})
  void everyManifestFitsItsKubernetesApiType(String kustomization) throws IOException {
    Result rendered = run(List.of("kubectl", "kustomize", K8S.resolve(kustomization).toString()));
    assertThat(rendered.exit()).as(rendered.output()).isZero();
    List<JsonNode> manifests = parse(rendered.output());
    assertThat(manifests).isNotEmpty();
    for (JsonNode manifest : manifests) {
      String type = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
      String name = type + " " + manifest.at("/metadata/name").asText();
      assertThat(API_TYPES).as("a known type for " + name).containsKey(type);
      assertThatCode(() -> STRICT.treeToValue(manifest, API_TYPES.get(type)))
          .as(name)
          .doesNotThrowAnyException();
    }
    // the check can fail: a misspelt probe, a word where the API wants a number
    JsonNode server = one(render("prod"), "Deployment", "server").deepCopy();
    ObjectNode container = (ObjectNode) server.at("/spec/template/spec/containers/0");
    container.set("readinesProbe", container.get("readinessProbe"));
    assertThatThrownBy(() -> STRICT.treeToValue(server, Deployment.class))
        .hasMessageContaining("readinesProbe");
    container.remove("readinesProbe");
    ((ObjectNode) server.at("/spec")).put("replicas", "three");
    assertThatThrownBy(() -> STRICT.treeToValue(server, Deployment.class))
        .hasMessageContaining("three");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theAppsPodsAreProbedLimitedAndLockedDown(String overlay) {
    List<JsonNode> manifests = render(overlay);
    JsonNode config = configMap(manifests);
    for (String role : List.of("server", "worker")) {
      JsonNode pod = one(manifests, "Deployment", role).at("/spec/template");
      assertThat(pod.at("/metadata/labels/app.kubernetes.io~1name").asText()).isEqualTo(APP);
      assertThat(pod.at("/metadata/labels/app.kubernetes.io~1component").asText()).isEqualTo(role);
      JsonNode container = pod.at("/spec/containers/0");
      assertThat(env(container, "TINYSCALE_ROLE")).as(role).isEqualTo(role);
      assertThat(container.at("/startupProbe/httpGet/path").asText())
          .as(role)
          .isEqualTo("/health/started");
      assertThat(container.at("/readinessProbe/httpGet/path").asText())
          .as(role)
          .isEqualTo("/health/ready");
      assertThat(container.at("/livenessProbe/httpGet/path").asText())
          .as(role)
          .isEqualTo("/health/live");
      List<String> from = new ArrayList<>();
      container.path("envFrom").forEach(source -> from.add(source.toString()));
      assertThat(from)
          .as(role + " reads the rendered ConfigMap and the Secret tinyscale")
          .anyMatch(s -> s.contains("\"" + config.at("/metadata/name").asText() + "\""))
          .anyMatch(s -> s.contains("secretRef") && s.contains("\"tinyscale\""));
      // TINYSCALE_HOME (a server's click journal) and /tmp: the only places the app writes
      assertThat(emptyDirMounts(pod)).as(role).contains("/var/lib/tinyscale", "/tmp");
    }
    for (JsonNode workload : workloads(manifests)) {
      String name = workload.at("/metadata/name").asText();
      JsonNode pod = workload.at("/spec/template/spec");
      assertThat(pod.path("automountServiceAccountToken").isBoolean())
          .as(name + " mounts no service-account token")
          .isTrue();
      assertThat(pod.path("automountServiceAccountToken").asBoolean()).as(name).isFalse();
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean())
          .as(name + " runs as non-root")
          .isTrue();
      assertThat(pod.at("/securityContext/seccompProfile/type").asText())
          .as(name)
          .isEqualTo("RuntimeDefault");
      for (JsonNode container : pod.path("containers")) {
        String what = name + "/" + container.path("name").asText();
        for (String kind : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            assertThat(container.at("/resources/" + kind + "/" + resource).asText())
                .as(what + ": " + kind + "." + resource)
                .isNotEmpty();
          }
        }
        JsonNode security = container.path("securityContext");
        assertThat(security.path("readOnlyRootFilesystem").asBoolean())
            .as(what + " has a read-only root filesystem")
            .isTrue();
        assertThat(security.path("allowPrivilegeEscalation").isBoolean()).as(what).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean()).as(what).isFalse();
        assertThat(texts(security.at("/capabilities/drop"))).as(what).contains("ALL");
        assertThat(security.at("/capabilities/add").isMissingNode()).as(what).isTrue();
      }
    }
    // uid 10001: the image's user (Dockerfile)
    for (String role : List.of("server", "worker")) {
      assertThat(
              one(manifests, "Deployment", role)
                  .at("/spec/template/spec/securityContext/runAsUser")
                  .asInt())
          .isEqualTo(10001);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void aRollingUpdateNeverGoesBelowTheWantedCountAndDrainsFirst(String overlay) {
    List<JsonNode> manifests = render(overlay);
    JsonNode config = configMap(manifests).path("data");
    Duration drain = Duration.parse(config.path("TINYSCALE_DRAIN_DELAY").asText());
    Duration shutdown = Duration.parse(config.path("TINYSCALE_SHUTDOWN_TIMEOUT").asText());
    assertThat(drain).isPositive();
    for (String role : List.of("server", "worker")) {
      JsonNode deployment = one(manifests, "Deployment", role);
      assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
      assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(-1))
          .as(role)
          .isZero();
      assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(1);
      JsonNode pod = deployment.at("/spec/template/spec");
      Duration preStop = preStopSleep(pod.at("/containers/0"));
      if (role.equals("server")) {
        assertThat(preStop)
            .as("the server's preStop sleep covers the drain delay")
            .isGreaterThanOrEqualTo(drain);
      }
      Duration grace = Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong());
      assertThat(grace)
          .as(role + ": the grace period covers preStop, drain delay and shutdown timeout")
          .isGreaterThan(preStop.plus(drain).plus(shutdown));
    }
    JsonNode server = one(manifests, "Deployment", "server");
    JsonNode hpa = one(manifests, "HorizontalPodAutoscaler", "server");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("server");
    assertThat(hpa.at("/spec/minReplicas").asInt())
        .as("the autoscaler's floor is the Deployment's count")
        .isEqualTo(server.at("/spec/replicas").asInt());
    assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
    if (overlay.equals("prod")) {
      assertThat(server.at("/spec/replicas").asInt()).isEqualTo(3);
      assertThat(one(manifests, "Deployment", "worker").at("/spec/replicas").asInt()).isEqualTo(2);
      assertThat(server.at("/spec/template/spec/topologySpreadConstraints").toString())
          .as("the servers are spread across zones")
          .contains("topology.kubernetes.io/zone", "DoNotSchedule");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void eachDisruptionBudgetSelectsItsRolesPodsOnly(String overlay) {
    List<JsonNode> manifests = render(overlay);
    for (String role : List.of("server", "worker")) {
      JsonNode selector = one(manifests, "PodDisruptionBudget", role).at("/spec/selector");
      for (String other : List.of("server", "worker")) {
        JsonNode labels = one(manifests, "Deployment", other).at("/spec/template/metadata/labels");
        assertThat(selects(selector, labels))
            .as("PDB " + role + " selects the " + other + " pods")
            .isEqualTo(role.equals(other));
      }
      assertThat(one(manifests, "PodDisruptionBudget", role).at("/spec/maxUnavailable").asInt())
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void onlyTheIngressControllerReachesTheServersAndOnlyTheAppTheDataStores(String overlay) {
    List<JsonNode> manifests = render(overlay);
    List<JsonNode> policies = all(manifests, "NetworkPolicy");
    assertThat(policies)
        .as("everything else is refused")
        .anyMatch(
            p ->
                p.at("/spec/podSelector").isEmpty()
                    && texts(p.at("/spec/policyTypes")).contains("Ingress")
                    && p.at("/spec/ingress").isMissingNode());
    for (JsonNode policy : policies) {
      for (JsonNode rule : policy.at("/spec/ingress")) {
        assertThat(rule.has("from") && !rule.path("from").isEmpty())
            .as(name(policy) + ": every rule names who may connect")
            .isTrue();
        for (JsonNode peer : rule.path("from")) {
          assertThat(peer.has("ipBlock")).as(name(policy)).isFalse();
          assertThat(peer.size()).as(name(policy) + ": no peer selects everyone").isPositive();
          peer.properties()
              .forEach(
                  selector ->
                      assertThat(selector.getValue().isEmpty())
                          .as(name(policy) + ": " + selector.getKey() + " is not empty")
                          .isFalse());
        }
      }
    }

    JsonNode serverPods = one(manifests, "Deployment", "server").at("/spec/template/metadata");
    List<JsonNode> serverPolicies =
        policies.stream()
            .filter(p -> !p.at("/spec/podSelector").isEmpty())
            .filter(p -> selects(p.at("/spec/podSelector"), serverPods.path("labels")))
            .toList();
    assertThat(serverPolicies).extracting(KubernetesManifestsTest::name).containsExactly("server");
    List<String> serverPeers = new ArrayList<>();
    serverPolicies.getFirst().at("/spec/ingress").forEach(r -> serverPeers.add(r.toString()));
    assertThat(serverPeers)
        .as("the ingress controller's namespace and Prometheus, on the app's port")
        .allMatch(r -> r.contains("\"port\":8080"))
        .anyMatch(r -> r.contains("ingress-nginx"))
        .anyMatch(r -> r.contains("prometheus"))
        .hasSize(2);

    for (String store : List.of("postgres", "redis", "kafka", "opensearch")) {
      JsonNode policy = one(manifests, "NetworkPolicy", store);
      assertThat(policy.toString())
          .as(store + " lets TinyScale's pods in")
          .contains("{\"app.kubernetes.io/name\":\"tinyscale\"}");
      for (JsonNode rule : policy.at("/spec/ingress")) {
        for (JsonNode peer : rule.path("from")) {
          assertThat(peer.path("podSelector").toString())
              .as(store + ": no other role of the namespace (the ingress controller's peers)")
              .doesNotContain("\"server\"", "\"worker\"");
          assertThat(peer.path("namespaceSelector").toString())
              .as(store + ": the ingress controller never reaches it")
              .doesNotContain("ingress-nginx");
        }
      }
    }
    // the stores this overlay runs itself are covered by their policy
    for (JsonNode store : all(manifests, "StatefulSet")) {
      JsonNode policy = one(manifests, "NetworkPolicy", name(store));
      assertThat(
              selects(policy.at("/spec/podSelector"), store.at("/spec/template/metadata/labels")))
          .as(name(store))
          .isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theIngressTerminatesTlsStreamsUnbufferedAndClosesMetrics(String overlay) {
    List<JsonNode> ingresses = all(render(overlay), "Ingress");
    String host = ingresses.getFirst().at("/spec/rules/0/host").asText();
    for (JsonNode ingress : ingresses) {
      assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
      assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo(host);
      assertThat(texts(ingress.at("/spec/tls/0/hosts"))).containsExactly(host);
      assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("tinyscale-tls");
      assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
          .isEqualTo("server");
    }
    assertThat(ingresses)
        .as("one Ingress asks cert-manager for the certificate (two would fight over it)")
        .filteredOn(i -> i.at("/metadata/annotations").has("cert-manager.io/cluster-issuer"))
        .hasSize(1);
    JsonNode stream = byPath(ingresses, "/api/stream");
    assertThat(
            stream
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-buffering")
                .asText())
        .isEqualTo("off");
    assertThat(
            stream
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout")
                .asInt())
        .as("well above the 15 s heartbeats")
        .isGreaterThanOrEqualTo(600);
    assertThat(
            byPath(ingresses, "/metrics")
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1whitelist-source-range")
                .asText())
        .isEqualTo("127.0.0.1/32");
    assertThat(configMap(render(overlay)).at("/data/TINYSCALE_BASE_URL").asText())
        .isEqualTo("https://" + host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void noSecretIsRendered(String overlay) {
    List<JsonNode> manifests = render(overlay);
    assertThat(manifests)
        .as("the Secret is made by hand (deploy/k8s/secret.example.yaml), never rendered")
        .noneMatch(m -> m.path("kind").asText().equals("Secret"));
    configMap(manifests)
        .path("data")
        .properties()
        .forEach(
            entry ->
                assertThat(entry.getKey())
                    .as("a setting named like a secret belongs in the Secret")
                    .doesNotMatch(SECRET_NAME));
    for (JsonNode workload : workloads(manifests)) {
      for (JsonNode container : workload.at("/spec/template/spec/containers")) {
        for (JsonNode env : container.path("env")) {
          if (SECRET_NAME.matcher(env.path("name").asText()).matches()) {
            assertThat(env.has("value"))
                .as(name(workload) + ": " + env.path("name").asText() + " comes from a Secret")
                .isFalse();
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyObjectLandsInTheAppsNamespace(String overlay) {
    for (JsonNode manifest : render(overlay)) {
      if (!manifest.path("kind").asText().equals("Namespace")) {
        assertThat(manifest.at("/metadata/namespace").asText())
            .as(manifest.path("kind").asText() + " " + name(manifest))
            .isEqualTo(APP);
      }
    }
  }

  /**
   * prod migrates in a Job before the pods roll (docs/kubernetes.md, step 5): the Job and the
   * ConfigMap it reads are what {@code kubectl apply -l tinyscale.io/step=migrate} selects, the Job
   * runs MigrateTool in the image with the servers' settings, and no pod migrates at start. dev
   * keeps migrating at start: one command brings it up.
   */
  @Test
  void prodMigratesInAJobBeforeThePodsRollAndDevAtStart() throws IOException {
    List<JsonNode> prod = render("prod");
    JsonNode config = configMap(prod);
    assertThat(config.at("/data/TINYSCALE_MIGRATE_AT_START").asText()).isEqualTo("false");
    JsonNode job = one(prod, "Job", "migrate");
    assertThat(all(prod, "Job")).hasSize(1);
    for (JsonNode stepped : List.of(config, job)) {
      assertThat(stepped.at("/metadata/labels/tinyscale.io~1step").asText())
          .as(name(stepped) + " is applied in the migration step")
          .isEqualTo("migrate");
    }
    assertThat(prod)
        .filteredOn(m -> m.at("/metadata/labels/tinyscale.io~1step").isTextual())
        .as("the migration step applies nothing else")
        .hasSize(2);
    JsonNode pod = job.at("/spec/template");
    assertThat(pod.at("/metadata/labels/app.kubernetes.io~1name").asText())
        .as("the NetworkPolicies let the app's pods, this one too, reach Postgres")
        .isEqualTo(APP);
    assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
    JsonNode container = pod.at("/spec/containers/0");
    assertThat(container.path("image").asText())
        .isEqualTo(
            one(prod, "Deployment", "server")
                .at("/spec/template/spec/containers/0/image")
                .asText());
    List<String> command = texts(container.path("command"));
    assertThat(command.getLast()).isEqualTo(MigrateTool.class.getName());
    assertThat(command).contains("@/opt/tinyscale/jvm/shared.options");
    // the classpath is what the Dockerfile copies into /opt/tinyscale
    String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
    List<String> copied = new ArrayList<>();
    Matcher copy = Pattern.compile("(?m)^COPY --from=build \\S+ (\\S+)$").matcher(dockerfile);
    while (copy.find()) {
      copied.add("/opt/tinyscale/" + copy.group(1));
    }
    String classpath = command.get(command.indexOf("-cp") + 1);
    for (String entry : classpath.split(":")) {
      assertThat(copied).as(entry + " is in the image").anyMatch(entry::startsWith);
    }
    List<String> from = new ArrayList<>();
    container.path("envFrom").forEach(source -> from.add(source.toString()));
    assertThat(from)
        .as("the servers' settings: the rendered ConfigMap and the Secret tinyscale")
        .anyMatch(s -> s.contains("\"" + name(config) + "\""))
        .anyMatch(s -> s.contains("secretRef") && s.contains("\"" + APP + "\""));

    List<JsonNode> dev = render("dev");
    assertThat(all(dev, "Job")).isEmpty();
    assertThat(configMap(dev).at("/data/TINYSCALE_MIGRATE_AT_START").isMissingNode()).isTrue();
  }

  @Test
  void theSecretExampleHoldsPlaceholdersOnlyAndIsNotRendered() throws IOException {
    List<JsonNode> secrets = parse(Files.readString(K8S.resolve("secret.example.yaml")));
    assertThat(secrets).isNotEmpty().allMatch(s -> s.path("kind").asText().equals("Secret"));
    for (JsonNode secret : secrets) {
      assertThat(secret.has("data")).as("no encoded values").isFalse();
      secret
          .path("stringData")
          .properties()
          .forEach(
              entry -> {
                if (SECRET_NAME.matcher(entry.getKey()).matches()) {
                  assertThat(entry.getValue().asText()).as(entry.getKey()).isEqualTo("change-me");
                }
              });
    }
    assertThat(one(secrets, "Secret", "tinyscale").at("/stringData").has("TINYSCALE_DB_PASSWORD"))
        .isTrue();
  }

  @Test
  void theOperatorsExamplesMakeTheServicesTheConfigurationNames() throws IOException {
    JsonNode dev = configMap(render("dev")).path("data");
    JsonNode prod = configMap(render("prod")).path("data");
    List<JsonNode> kafka = parse(Files.readString(K8S.resolve("operators/kafka.yaml")));
    // Strimzi's bootstrap service is <cluster>-kafka-bootstrap
    assertThat(dev.path("TINYSCALE_KAFKA_BOOTSTRAP").asText())
        .isEqualTo(name(all(kafka, "Kafka").getFirst()) + "-kafka-bootstrap:9092");
    assertThat(all(kafka, "KafkaTopic"))
        .extracting(KubernetesManifestsTest::name)
        .containsExactlyInAnyOrder(Topics.CLICKS, Topics.DEAD_LETTERS);
    List<JsonNode> search = parse(Files.readString(K8S.resolve("operators/opensearch.yaml")));
    assertThat(dev.path("TINYSCALE_OPENSEARCH_URL").asText())
        .isEqualTo(
            "http://"
                + all(search, "OpenSearchCluster")
                    .getFirst()
                    .at("/spec/general/serviceName")
                    .asText()
                + ":9200");
    List<JsonNode> postgres = parse(Files.readString(K8S.resolve("operators/postgres.yaml")));
    String cluster = name(all(postgres, "Cluster").getFirst());
    JsonNode pooler = all(postgres, "Pooler").getFirst();
    assertThat(pooler.at("/spec/pgbouncer/poolMode").asText()).isEqualTo("transaction");
    assertThat(prod.path("TINYSCALE_DB_URL").asText())
        .startsWith("jdbc:postgresql://" + name(pooler) + ":5432/")
        .endsWith("prepareThreshold=0");
    assertThat(prod.path("TINYSCALE_DB_DIRECT_URL").asText())
        .startsWith("jdbc:postgresql://" + cluster + "-rw:5432/");
    assertThat(one(render("prod"), "NetworkPolicy", "postgres").toString())
        .contains("\"cnpg.io/cluster\":\"" + cluster + "\"");
  }

  @Test
  void everyBaseFileIsInTheKustomizationAndYamllintPasses() throws Exception {
    JsonNode kustomization =
        parse(Files.readString(K8S.resolve("base/kustomization.yaml"))).getFirst();
    List<String> listed = texts(kustomization.path("resources"));
    try (Stream<Path> files = Files.list(K8S.resolve("base"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .filteredOn(f -> !f.equals("kustomization.yaml"))
          .allMatch(listed::contains);
    }
    Result lint =
        run(List.of("yamllint", "-f", "parsable", "compose.yaml", "deploy", ".yamllint.yaml"));
    assertThat(lint.exit()).as(lint.output()).isZero();
  }

  // --- rendering ----------------------------------------------------------------------------

  private static List<JsonNode> render(String overlay) {
    return RENDERED.computeIfAbsent(
        overlay,
        o -> {
          requireKubectl();
          Result rendered =
              run(List.of("kubectl", "kustomize", K8S.resolve("overlays/" + o).toString()));
          assertThat(rendered.exit()).as(rendered.output()).isZero();
          return parse(rendered.output());
        });
  }

  /** kustomize 5 comes with kubectl 1.27 and later; Debian's kubernetes-client (1.20) is older. */
  private static void requireKubectl() {
    String missing =
        "kubectl 1.27 or newer is needed to render deploy/k8s (kubectl kustomize, offline): install"
            + " it from the Kubernetes project's packages (Debian's kubernetes-client 1.20 is too"
            + " old)";
    boolean onPath =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
    if (!onPath) {
      fail(missing);
    }
    Result version = run(List.of("kubectl", "version", "--client", "-o", "json"));
    Matcher minor = Pattern.compile("\"minor\"\\s*:\\s*\"(\\d+)").matcher(version.output());
    if (version.exit() != 0 || !minor.find() || Integer.parseInt(minor.group(1)) < 27) {
      fail(missing + "; found: " + version.output());
    }
  }

  private static List<JsonNode> parse(String yaml) {
    List<JsonNode> documents = new ArrayList<>();
    try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (values.hasNext()) {
        JsonNode document = values.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new AssertionError("not YAML: " + e.getMessage(), e);
    }
    return documents;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError(command.getFirst() + " could not run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // --- reading the manifests ----------------------------------------------------------------

  private static List<JsonNode> all(List<JsonNode> manifests, String kind) {
    return manifests.stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode one(List<JsonNode> manifests, String kind, String name) {
    List<JsonNode> found = all(manifests, kind).stream().filter(m -> name(m).equals(name)).toList();
    assertThat(found).as(kind + " " + name).hasSize(1);
    return found.getFirst();
  }

  private static String name(JsonNode manifest) {
    return manifest.at("/metadata/name").asText();
  }

  private static List<JsonNode> workloads(List<JsonNode> manifests) {
    List<JsonNode> workloads = new ArrayList<>(all(manifests, "Deployment"));
    workloads.addAll(all(manifests, "StatefulSet"));
    workloads.addAll(all(manifests, "Job"));
    return workloads;
  }

  private static JsonNode configMap(List<JsonNode> manifests) {
    List<JsonNode> maps = all(manifests, "ConfigMap");
    assertThat(maps).hasSize(1);
    return maps.getFirst();
  }

  private static JsonNode byPath(List<JsonNode> ingresses, String path) {
    return ingresses.stream()
        .filter(i -> i.at("/spec/rules/0/http/paths/0/path").asText().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Ingress for " + path));
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals(name)) {
        return env.path("value").asText();
      }
    }
    return null;
  }

  private static List<String> emptyDirMounts(JsonNode pod) {
    List<String> emptyDirs = new ArrayList<>();
    pod.at("/spec/volumes")
        .forEach(
            v -> {
              if (v.has("emptyDir")) {
                emptyDirs.add(v.path("name").asText());
              }
            });
    List<String> paths = new ArrayList<>();
    pod.at("/spec/containers/0/volumeMounts")
        .forEach(
            m -> {
              if (emptyDirs.contains(m.path("name").asText())) {
                paths.add(m.path("mountPath").asText());
              }
            });
    return paths;
  }

  /** The preStop hook's sleep ({@code sleep N} or the sleep action); zero without one. */
  private static Duration preStopSleep(JsonNode container) {
    JsonNode preStop = container.at("/lifecycle/preStop");
    if (preStop.has("sleep")) {
      return Duration.ofSeconds(preStop.at("/sleep/seconds").asLong());
    }
    List<String> command = texts(preStop.at("/exec/command"));
    if (command.isEmpty()) {
      return Duration.ZERO;
    }
    assertThat(command).hasSize(2).first().isEqualTo("sleep");
    return Duration.ofSeconds(Long.parseLong(command.get(1)));
  }

  /** Whether a label selector (matchLabels, or a bare map as in a Service) selects labels. */
  private static boolean selects(JsonNode selector, JsonNode labels) {
    JsonNode match = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
    assertThat(selector.has("matchExpressions")).as("selectors use matchLabels").isFalse();
    if (match.isEmpty()) {
      return true;
    }
    for (Map.Entry<String, JsonNode> label : match.properties()) {
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
