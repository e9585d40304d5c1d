# mcpcompat as a container: `docker run --rm --network host mcpcompat run URL`.
# The build stage makes the Debian package exactly as ci/package does; the
# runtime stage installs it on Debian slim, so the image holds the binary,
# its data and Debian's runtime libraries, and runs as a non-root user.
FROM debian:12 AS build
WORKDIR /src
COPY . .
# ci/package installs the build's Debian packages (ci/setup-build) itself
RUN ci/package /build && cp /build/mcpcompat_*.deb /mcpcompat.deb

FROM debian:12-slim
COPY --from=build /mcpcompat.deb /tmp/mcpcompat.deb
# apt-get resolves the package's dependencies (Debian's runtime libraries)
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/mcpcompat.deb ca-certificates \
    && rm -rf /var/lib/apt/lists/* /tmp/mcpcompat.deb \
    && useradd --create-home --uid 10001 mcpcompat
USER mcpcompat
WORKDIR /work
ENTRYPOINT ["mcpcompat"]
CMD ["--help"]
