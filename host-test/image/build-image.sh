#!/usr/bin/env bash
# Builds the Debian 12 root filesystem the host test boots: what a cloud's stock Debian 12 image
# has, plus the Debian packages the bootstrap installs (the container has no internet, as in an
# air-gapped site whose image carries them), cloud-init reading only the NoCloud seed, and
# systemd-networkd for the one interface the test moves in. Usage: build-image.sh <new rootfs dir>
# (the test caches the result keyed by this file's sha256, so any change here rebuilds).
set -euo pipefail
target=$1
mirror=${CLAWCLOUD_HOST_TEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Only what debootstrap resolves reliably (it cannot pick providers of virtual packages); apt
# installs the rest inside.
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,ca-certificates bookworm "$target" "$mirror"

# The same packages as the bootstrap's "packages" step, and the rest of a cloud image's base.
packages=(
  cloud-init openssh-server sudo curl ca-certificates xz-utils iproute2 procps iptables netbase
  ufw fail2ban python3-systemd unattended-upgrades less locales
)
printf '#!/bin/sh\nexit 101\n' >"$target/usr/sbin/policy-rc.d"
chmod 0755 "$target/usr/sbin/policy-rc.d"
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" >"$target/etc/apt/sources.list"
mount --bind /proc "$target/proc"
trap 'umount "$target/proc" || true' EXIT
chroot "$target" env DEBIAN_FRONTEND=noninteractive apt-get update -q
chroot "$target" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
chroot "$target" apt-get clean
rm -f "$target/usr/sbin/policy-rc.d"
umount "$target/proc"
trap - EXIT

# cloud-init's locale module sets en_US.UTF-8, as on a cloud's image.
sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' "$target/etc/locale.gen"
chroot "$target" locale-gen

# NoCloud only (the test writes the seed), no datasource probing.
printf 'datasource_list: [NoCloud, None]\n' >"$target/etc/cloud/cloud.cfg.d/90-clawcloud-host-test.cfg"
# The network comes from systemd-networkd (the test writes the .network file for its interface).
printf 'network: {config: disabled}\n' >"$target/etc/cloud/cloud.cfg.d/91-clawcloud-host-test-network.cfg"
chroot "$target" systemctl enable systemd-networkd.service
# A cloud image has a machine id generated at first boot, and no hostname of its own.
: >"$target/etc/machine-id"
rm -f "$target/etc/hostname"
echo "image ready: $target"
