# cloud.sh: first boot of a fresh Debian 12 / Ubuntu 24.04 VPS, run once by cloud-init (runcmd)
# as root. cloud-init has already written the sshd drop-in (before sshd first started) and the
# values file this script sources.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
umask 022
exec </dev/null

CC_LOG=/var/log/clawcloud-bootstrap.log
CC_GATEWAY_PORT=18789
CC_NODE=/opt/node/bin/node
CC_SUPERVISOR=systemd
OC_HOME=/var/lib/openclaw
OC_PREFIX=/var/lib/openclaw/.npm-global
AGENT_DIR=/opt/clawcloud-agent
AGENT_BUNDLE=/opt/clawcloud-agent/clawcloud-agent.mjs
AGENT_CONFIG=/etc/clawcloud-agent/config.json
AGENT_STATE_DIR=/var/lib/clawcloud-agent
OC_PKG=/var/lib/openclaw/.npm-global/lib/node_modules/openclaw
OC_BIN=/var/lib/openclaw/.npm-global/bin/openclaw
OC_CONFIG=/var/lib/openclaw/.openclaw/openclaw.json
# The unit's PrivateTmp keeps OpenClaw's /tmp/openclaw log private; its output is in the journal.
OC_LOG_FILE=""
SSH_USER=claw
SUPPORT_KEYS=/var/lib/clawcloud-support/clawsupport
CC_SUPPORT_SUDO=1
FILES=/var/lib/clawcloud
CC_PROGRESS=/var/lib/clawcloud/progress.jsonl

oc() {
  runuser -u openclaw -- env -i HOME="$OC_HOME" LANG=C.UTF-8 \
    PATH="$OC_PREFIX/bin:/opt/node/bin:/usr/local/bin:/usr/bin:/bin" \
    OPENCLAW_SERVICE_REPAIR_POLICY=external OPENCLAW_NO_AUTO_UPDATE=1 "$@"
}
oc_npm() { oc npm "$@"; }
oc_own() { chown openclaw:openclaw "$@"; }
agent_own() { chown clawcloud-agent:clawcloud-agent "$@"; }
agent_reload() {
  cc_run "restart clawcloud-agent" systemctl restart clawcloud-agent.service
  sleep 2
  if ! systemctl is-active --quiet clawcloud-agent.service; then
    journalctl -u clawcloud-agent.service -n 30 --no-pager >>"$CC_LOG" 2>&1 || true
    die "clawcloud-agent.service is not running (journalctl -u clawcloud-agent)"
  fi
}
cc_fetch() {
  curl -fsSL --globoff --proto =http,https --proto-redir =http,https --retry 5 --retry-delay 3 \
    --retry-connrefused --connect-timeout 20 --max-time 900 -o "$2" "$1"
}
# The static files (units, fail2ban jail, apt settings, the agent's sudoers rules), written by
# render() from templates/files into cc_install_files().
@@FILES@@

# Until the agent runs (it forwards the progress file from then on), a failure is posted straight
# to Claw Cloud with the registration token, so it shows at once rather than at the time-out.
# The token goes to curl on stdin, never on its command line.
CC_AGENT_FORWARDS=0
cc_report_failure() {
  [ "$CC_AGENT_FORWARDS" = 0 ] || return 0
  printf '{"instanceId":"%s","token":"%s","name":"bootstrap","status":"failed","message":"%s"}' \
    "$CC_INSTANCE_ID" "$CC_REGISTRATION_TOKEN" "$(cc_clean "$1")" |
    curl -fsS -m 30 --retry 3 -H 'content-type: application/json' --data-binary @- \
      "$CC_SERVER_URL/api/agent/v1/bootstrap-events" >>"$CC_LOG" 2>&1 || true
}

