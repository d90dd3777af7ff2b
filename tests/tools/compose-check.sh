#!/bin/bash
# compose-check.sh - proves config/compose.yaml (make compose-check): builds
# the bot and the web server with podman-compose, runs them against the
# bundled fake Bot API and fetches the site through nginx
# (tests/tools/compose_check.py does the running and the checking).
#
# Needs root (rootful podman, debootstrap) on Debian 12, and nothing but the
# Debian mirror: no Docker engine, no image registry. The debian:bookworm-slim
# base image both Dockerfiles start FROM is made here by debootstrap and
# `podman import` (as the official -slim image is made), cached in the work
# dir with the container storage; the same layout and file names as the
# workplace's check-dockerfile.sh (make docker-check), so the two share the
# base image and the storage.
#
# Usage: tests/tools/compose-check.sh [WORK_DIR]   (default /var/tmp/dockcheck)
# Environment: MIRROR (Debian mirror), STORAGE_DRIVER (overlay; vfs if
# overlay mounts fail), KEEP=1 leaves the containers and volumes up.
# Exit status 0 only when every check passed.
set -euo pipefail

WORK=${1:-${DOCKCHECK_WORK:-/var/tmp/dockcheck}}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "compose-check: must run as root (rootful podman, debootstrap)" >&2; exit 2; }
T0=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - T0 ))s] $*"; }
fail() { echo "compose-check: FAIL: $*" >&2; exit 1; }

step "tools"
for t in podman podman-compose runc netavark debootstrap curl; do
	command -v "$t" >/dev/null || [ -x /usr/lib/podman/"$t" ] ||
		fail "$t is missing (make compose-deps installs the Debian packages)"
done
podman --version
podman-compose version 2>/dev/null | grep -i 'compose' | head -1 || true

# ---- a private podman: its storage, runtime state and configuration here
mkdir -p "$WORK"/{storage,run,tmp,netconf,cache}
export CONTAINERS_STORAGE_CONF=$WORK/storage.conf CONTAINERS_CONF=$WORK/containers.conf
cat > "$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "${STORAGE_DRIVER:-overlay}"
graphroot = "$WORK/storage"
runroot = "$WORK/run"
CONF
# runc: crun 1.8.1 fails on a hybrid cgroup v1/v2 host ("cgroups in hybrid
#   mode not supported"). ulimits: podman's default nofile 1048576 exceeds
#   a hard limit the container may not raise ("setrlimit RLIMIT_NOFILE:
#   Operation not permitted"). netns host: the default for a plain
#   `podman run` (make docker-check); compose puts its services on the
#   project's bridge network (netavark) all the same.
cat > "$CONTAINERS_CONF" <<CONF
[containers]
netns = "host"
default_ulimits = ["nofile=1024:4096", "nproc=4096:4096"]

[network]
network_config_dir = "$WORK/netconf"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$WORK/run/events.log"
tmp_dir = "$WORK/tmp"
CONF
export TMPDIR=$WORK/tmp
# A failed build may leave the overlay directory mounted onto itself.
trap 'mountpoint -q "$WORK/storage/overlay" && umount "$WORK/storage/overlay" 2>/dev/null; true' EXIT

# ---- the base image, debian:bookworm-slim, made from Debian's mirror
step "base image"
MIRROR=${MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
BASE=docker.io/library/debian:bookworm-slim
TAR=$WORK/cache/debian-bookworm-slim.tar
make_base() {
	local root=$WORK/cache/rootfs-bookworm
	rm -rf "$root"
	echo "debootstrap bookworm from $MIRROR (a few minutes, once)"
	debootstrap --variant=minbase --arch="$(dpkg --print-architecture)" bookworm "$root" "$MIRROR" \
		>"$WORK/cache/debootstrap-bookworm.log" 2>&1 ||
		{ tail -20 "$WORK/cache/debootstrap-bookworm.log"; fail "debootstrap"; }
	# What the official -slim image leaves out, and its apt settings.
	cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
	find "$root/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
	find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
	rm -rf "$root"/usr/share/{man,groff,info,lintian,linda}/*
	find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
	cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
	echo 'Acquire::Languages "none";' > "$root/etc/apt/apt.conf.d/docker-no-languages"
	rm -f "$root/etc/apt/sources.list"
	cat > "$root/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/apt/* "$root"/var/log/*.log
	: > "$root/etc/resolv.conf"; : > "$root/etc/machine-id"
	tar --numeric-owner --xattrs -C "$root" -cf "$TAR.part" . && mv "$TAR.part" "$TAR"
	rm -rf "$root"
}
if podman image exists "$BASE"; then
	echo "have $BASE"
else
	[ -s "$TAR" ] || make_base
	podman import --quiet --change 'CMD ["bash"]' "$TAR" "$BASE" >/dev/null
	echo "imported $BASE ($(du -h "$TAR" | cut -f1))"
fi

# ---- the fake Bot API the bot talks to, built on the host
step "build/fakeapi"
make -C "$REPO" --no-print-directory -j2 build/fakeapi

step "compose up, the scenario, the site through nginx, compose down"
python3 "$REPO/tests/tools/compose_check.py" || fail "see above"
step "OK: config/compose.yaml builds, runs and serves the site (work dir $WORK: $(du -sh "$WORK" | cut -f1))"
