package io.tinyscale.app.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The click-stream contract lives in core's {@code clickstream} package only: no other source
 * (server, worker, bench or test) names a topic, a consumer group id or a Kafka client setting.
 * Constants are inlined by the compiler, so this reads the sources rather than the bytecode.
 */
class ClickStreamContractTest {
  private static final Path HOME = Path.of("core/src/main/java/io/tinyscale/core/clickstream");
  // devstack starts and probes the broker with clients of its own: it manages the engine, not the
  // click stream, and depends on no TinyScale module; the CLI never talks to Kafka (the word
  // clicks is a label of its stats table there)
  private static final List<Path> NOT_CLICK_STREAM = List.of(Path.of("devstack"), Path.of("cli"));
  private static final Pattern NAMES =
      Pattern.compile(
          // (a link's click count is not the topic: the JSON field clicks, read with get(...),
          // put(...) or findValues(...), and the sort key clicks of GET /api/links)
          "(?<!get\\(|put\\(|findValues\\(|CLICKS\\()\"clicks(\\.dlt)?\"(?!, \"-clicks\")|"
              + "\"tinyscale-(raw-writer|aggregator|indexer)\"|"
              + "\\b(ProducerConfig|ConsumerConfig|AdminClientConfig|CommonClientConfigs)\\.|"
              + "\"(max\\.block\\.ms|linger\\.ms|acks|bootstrap\\.servers|group\\.id)\"");

  @Test
  void onlyClickstreamNamesTopicsGroupsAndKafkaSettings() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(TinyscaleUp.REPO)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(
              f -> !f.toString().contains("/target/") && !f.toString().contains("/node_modules/"))
          .forEach(
              f -> {
                Path relative = TinyscaleUp.REPO.relativize(f);
                if (relative.startsWith(HOME)
                    || NOT_CLICK_STREAM.stream().anyMatch(relative::startsWith)) {
                  return;
                }
                List<String> lines = read(f);
                for (int i = 0; i < lines.size(); i++) {
                  if (NAMES.matcher(lines.get(i)).find()) {
                    found.add(relative + ":" + (i + 1) + ": " + lines.get(i).strip());
                  }
                }
              });
    }
    assertThat(found).as("click-stream names outside core/clickstream").isEmpty();
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