apt_get() {
  apt-get -y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

preflight() {
  step preflight
  [ "$(id -u)" = 0 ] || die "must run as root"
  command -v apt-get >/dev/null || die "no apt-get: Claw Cloud supports Debian 12 and Ubuntu 24.04"
  [ "$(uname -m)" = x86_64 ] || die "unsupported CPU architecture $(uname -m): this bootstrap installs the linux-x64 Node.js build"
  local os free_mb
  # shellcheck disable=SC1091
  os=$(. /etc/os-release && printf '%s %s' "${ID:-?}" "${VERSION_ID:-?}")
  free_mb=$(df -Pm / | awk 'NR == 2 { print $4 }')
  if [ ! -e "$OC_PKG" ] && [ "$free_mb" -lt $((3072 + CC_SWAP_MB)) ]; then
    die "only ${free_mb} MB free on /: OpenClaw needs about 3 GB, plus ${CC_SWAP_MB} MB of swap"
  fi
  cc_install_files
  ok "$os, ${free_mb} MB free"
}

# Key-only SSH and no root login (the drop-in is 01-*, so it wins over later drop-ins), no key but
# the user's own, root password locked.
ssh_lockdown() {
  step ssh
  local f
  rm -f /root/.ssh/authorized_keys /root/.ssh/authorized_keys2
  for f in /home/*/.ssh/authorized_keys /home/*/.ssh/authorized_keys2; do
    [ -e "$f" ] || continue
    case $f in "/home/$SSH_USER/"*) continue ;; esac
    rm -f "$f"
  done
  passwd -l root >/dev/null
  if [ -n "$CC_SSH_PUBLIC_KEY" ]; then
    id "$SSH_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --user-group "$SSH_USER"
    usermod -aG systemd-journal "$SSH_USER" 2>/dev/null || true
    install -d -m 0700 -o "$SSH_USER" -g "$SSH_USER" "/home/$SSH_USER/.ssh"
    printf '%s\n' "$CC_SSH_PUBLIC_KEY" >"/home/$SSH_USER/.ssh/authorized_keys"
    chown "$SSH_USER:$SSH_USER" "/home/$SSH_USER/.ssh/authorized_keys"
    chmod 0600 "/home/$SSH_USER/.ssh/authorized_keys"
  fi
  if command -v sshd >/dev/null; then
    [ -f /etc/ssh/sshd_config.d/01-clawcloud.conf ] || die "the sshd drop-in is missing"
    mkdir -p /run/sshd
    cc_run "sshd -t" sshd -t
    local eff
    eff=$(sshd -T 2>/dev/null | grep -Ei '^(passwordauthentication|permitrootlogin|kbdinteractiveauthentication) ' | sort | tr '\n' ' ')
    [ "$eff" = "kbdinteractiveauthentication no passwordauthentication no permitrootlogin no " ] ||
      die "sshd would not apply the hardening (effective: $eff)"
    systemctl try-reload-or-restart ssh.service >/dev/null 2>&1 || true
  fi
  if [ -n "$CC_SSH_PUBLIC_KEY" ]; then ok "root locked, key-only login for $SSH_USER"; else ok "root locked, no SSH keys"; fi
}

