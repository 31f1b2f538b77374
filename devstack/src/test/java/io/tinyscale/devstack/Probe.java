package io.tinyscale.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Talks to the engines the way a test would, without the code under test. */
final class Probe {

  private Probe() {}

  /**
   * A port of the controller listener, from the broker's configuration (it changes at every start).
   */
  static int kafkaControllerPort(Path home) throws IOException {
    Properties config = new Properties();
    try (var reader = Files.newBufferedReader(home.resolve("kafka/server.properties"))) {
      config.load(reader);
    }
    String voters = config.getProperty("controller.quorum.voters"); // 1@127.0.0.1:port
    return Integer.parseInt(voters.substring(voters.lastIndexOf(':') + 1));
  }

  static Admin kafkaAdmin(String bootstrap) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }

  static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
    try (Admin admin = kafkaAdmin(bootstrap)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** A producer as the application's: idempotent, acks=all, retrying for up to two minutes. */
  static KafkaProducer<String, String> kafkaProducer(String bootstrap) {
    return kafkaProducer(bootstrap, Map.of());
  }

  static KafkaProducer<String, String> kafkaProducer(
      String bootstrap, Map<String, Object> overrides) {
    Map<String, Object> config =
        new HashMap<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                120_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                500,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
    config.putAll(overrides);
    return new KafkaProducer<>(config);
  }

  /**
   * Reads a topic in a consumer group until {@code expected} values have come (or 30 s have
   * passed), commits, and returns the values read.
   */
  static List<String> consume(String bootstrap, String group, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
      consumer.commitSync();
    }
    return values;
  }

  static Connection connect(Engines engines) throws SQLException {
    return DriverManager.getConnection(engines.dbUrl(), engines.dbUser(), engines.dbPassword());
  }

  static int port(String url) {
    return java.net.URI.create(url.replaceFirst("^jdbc:", "")).getPort();
  }

  /**
   * Sends one Redis command in RESP and returns the reply's first line (a bulk string's value for
   * GET).
   */
  static String redis(String redisUrl, String... command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port(redisUrl)), 2000);
      socket.setSoTimeout(5000);
      StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
      for (String part : command) {
        request
            .append('$')
            .append(part.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(part)
            .append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      return line != null && line.startsWith("$") && !line.equals("$-1") ? in.readLine() : line;
    }
  }

  /**
   * A listener on a free loopback port that answers every connection with the same bytes, after
   * reading the start of the request: a stand-in for whatever else may have taken an engine's port.
   */
  static final class Impostor implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread server;

    Impostor(String answer) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      byte[] bytes = answer.getBytes(StandardCharsets.US_ASCII);
      server =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!socket.isClosed()) {
                      try (Socket client = socket.accept();
                          OutputStream out = client.getOutputStream()) {
                        client.getInputStream().read(new byte[4096]);
                        out.write(bytes);
                      } catch (IOException closed) {
                        // the socket is closed, or a client went away: the loop decides
                      }
                    }
                  });
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      server.join();
    }
  }

  /** An HTTP answer: its status and body. */
  record Answer(int status, String body) {}

  /** One HTTP request, with a JSON body unless {@code body} is null. */
  static Answer http(String method, String url, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> answer =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(answer.statusCode(), answer.body());
    }
  }

  /** PING as a raw inline command, exactly what a person would type into telnet. */
  static String ping(String redisUrl) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port(redisUrl)), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }
}
