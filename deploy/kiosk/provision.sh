#!/usr/bin/env bash
# Turns a fresh Raspberry Pi OS (Bookworm, 64-bit) into a fieldkiosk kiosk, or brings an
# existing kiosk up to date. Run as root from a copy of the fieldkiosk repository; safe to run
# again: with the same options it changes nothing. See deploy/README.md for the runbook.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/lib.sh
. "$here/../lib.sh"

DATA=/var/lib/fieldkiosk
ETC=/etc/fieldkiosk
LIB=/usr/local/lib/fieldkiosk
UNITS=/etc/systemd/system
REMEMBERED=$ETC/provision.env
REPLICA_KEY=$ETC/replica_ed25519
# Litestream's control socket (fieldkiosk-litestream.service's RuntimeDirectory): the kiosk's
# sync agent asks it how far the replica is behind, and to sync at once after an outage.
LITESTREAM_SOCKET=/run/fieldkiosk-litestream/control.sock
URL=http://127.0.0.1:8000

usage() {
  cat <<TEXT
Usage: sudo ${0##*/} --central URL --enroll CODE [options]

Installs fieldkiosk on this Raspberry Pi (or Debian PC) and starts the kiosk. Options you
leave out keep the value they had at the last run (kept in $REMEMBERED).

  --central URL          central's address, e.g. https://central.example.org
  --enroll CODE          one-time enrollment code from central staff; needed until this
                         kiosk is enrolled (also after --restore: ask for a code for the same kiosk)
  --replica URL          where Litestream keeps a copy of the kiosk's database:
                           s3://BUCKET/kiosks/K01?endpoint=https://s3.example.org&region=R
                           sftp://k01@central.example.org:22/kiosk
  --replica-env FILE     (s3) file with LITESTREAM_ACCESS_KEY_ID=... and
                         LITESTREAM_SECRET_ACCESS_KEY=... lines, kept in $ETC/litestream.env
  --replica-host-key KEY (sftp) the server's SSH host key, "ssh-ed25519 AAAA...", to pin it
  --restore              replacing a dead card: restore the database from --replica before
                         the kiosk first starts (fieldkiosk restore)
  --timestamp T          with --restore: the database as it was at T (RFC 3339)
  --printer SPEC         receipt printer, e.g. usb:04b8:0e15 (see hardware/README.md)
  --speech SPEC          read-aloud voice: espeak or simulated
  --scanner SPEC         keyboard, serial:/dev/ttyACM0 or simulated
  --light SPEC           status light, e.g. "gpio?red=17&green=27&blue=22" (quote it), or none
  --language CODE        language the home screen starts in
  --desktop-user NAME    the autologin user whose screen shows the kiosk (default kiosk;
                         an existing user, such as the Pi's first user, is reused)
  --no-browser           no screen: install the kiosk service only (--browser: a screen again)
  --no-keyboard          no on-screen keyboard: the screen has a physical keyboard
                         (--keyboard: the on-screen keyboard again, the default)
  --ca-cert FILE         trust this certificate authority (central using "tls internal")
  --source DIR|WHEEL     fieldkiosk to install (default: the repository this script is in)
  --dry-run              print what would change, change nothing
  -h, --help             this text
TEXT
}

# Remembered options: KEY=value lines, written by this script only.
declare -A opt=([CENTRAL]="" [REPLICA]="" [REPLICA_HOST_KEY]="" [PRINTER]="" [SPEECH]=""
  [SCANNER]="" [LIGHT]="" [LANGUAGE]="" [DESKTOP_USER]=kiosk [BROWSER]=yes
  [KEYBOARD]=yes)
load_remembered "$REMEMBERED"

enroll="" restore=0 timestamp="" replica_env="" ca_cert="" source_path=$(cd "$here/../.." && pwd)
need() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi; }
while [ $# -gt 0 ]; do
  case $1 in
    --central) need "$@" && opt[CENTRAL]=$2 && shift ;;
    --enroll) need "$@" && enroll=$2 && shift ;;
    --replica) need "$@" && opt[REPLICA]=$2 && shift ;;
    --replica-env) need "$@" && replica_env=$2 && shift ;;
    --replica-host-key) need "$@" && opt[REPLICA_HOST_KEY]=$2 && shift ;;
    --restore) restore=1 ;;
    --timestamp) need "$@" && timestamp=$2 && shift ;;
    --printer) need "$@" && opt[PRINTER]=$2 && shift ;;
    --speech) need "$@" && opt[SPEECH]=$2 && shift ;;
    --scanner) need "$@" && opt[SCANNER]=$2 && shift ;;
    --light) need "$@" && opt[LIGHT]=$2 && shift ;;
    --language) need "$@" && opt[LANGUAGE]=$2 && shift ;;
    --desktop-user) need "$@" && opt[DESKTOP_USER]=$2 && shift ;;
    --no-browser) opt[BROWSER]=no ;;
    --browser) opt[BROWSER]=yes ;;
    --no-keyboard) opt[KEYBOARD]=no ;;
    --keyboard) opt[KEYBOARD]=yes ;;
    --ca-cert) need "$@" && ca_cert=$2 && shift ;;
    --source) need "$@" && source_path=$2 && shift ;;
    --dry-run) DRY_RUN=1 ;;
    -h | --help) usage && exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

