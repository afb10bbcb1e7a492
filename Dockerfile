# Container image of jetbridge, built by goreleaser (dockers_v2) from the
# release binaries: the build context holds <os>/<arch>/jetbridge per platform.
# To build one from source (go build into linux/<arch>/jetbridge, then
# docker build .), see the README: Install > After the first release >
# Container. Releases: RELEASING.md.
#
# Settings come from upstream Jet Bridge's environment variables, e.g.
#   docker run -p 8888:8888 -e PROJECT=... -e TOKEN=... \
#     -e DATABASE_ENGINE=postgresql -e DATABASE_HOST=db -e DATABASE_NAME=app \
#     -e DATABASE_USER=app -e DATABASE_PASSWORD=... ghcr.io/jetbridge/jetbridge
FROM gcr.io/distroless/static:nonroot

ARG TARGETPLATFORM

LABEL org.opencontainers.image.title="jetbridge" \
      org.opencontainers.image.description="Jet Bridge API over a PostgreSQL, MySQL/MariaDB or SQLite database" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/jetbridge/jetbridge"

COPY $TARGETPLATFORM/jetbridge /usr/bin/jetbridge

# Listen on all interfaces inside the container; no browser to open;
# ENVIRONMENT_TYPE=docker as upstream's image sets it for the register page.
ENV ADDRESS=0.0.0.0 \
    PORT=8888 \
    ENVIRONMENT_TYPE=docker \
    AUTO_OPEN_REGISTER=false

# Relative paths (SQLite files, media uploads) land in the nonroot user's home;
# mount a volume there to keep them.
WORKDIR /home/nonroot
USER nonroot:nonroot
EXPOSE 8888

ENTRYPOINT ["/usr/bin/jetbridge", "serve"]