packages() {
  step packages
  local p missing=()
  for p in ca-certificates curl ufw fail2ban python3-systemd unattended-upgrades xz-utils sudo; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q ^ii || missing+=("$p")
  done
  # An image that has them all (an air-gapped site's own image) needs no package mirror at all.
  if [ ${#missing[@]} -gt 0 ]; then
    cc_run "apt-get update" apt_get update
    cc_run "apt-get install" apt_get install --no-install-recommends "${missing[@]}"
  fi
  # Ubuntu's EC2 images let IAM users push SSH keys (EC2 Instance Connect): not on our machines.
  if dpkg-query -W -f='${Status}' ec2-instance-connect 2>/dev/null | grep -q 'ok installed'; then
    cc_run "remove ec2-instance-connect" apt_get purge ec2-instance-connect
  fi
  systemctl enable fail2ban.service >/dev/null 2>&1 || true
  if systemctl restart fail2ban.service >/dev/null 2>&1; then
    ok
  else
    ok "warning: fail2ban did not start (journalctl -u fail2ban)"
  fi
}

# Deny all inbound, allow outbound. No allow rule at all unless the user gave their key and asked
# for SSH from listed addresses.
firewall() {
  step firewall
  local cidr
  cc_run "ufw reset" ufw --force reset
  cc_run "ufw default deny incoming" ufw default deny incoming
  cc_run "ufw default allow outgoing" ufw default allow outgoing
  for cidr in "${CC_SSH_ALLOW_FROM[@]}"; do
    cc_run "ufw allow ssh from $cidr" ufw allow from "$cidr" to any port 22 proto tcp comment clawcloud-user-ssh
  done
  cc_run "ufw enable" ufw --force enable
  ok "inbound: deny, ${#CC_SSH_ALLOW_FROM[@]} ssh rule(s)"
}

swap_file() {
  step swap
  if [ "$CC_SWAP_MB" -eq 0 ]; then
    ok "not needed"
    return 0
  fi
  if [ -n "$(swapon --show=NAME --noheadings)" ]; then
    ok "swap already active"
    return 0
  fi
  if ! swapon /swapfile 2>/dev/null; then
    rm -f /swapfile
    fallocate -l "${CC_SWAP_MB}M" /swapfile 2>/dev/null ||
      cc_run "write swap file" dd if=/dev/zero of=/swapfile bs=1M count="$CC_SWAP_MB" status=none
    chmod 600 /swapfile
    cc_run "mkswap" mkswap /swapfile
    cc_run "swapon" swapon /swapfile
  fi
  grep -q '^/swapfile ' /etc/fstab || printf '/swapfile none swap sw 0 0\n' >>/etc/fstab
  printf 'vm.swappiness=10\n' >/etc/sysctl.d/90-clawcloud-swap.conf
  sysctl -q -p /etc/sysctl.d/90-clawcloud-swap.conf || true
  ok "${CC_SWAP_MB} MB"
}

# Node.js from the official tarball, sha256 checked before it is unpacked.
node_runtime() {
  step node
  if [ -x "$CC_NODE" ] && [ "$("$CC_NODE" --version)" = "v$CC_NODE_VERSION" ]; then
    ok "v$CC_NODE_VERSION already installed"
    return 0
  fi
  local name="node-v$CC_NODE_VERSION-linux-x64.tar.xz"
  cc_run "download $CC_NODE_DIST_URL/v$CC_NODE_VERSION/$name" cc_fetch "$CC_NODE_DIST_URL/v$CC_NODE_VERSION/$name" "$CC_TMP/$name"
  cc_verify_sha256 "$CC_TMP/$name" "$CC_NODE_SHA256" "Node.js tarball"
  rm -rf /opt/node.new
  mkdir -p /opt/node.new
  cc_run "unpack $name" tar -xJf "$CC_TMP/$name" -C /opt/node.new --strip-components=1 --no-same-owner
  rm -rf /opt/node
  mv /opt/node.new /opt/node
  # sudo's secure_path and "#!/usr/bin/env node" both look in /usr/local/bin.
  ln -sfn /opt/node/bin/node /usr/local/bin/node
  [ "$("$CC_NODE" --version)" = "v$CC_NODE_VERSION" ] || die "the unpacked node does not run"
  ok "v$CC_NODE_VERSION (sha256 verified)"
}

service_users() {
  step users
  id openclaw >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir "$OC_HOME" --no-create-home --shell /usr/sbin/nologin openclaw
  id clawcloud-agent >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir "$AGENT_STATE_DIR" --no-create-home --shell /usr/sbin/nologin clawcloud-agent
  # The agent reads the installed OpenClaw's version (its package.json) through the openclaw
  # group; OpenClaw's state (~/.openclaw) stays 0700. (It may run anything as openclaw anyway.)
  usermod -aG openclaw clawcloud-agent
  install -d -m 0750 -o openclaw -g openclaw "$OC_HOME" "$OC_PREFIX"
  install -d -m 0700 -o clawcloud-agent -g clawcloud-agent "$AGENT_STATE_DIR"
  # Support access: no key, no password; the agent installs a key only for a granted time.
  # (useradd locks the password; with sshd's UsePAM a key still works.)
  id clawsupport >/dev/null 2>&1 || useradd -m -U -s /bin/bash clawsupport
  install -d -m 0755 /var/lib/clawcloud-support
  # The agent reports support logins from sshd's journal.
  usermod -aG systemd-journal clawcloud-agent
  chgrp clawcloud-agent "$CC_PROGRESS"
  chmod 0640 "$CC_PROGRESS"
  # The agent stops and starts the gateway around updates and runs OpenClaw's CLI as its user.
  cc_run "visudo -c" visudo -cf "$FILES/sudoers-clawcloud-agent"
  install -m 0440 "$FILES/sudoers-clawcloud-agent" /etc/sudoers.d/clawcloud-agent
  ok "openclaw, clawcloud-agent, clawsupport"
}

gateway_service() {
  step gateway-service
  local start=$SECONDS ready="" listen
  systemctl daemon-reload
  cc_run "enable openclaw-gateway" systemctl enable openclaw-gateway.service
  cc_run "start openclaw-gateway" systemctl start openclaw-gateway.service
  # The gateway takes 20-40 s to become ready on 2 vCPUs.
  while [ $((SECONDS - start)) -lt 300 ]; do
    if curl -fs -m 3 -o /dev/null "http://127.0.0.1:$CC_GATEWAY_PORT/readyz"; then
      ready=$((SECONDS - start))
      break
    fi
    if systemctl is-failed --quiet openclaw-gateway.service; then
      break
    fi
    sleep 2
  done
  if [ -z "$ready" ]; then
    journalctl -u openclaw-gateway.service -n 40 --no-pager >>"$CC_LOG" 2>&1 || true
    die "the gateway did not become ready ($(systemctl is-active openclaw-gateway.service || true); journalctl -u openclaw-gateway)"
  fi
  listen=$(ss -Hltn "sport = :$CC_GATEWAY_PORT" | awk '{ print $4 }' | grep -Ev '^(127\.0\.0\.1|\[::1\]):' || true)
  [ -z "$listen" ] || die "the gateway listens beyond loopback: $listen"
  ok "ready after about ${ready} s, loopback only"
}

# The agent starts before OpenClaw is installed: it registers, then forwards this script's
# progress file (from its first line), so the remaining steps, and a failure in them, reach Claw
# Cloud as they happen. A failure before this step shows on the console and in the log only.
agent_service() {
  step agent-service
  write_agent_config
  systemctl daemon-reload
  cc_run "enable clawcloud-agent" systemctl enable clawcloud-agent.service
  agent_reload
  CC_AGENT_FORWARDS=1
  ok
}

# Where the first boot's time went, as cloud-init measures it (its finished stages; this script
# runs inside the last one, modules-final), for Claw Cloud's timeline.
boot_timings() {
  local t
  t=$(cloud-init analyze show | awk '/^Finished stage:/ { printf "%s %.1f s, ", $3, $4 }') || t=""
  cc_mark timings ok "cloud-init ${t}bootstrap.sh ${SECONDS} s"
}

main() {
  mkdir -p "$(dirname "$CC_LOG")" "$FILES"
  [ -e "$CC_LOG" ] || install -m 0600 /dev/null "$CC_LOG"
  [ -e "$CC_PROGRESS" ] || install -m 0600 /dev/null "$CC_PROGRESS"
  CC_TMP=$(mktemp -d)
  exec 9>"$FILES/bootstrap.lock"
  flock -n 9 || die "another bootstrap is already running"
  preflight
  ssh_lockdown
  packages
  firewall
  swap_file
  node_runtime
  service_users
  agent_install
  agent_service
  openclaw_install
  openclaw_onboard
  openclaw_config
  gateway_service
  agent_config
  step "done"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$FILES/bootstrap.done"
  ok "bootstrap complete in ${SECONDS} s"
  boot_timings >/dev/null
  cc_mark bootstrap ok >/dev/null
}

main