# --- checks, before anything changes -------------------------------------------------------
case ${opt[CENTRAL]} in
  https://* | http://*) ;;
  '') die "--central: central's address is needed the first time (see --help)" ;;
  *) die "--central: an http(s):// address (got ${opt[CENTRAL]})" ;;
esac
for key in CENTRAL REPLICA PRINTER SPEECH SCANNER LIGHT LANGUAGE DESKTOP_USER; do
  safe_value "--${key,,}" "${opt[$key]}"
done
safe_value --enroll "$enroll"
safe_value --timestamp "$timestamp"
case ${opt[REPLICA]} in
  '' | s3://?* | sftp://?*@?*) ;;
  *) die "--replica: s3://BUCKET/PATH?... or sftp://USER@HOST/PATH (got ${opt[REPLICA]})" ;;
esac
if [ -n "${opt[REPLICA_HOST_KEY]}" ]; then
  read -r kind blob _ <<<"${opt[REPLICA_HOST_KEY]}"
  [[ $kind =~ ^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521))$ && $blob =~ ^[A-Za-z0-9+/]+=*$ ]] \
    || die "--replica-host-key: \"ssh-ed25519 AAAA...\" as in the server's /etc/ssh/ssh_host_ed25519_key.pub"
  opt[REPLICA_HOST_KEY]="$kind $blob"
