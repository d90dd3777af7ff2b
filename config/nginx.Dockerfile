# The web server of config/compose.yaml: Debian's nginx-light on the same
# Debian 12 base as the bot's image, serving the bot's site volume read-only
# with config/nginx-site.conf. It runs as www-data, not root, so it listens
# on 8080 (compose.yaml publishes it). Built locally, so compose needs no
# image registry but Debian's mirror; the official image does the same job
# (compose.yaml says how to swap it in).
#
#   docker build -f config/nginx.Dockerfile -t dobrobot-web .

FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
# Debian's nginx.conf as it is, but for the parts a non-root master needs:
# no "user" line (ignored with a warning), the pid file in /tmp, its temp
# folders writable, and the logs on the container's stdout/stderr (docker
# logs) as in the official image. The default site (port 80, which a
# non-root process may not bind) goes; conf.d/default.conf is ours.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && sed -i -e '/^user /d' -e 's#^pid .*#pid /tmp/nginx.pid;#' \
        /etc/nginx/nginx.conf \
    && rm -f /etc/nginx/sites-enabled/default \
    && rm -rf /usr/share/nginx/html/* /var/www/html \
    && chown -R www-data:www-data /var/lib/nginx \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
COPY config/nginx-site.conf /etc/nginx/conf.d/default.conf
RUN nginx -t && rm -f /tmp/nginx.pid
USER www-data
EXPOSE 8080
# SIGQUIT: nginx finishes the requests in flight, then exits.
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
