# syntax=docker/dockerfile:1.7
# TinyScale's image: one image for every role (TINYSCALE_ROLE=server|worker|all).
#   docker build -t tinyscale .            (compose.yaml does this for `docker compose up`)
# Layers are ordered from what changes least to what changes most (docs/deploy.md, "The image"):
# build tools, then the dependencies (Maven and npm, cached by the build's cache mounts), then the
# sources; in the runtime stage the JRE, the third-party jars, then TinyScale's own jars and classes.

# --- build: the project's own build (Maven calling the machine's npm for the dashboard) ---------
FROM node:20-bookworm-slim AS node

FROM maven:3.9-eclipse-temurin-25 AS build
# Node.js 20 and npm 11 for the dashboard (dashboard/npm.sh checks the versions)
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && npm install -g npm@11 --no-audit --no-fund --loglevel=error
WORKDIR /src
# 1. the dependencies: every module's pom first, so that a change of the sources keeps this layer
COPY .mvn .mvn
COPY pom.xml ./
COPY core/pom.xml core/
COPY storage/pom.xml storage/
COPY devstack/pom.xml devstack/
COPY devstack/opensearch-node/pom.xml devstack/opensearch-node/
COPY testkit/pom.xml testkit/
COPY dashboard/pom.xml dashboard/package.json dashboard/package-lock.json dashboard/.npmrc dashboard/npm.sh dashboard/
COPY app/pom.xml app/
COPY cli/pom.xml cli/
COPY bench/pom.xml bench/
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -ntp dependency:go-offline -pl app -am || true
RUN --mount=type=cache,target=/root/.npm \
    cd dashboard && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
# 2. the sources, and the app packaged (tests run in CI, not in the image build)
COPY lib lib
COPY core core
COPY storage storage
COPY devstack devstack
COPY testkit testkit
COPY dashboard dashboard
COPY app app
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Dmaven.test.skip=true -Dspotless.check.skip=true package -pl app -am
# TinyScale's own jars apart from the third-party ones: they change with every build
RUN mkdir -p /layers/own \
 && mv app/target/quarkus-app/lib/main/io.tinyscale.* /layers/own/

# --- runtime: a JRE, a user without privileges, nothing written outside its home and /tmp ------
FROM eclipse-temurin:25-jre AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
# the repository's address, given by CI (--build-arg SOURCE=…)
ARG SOURCE=""
LABEL org.opencontainers.image.title="TinyScale" \
      org.opencontainers.image.description="Self-hosted URL shortener with real-time click analytics" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}"
# curl for the health check; the user and its home (the click journal of a server)
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 tinyscale \
 && useradd --system --uid 10001 --gid tinyscale --home-dir /var/lib/tinyscale --shell /usr/sbin/nologin tinyscale \
 && mkdir -p /var/lib/tinyscale \
 && chown tinyscale:tinyscale /var/lib/tinyscale
WORKDIR /opt/tinyscale
# the JVM flags: the same files every way of starting the app reads (lib/jvm.options, app/jvm.options)
COPY lib/jvm.options jvm/shared.options
COPY app/jvm.options jvm/app.options
COPY --from=build /src/app/target/quarkus-app/lib/ lib/
COPY --from=build /src/app/target/quarkus-app/quarkus/ quarkus/
COPY --from=build /layers/own/ lib/main/
COPY --from=build /src/app/target/quarkus-app/app/ app/
COPY --from=build /src/app/target/quarkus-app/quarkus-run.jar quarkus-run.jar
ENV TINYSCALE_HOME=/var/lib/tinyscale \
    TINYSCALE_HTTP_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Dvertx.cacheDirBase=/tmp/vertx-cache"
USER 10001:10001
VOLUME ["/var/lib/tinyscale"]
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${TINYSCALE_HTTP_PORT}/health/live" >/dev/null || exit 1
ENTRYPOINT ["java", "@/opt/tinyscale/jvm/shared.options", "@/opt/tinyscale/jvm/app.options", "-jar", "/opt/tinyscale/quarkus-run.jar"]