fi
[[ ${opt[DESKTOP_USER]} =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--desktop-user: a user name (got ${opt[DESKTOP_USER]})"
[ "$restore" = 0 ] || [ -n "${opt[REPLICA]}" ] || die "--restore needs --replica"
[ -z "$timestamp" ] || [ "$restore" = 1 ] || die "--timestamp goes with --restore"
[ -z "$replica_env" ] || [ -r "$replica_env" ] || die "--replica-env: cannot read $replica_env"
[ -z "$ca_cert" ] || [ -r "$ca_cert" ] || die "--ca-cert: cannot read $ca_cert"
if [ -n "$replica_env" ] && grep -Ev '^[[:space:]]*(#.*)?$' "$replica_env" \
  | grep -Eqv '^LITESTREAM_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)=[^[:space:]"'\''\\$`]+$'; then
  die "--replica-env: only LITESTREAM_ACCESS_KEY_ID=... and LITESTREAM_SECRET_ACCESS_KEY=... lines, values without quotes or spaces"
fi
require_root
command -v apt-get >/dev/null || die "this is for Raspberry Pi OS or Debian (no apt-get here)"
enrolled=0
if [ -e "$DATA/identity.json" ]; then enrolled=1; fi
if [ "$enrolled" = 0 ] && [ -z "$enroll" ]; then
  [ "$DRY_RUN" = 1 ] || die "this kiosk is not enrolled yet: ask central staff for an enrollment code and give --enroll CODE"
  warn "not enrolled and no --enroll: a real run would stop here"
fi

# What changed, so that only what must be restarted is, and a second run restarts nothing.
kiosk_restart=no litestream_restart=no units_reload=no screen_changed=no

# --- software ------------------------------------------------------------------------------
say "Debian packages"
packages=(python3-venv ca-certificates curl sqlite3 openssh-client espeak-ng fonts-noto-core
  fonts-dejavu-core libfribidi0)
[[ ${opt[PRINTER]} != usb:* ]] || packages+=(libusb-1.0-0)
lgpio=$(first_available python3-lgpio || true)
[ -n "$lgpio" ] && packages+=("$lgpio")
if [ "${opt[BROWSER]}" = yes ]; then
  # Whichever Chromium is installed; else Raspberry Pi OS's own (chromium-browser), else Debian's.
  chromium=$(first_available chromium chromium-browser) || die "no chromium package in this system's archive"
  installed "$chromium" || chromium=$(first_available chromium-browser chromium)
  packages+=("$chromium")
  labwc=$(first_available labwc || true)
  [ -n "$labwc" ] && packages+=("$labwc")
fi
ensure_packages "${packages[@]}"

say "users"
ensure_system_user fieldkiosk "$DATA"
ensure_in_group fieldkiosk lp dialout gpio

say "fieldkiosk in $VENV"
extras=()
# python-escpos reaches USB printers through pyusb, which it does not require.
[[ ${opt[PRINTER]} != usb:* ]] || extras+=("$PY_USB")
# System site packages: Raspberry Pi OS's python3-lgpio drives the status light.
VENV_OPTIONS=--system-site-packages install_fieldkiosk "$source_path" "${extras[@]}"
if [ "$SOFTWARE_CHANGED" = yes ]; then kiosk_restart=yes litestream_restart=yes; fi

# --- configuration -------------------------------------------------------------------------
say "configuration in $ETC"
ensure_dir "$ETC" 0750 root:fieldkiosk
ensure_dir "$DATA" 0750 fieldkiosk:fieldkiosk

kiosk_env() {
  local key
  printf '# Written by deploy/kiosk/provision.sh; run it again to change these.\n'
  printf '# Every setting: deploy/examples/kiosk.env. Address and data directory: the unit.\n'
  printf 'FIELDKIOSK_CENTRAL="%s"\n' "${opt[CENTRAL]}"
  for key in PRINTER SPEECH SCANNER LIGHT LANGUAGE; do
    [ -z "${opt[$key]}" ] || printf 'FIELDKIOSK_%s="%s"\n' "$key" "${opt[$key]}"
  done
  [ "${opt[KEYBOARD]}" != yes ] || printf 'FIELDKIOSK_KEYBOARD="true"\n'
  [ -z "${opt[REPLICA]}" ] || printf 'FIELDKIOSK_LITESTREAM_SOCKET="%s"\n' "$LITESTREAM_SOCKET"
  if [ "$1" = enroll ]; then
    printf '# One-time code, removed by provision.sh once identity.json exists.\n'
    printf 'FIELDKIOSK_ENROLL="%s"\n' "$enroll"
  fi
}
if [ "$enrolled" = 0 ] && [ -n "$enroll" ]; then
  put_text "$ETC/kiosk.env" 0640 root:fieldkiosk secret "$(kiosk_env enroll)" && kiosk_restart=yes
else
  [ -z "$enroll" ] || say "already enrolled: ignoring --enroll"
  put_text "$ETC/kiosk.env" 0640 root:fieldkiosk secret "$(kiosk_env none)" && kiosk_restart=yes
fi

put_text "$REMEMBERED" 0600 root:root secret "$(remembered_text)" || true

if [ -n "$ca_cert" ]; then
  if put_file "$ca_cert" /usr/local/share/ca-certificates/fieldkiosk-central.crt 0644 root:root; then
    run update-ca-certificates
    kiosk_restart=yes litestream_restart=yes
  fi
fi

udev_rule=/etc/udev/rules.d/60-fieldkiosk-printer.rules
if [[ ${opt[PRINTER]} =~ ^usb:([0-9a-fA-F]{4}):([0-9a-fA-F]{4}) ]]; then
  vendor=${BASH_REMATCH[1],,} product=${BASH_REMATCH[2],,}
  rule="# fieldkiosk: the receipt printer (--printer ${opt[PRINTER]}) belongs to group lp, which
# the kiosk service has. Written by deploy/kiosk/provision.sh.
SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"$vendor\", ATTR{idProduct}==\"$product\", GROUP=\"lp\", MODE=\"0660\""
  if put_text "$udev_rule" 0644 root:root "" "$rule"; then
    run udevadm control --reload
    run udevadm trigger --subsystem-match=usb --attr-match="idVendor=$vendor"
  fi
elif [ -e "$udev_rule" ]; then
  run rm -f "$udev_rule"
fi

if [ -n "${opt[REPLICA]}" ]; then
  say "replication (Litestream) to ${opt[REPLICA]}"
  if [ -n "$replica_env" ]; then
    put_file "$replica_env" "$ETC/litestream.env" 0640 root:fieldkiosk secret && litestream_restart=yes
  fi
  sftp_lines=""
  if [[ ${opt[REPLICA]} == sftp://* ]]; then
    if [ ! -e "$REPLICA_KEY" ]; then
      run ssh-keygen -q -t ed25519 -N '' -C "fieldkiosk replica $(hostname)" -f "$REPLICA_KEY"
      run chgrp fieldkiosk "$REPLICA_KEY" "$REPLICA_KEY.pub"
      run chmod 0640 "$REPLICA_KEY"
    fi
    sftp_lines="      key-path: $REPLICA_KEY"
    if [ -n "${opt[REPLICA_HOST_KEY]}" ]; then
      sftp_lines+=$'\n'"      host-key: \"${opt[REPLICA_HOST_KEY]}\""
    else
      warn "no --replica-host-key: Litestream will not check it is talking to the right server"
    fi
  fi
  # A week of snapshots: the kiosk's database as it was at any moment of the last 7 days.
  put_text "$ETC/litestream.yml" 0640 root:fieldkiosk "" \
    "$(litestream_yaml "$DATA/kiosk.db" "${opt[REPLICA]}" 10s 168h "$sftp_lines" "$LITESTREAM_SOCKET")" \
    && litestream_restart=yes
fi

# --- services ------------------------------------------------------------------------------
say "services"
for file in fieldkiosk-kiosk.service fieldkiosk-litestream.service \
  fieldkiosk-watchdog.service fieldkiosk-watchdog.timer; do
  if put_file "$here/$file" "$UNITS/$file" 0644 root:root; then
    units_reload=yes
    case $file in
      fieldkiosk-kiosk.*) kiosk_restart=yes ;;
      fieldkiosk-litestream.*) litestream_restart=yes ;;
    esac
  fi
done
put_file "$here/watchdog.sh" "$LIB/watchdog.sh" 0755 root:root || true
[ "$units_reload" = no ] || run systemctl daemon-reload

# --- the screen ----------------------------------------------------------------------------
if [ "${opt[BROWSER]}" = yes ]; then
  say "the screen: Chromium in kiosk mode for ${opt[DESKTOP_USER]}"
  # shellcheck source=deploy/kiosk/screen.sh
  . "$here/screen.sh"
  setup_screen "${opt[DESKTOP_USER]}" "$here"
fi

# --- a replaced card: the database comes back before the kiosk first starts ----------------
mapfile -t litestream_env < <(env_lines "$ETC/litestream.env")
if [ "$restore" = 1 ]; then
  if [ -e "$DATA/kiosk.db" ] && [ ! -e "$DATA/restore.unfinished" ]; then
    say "not restoring: $DATA/kiosk.db already exists (see deploy/README.md to start over)"
  else
    # a restore cut short (no network, power lost) left restore.unfinished: running
    # fieldkiosk restore again skips the download and finishes lining up with central
    say "restoring $DATA/kiosk.db from ${opt[REPLICA]}"
    run systemctl stop fieldkiosk-kiosk.service fieldkiosk-litestream.service
    # fieldkiosk restore also enrolls with the code (central staff: `reenroll NAME`) and asks
    # central where this kiosk's numbering stands, so it needs the network.
    from=(--from "${opt[REPLICA]}" --data "$DATA" --central "${opt[CENTRAL]}")
    [ -z "$timestamp" ] || from+=(--timestamp "$timestamp")
    [ "$enrolled" = 1 ] || from+=(--enroll "$enroll")
    if [[ ${opt[REPLICA]} == sftp://* ]]; then
      from+=(--sftp-key "$REPLICA_KEY")
      [ -z "${opt[REPLICA_HOST_KEY]}" ] || from+=(--sftp-host-key "${opt[REPLICA_HOST_KEY]}")
    fi
    run runuser -u fieldkiosk -- env "${litestream_env[@]}" "$VENV/bin/fieldkiosk" restore "${from[@]}"
    if [ -e "$DATA/identity.json" ]; then
      put_text "$ETC/kiosk.env" 0640 root:fieldkiosk secret "$(kiosk_env none)" || true
    fi
  fi
elif [ -n "${opt[REPLICA]}" ] && [ ! -e "$DATA/kiosk.db" ] && [ "$DRY_RUN" != 1 ]; then
  found=$(litestream_probe "$ETC/litestream.yml" "$DATA/kiosk.db" "${litestream_env[@]}")
  case $found in
    yes) die "${opt[REPLICA]} already holds a kiosk database. Replacing a card? Run again with --restore. A new kiosk? Give it its own --replica path." ;;
    unknown*) warn "could not look at the replica yet (${found#unknown: }); Litestream keeps trying once the kiosk runs" ;;
  esac
fi

# --- start ---------------------------------------------------------------------------------
start_unit fieldkiosk-kiosk.service "$kiosk_restart"
if [ -n "${opt[REPLICA]}" ]; then
  start_unit fieldkiosk-litestream.service "$litestream_restart"
elif systemctl is-enabled --quiet fieldkiosk-litestream.service 2>/dev/null; then
  run systemctl disable --now fieldkiosk-litestream.service
fi
start_unit fieldkiosk-watchdog.timer no

[ "$DRY_RUN" = 1 ] && say "dry run: nothing was changed" && exit 0

say "waiting for the kiosk to answer $URL/healthz"
for _ in $(seq 90); do
  curl --silent --fail --max-time 2 --output /dev/null "$URL/healthz" && break
  sleep 1
done
if [ -e "$DATA/identity.json" ]; then
  put_text "$ETC/kiosk.env" 0640 root:fieldkiosk secret "$(kiosk_env none)" || true
  code=$("$VENV/bin/python" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["code"], d["name"])' "$DATA/identity.json")
  say "enrolled as kiosk $code"
else
  warn "not enrolled yet: the kiosk keeps trying with the code until central answers (journalctl -u fieldkiosk-kiosk)"
fi
if curl --silent --fail --max-time 2 --output /dev/null "$URL/healthz"; then
  say "the kiosk is up: $URL"
else
  warn "the kiosk does not answer yet: journalctl -u fieldkiosk-kiosk -n 50"
fi
if [ -e "$REPLICA_KEY.pub" ] && [[ ${opt[REPLICA]} == sftp://* ]]; then
  say "replica key: central staff add this line for the replica user (deploy/central/replica-user.sh):"
  cat "$REPLICA_KEY.pub"
fi
[ "$screen_changed" = no ] || say "reboot to start the screen: sudo reboot"
