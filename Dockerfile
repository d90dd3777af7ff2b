# dobrobot in a container: a build stage that compiles and tests, and a
# runtime stage with only the daemon and the shared libraries it links.
#
#   docker build -t dobrobot .
#   docker volume create dobrobot-data
#   docker run -d --name dobrobot --restart unless-stopped \
#       -e DOBROBOT_TOKEN='123456789:AA...' -v dobrobot-data:/data dobrobot
#   docker exec dobrobot dobrobot status
#   docker logs -f dobrobot
#
# The configuration inside the image is config/dobrobot.example.json with
# db_path /data/dobrobot.db. Your own: mount it over the default,
#   -v /srv/dobrobot/dobrobot.json:/etc/dobrobot/dobrobot.json:ro
# (keep db_path under /data; a "site" dir for the verify pages of
# recognition documents belongs there too, e.g. /data/site, served by your
# web server from the volume). Build without running the tests (a slow or
# loaded builder can upset the timing tests): --build-arg RUN_TESTS=0.

FROM debian:bookworm-slim AS build
ARG RUN_TESTS=1
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
WORKDIR /src
# The Makefile knows the build and test dependencies (`make deps` installs
# them as root); copied alone first so that this layer stays cached until the
# Makefile changes.
COPY Makefile ./
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends make >/dev/null \
    && make deps && rm -rf /var/lib/apt/lists/*
COPY . .
# The unit and integration tests run here, against the fake Bot API on
# loopback: an image is only made from a build that passed them. Not `make
# test`: it runs everything again under ASan/UBSan, which doubles the time
# and belongs to CI, not to every image build.
RUN make && if [ "$RUN_TESTS" = 1 ]; then make unit && make integration; fi
RUN sed 's#"db_path": *"[^"]*"#"db_path": "/data/dobrobot.db"#' \
        config/dobrobot.example.json > build/dobrobot.json \
    && build/dobrobot check-config --config build/dobrobot.json

FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends \
        libcurl4 libjansson4 libsqlite3-0 ca-certificates tzdata \
        libpangocairo-1.0-0 libcairo2 libqrencode4 fonts-paratype \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --uid 10001 --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin dobrobot \
    && install -d -m 0700 -o dobrobot -g dobrobot /data \
    && install -d -m 0755 -o dobrobot -g dobrobot /site \
    && install -d -m 0755 /etc/dobrobot
COPY --from=build /src/build/dobrobot /usr/local/bin/dobrobot
# The PDF renderer, opened when the first recognition document is made.
COPY --from=build /src/build/dobrobot-pdf.so /usr/local/lib/dobrobot/dobrobot-pdf.so
COPY --from=build /src/build/dobrobot.json /etc/dobrobot/dobrobot.json
USER dobrobot
WORKDIR /data
# So that `docker exec <name> dobrobot status` needs no --config.
ENV DOBROBOT_CONFIG=/etc/dobrobot/dobrobot.json
# The database (and the backups made before migrations) live here.
VOLUME ["/data"]
# The token comes from the environment (-e DOBROBOT_TOKEN=...) or from a
# file named by the configuration's token_file (e.g. a Docker secret); logs
# go to stderr (docker logs). On SIGTERM the daemon finishes the messages in
# flight (at most 5 s) and exits 0; exec form, so it is PID 1 and gets it.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dobrobot", "status", "--quiet", "--config", "/etc/dobrobot/dobrobot.json"]
ENTRYPOINT ["dobrobot"]
CMD ["run", "--config", "/etc/dobrobot/dobrobot.json"]
