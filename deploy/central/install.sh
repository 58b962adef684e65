#!/usr/bin/env bash
# Installs fieldkiosk central on a Debian 12 server behind Caddy (HTTPS), with nightly backups,
# optional Litestream replication of central.db and optional SFTP space for the kiosks'
# replicas. Run as root from a copy of the fieldkiosk repository; safe to run again: with the
# same options it changes nothing. See deploy/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/lib.sh
. "$here/../lib.sh"

DATA=/var/lib/fieldkiosk-central
ETC=/etc/fieldkiosk
LIB=/usr/local/lib/fieldkiosk
UNITS=/etc/systemd/system
BACKUPS=/var/backups/fieldkiosk-central
REPLICAS=/srv/fieldkiosk-replicas
REMEMBERED=$ETC/install.env
URL=http://127.0.0.1:8100

usage() {
  cat <<TEXT
Usage: sudo ${0##*/} --domain NAME [options]

Installs fieldkiosk central and Caddy in front of it. Options you leave out keep the value
they had at the last run (kept in $REMEMBERED).

  --domain NAME        the server's name, e.g. central.example.org (kiosks use https://NAME)
  --email ADDRESS      for the certificate authority's notices (public names)
  --lan                no public name: Caddy signs its own certificate ("tls internal"); each
                       kiosk is then provisioned with --ca-cert (see deploy/README.md)
  --replica URL        Litestream replica for central.db, s3://BUCKET/PATH?endpoint=...
  --replica-env FILE   file with LITESTREAM_ACCESS_KEY_ID=... and LITESTREAM_SECRET_ACCESS_KEY=...
  --sftp-replicas      let kiosks replicate to this server over SFTP (replica-user.sh adds them)
  --backup-days N      nightly backups kept N days (default 14)
  --source DIR|WHEEL   fieldkiosk to install (default: the repository this script is in)
  --dry-run            print what would change, change nothing
  -h, --help           this text
TEXT
}

declare -A opt=([DOMAIN]="" [EMAIL]="" [LAN]=no [REPLICA]="" [SFTP]=no [BACKUP_DAYS]=14)
load_remembered "$REMEMBERED"
replica_env="" source_path=$(cd "$here/../.." && pwd)
need() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi; }
while [ $# -gt 0 ]; do
  case $1 in
    --domain) need "$@" && opt[DOMAIN]=$2 && shift ;;
    --email) need "$@" && opt[EMAIL]=$2 && shift ;;
    --lan) opt[LAN]=yes ;;
    --replica) need "$@" && opt[REPLICA]=$2 && shift ;;
    --replica-env) need "$@" && replica_env=$2 && shift ;;
    --sftp-replicas) opt[SFTP]=yes ;;
    --backup-days) need "$@" && opt[BACKUP_DAYS]=$2 && shift ;;
    --source) need "$@" && source_path=$2 && shift ;;
    --dry-run) DRY_RUN=1 ;;
    -h | --help) usage && exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

[[ ${opt[DOMAIN]} =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] \
  || die "--domain: the server's name, e.g. central.example.org (got ${opt[DOMAIN]:-nothing})"
[[ -z ${opt[EMAIL]} || ${opt[EMAIL]} =~ ^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$ ]] \
  || die "--email: an email address (got ${opt[EMAIL]})"
[[ ${opt[BACKUP_DAYS]} =~ ^[1-9][0-9]*$ ]] || die "--backup-days: a whole number of days (got ${opt[BACKUP_DAYS]})"
safe_value --replica "${opt[REPLICA]}"
case ${opt[REPLICA]} in
  '' | s3://?* | sftp://?*@?*) ;;
  *) die "--replica: s3://BUCKET/PATH?... or sftp://USER@HOST/PATH (got ${opt[REPLICA]})" ;;
esac
[ -z "$replica_env" ] || [ -r "$replica_env" ] || die "--replica-env: cannot read $replica_env"
if [ -n "$replica_env" ] && grep -Ev '^[[:space:]]*(#.*)?$' "$replica_env" \
  | grep -Eqv '^LITESTREAM_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)=[^[:space:]"'\''\\$`]+$'; then
  die "--replica-env: only LITESTREAM_ACCESS_KEY_ID=... and LITESTREAM_SECRET_ACCESS_KEY=... lines, values without quotes or spaces"
fi
require_root
command -v apt-get >/dev/null || die "this is for Debian (no apt-get here)"

central_restart=no litestream_restart=no units_reload=no

# --- software ------------------------------------------------------------------------------
say "Debian packages"
packages=(python3-venv ca-certificates curl sqlite3 caddy)
[ "${opt[SFTP]}" = no ] || packages+=(openssh-server)
ensure_packages "${packages[@]}"

say "users and directories"
ensure_system_user fieldkiosk "$DATA"
ensure_dir "$ETC" 0750 root:fieldkiosk
ensure_dir "$DATA" 0700 fieldkiosk:fieldkiosk
ensure_dir "$BACKUPS" 0700 fieldkiosk:fieldkiosk

say "fieldkiosk in $VENV"
install_fieldkiosk "$source_path"
if [ "$SOFTWARE_CHANGED" = yes ]; then central_restart=yes litestream_restart=yes; fi

# --- configuration -------------------------------------------------------------------------
say "configuration"
# central.env is the administrator's: written from the example once, then left alone.
if [ ! -e "$ETC/central.env" ]; then
  put_file "$here/../examples/central.env" "$ETC/central.env" 0640 root:fieldkiosk || true
fi
put_text "$REMEMBERED" 0600 root:root "" "$(remembered_text)" || true

# The example with this server's name, and the lines --email and --lan switch on.
caddyfile=$(<"$here/Caddyfile")
caddyfile=${caddyfile//central.example.org/${opt[DOMAIN]}}
if [ -n "${opt[EMAIL]}" ]; then
  caddyfile=${caddyfile//$'\t#email admin@example.org'/$'\temail '${opt[EMAIL]}}
fi
if [ "${opt[LAN]}" = yes ]; then
  caddyfile=${caddyfile//$'\t#tls internal'/$'\ttls internal'}
fi
if [ "$DRY_RUN" != 1 ] && [ "$caddyfile" != "$(cat /etc/caddy/Caddyfile 2>/dev/null)" ]; then
  # Checked before it replaces the running one, as Caddy's own user: with --lan, validating
  # creates the certificate authority, and it belongs in Caddy's home.
  candidate=$(mktemp)
  printf '%s\n' "$caddyfile" >"$candidate" && chmod 0644 "$candidate"
  if ! out=$(runuser -u caddy -- env HOME=/var/lib/caddy \
    caddy validate --config "$candidate" --adapter caddyfile 2>&1); then
    printf '%s\n' "$out" >&2
    rm -f "$candidate"
    die "Caddy does not accept the Caddyfile made from deploy/central/Caddyfile"
  fi
  rm -f "$candidate"
fi
caddy_changed=no
put_text /etc/caddy/Caddyfile 0644 root:root "" "$caddyfile" && caddy_changed=yes

if [ -n "${opt[REPLICA]}" ]; then
  say "replication (Litestream) to ${opt[REPLICA]}"
  if [ -n "$replica_env" ]; then
    put_file "$replica_env" "$ETC/central-litestream.env" 0640 root:fieldkiosk secret && litestream_restart=yes
  fi
  # A month of snapshots; central is the copy of record, so changes go every second.
  put_text "$ETC/central-litestream.yml" 0640 root:fieldkiosk "" \
    "$(litestream_yaml "$DATA/central.db" "${opt[REPLICA]}" 1s 720h)" && litestream_restart=yes
fi

# --- services ------------------------------------------------------------------------------
say "services"
for file in fieldkiosk-central.service fieldkiosk-central-litestream.service \
  fieldkiosk-central-backup.service fieldkiosk-central-backup.timer; do
  if put_file "$here/$file" "$UNITS/$file" 0644 root:root; then
    units_reload=yes
    case $file in
      fieldkiosk-central.service) central_restart=yes ;;
      fieldkiosk-central-litestream.service) litestream_restart=yes ;;
    esac
  fi
done
keep="# Written by deploy/central/install.sh --backup-days.
[Service]
Environment=BACKUP_KEEP_DAYS=${opt[BACKUP_DAYS]}"
put_text "$UNITS/fieldkiosk-central-backup.service.d/keep.conf" 0644 root:root "" "$keep" && units_reload=yes
put_file "$here/backup.sh" "$LIB/backup.sh" 0755 root:root || true
put_file "$here/central-cli.sh" /usr/local/sbin/fieldkiosk-central 0755 root:root || true
put_file "$here/replica-user.sh" /usr/local/sbin/fieldkiosk-replica-user 0755 root:root || true
[ "$units_reload" = no ] || run systemctl daemon-reload

if [ "${opt[SFTP]}" = yes ]; then
  say "SFTP space for the kiosks' replicas in $REPLICAS"
  getent group fieldkiosk-replicas >/dev/null || run groupadd --system fieldkiosk-replicas
  ensure_dir "$REPLICAS" 0755 root:root
  ensure_dir /etc/ssh/fieldkiosk-replicas 0755 root:root
  if put_file "$here/sshd_config.d/fieldkiosk.conf" /etc/ssh/sshd_config.d/fieldkiosk.conf 0644 root:root; then
    if [ "$DRY_RUN" != 1 ]; then
      /usr/sbin/sshd -t || die "sshd does not accept /etc/ssh/sshd_config.d/fieldkiosk.conf (sshd -t)"
    fi
    run systemctl reload ssh.service
  fi
fi

# Central's database must not start empty over a replica that already holds one.
mapfile -t litestream_env < <(env_lines "$ETC/central-litestream.env")
if [ -n "${opt[REPLICA]}" ] && [ ! -e "$DATA/central.db" ] && [ "$DRY_RUN" != 1 ]; then
  case $(litestream_probe "$ETC/central-litestream.yml" "$DATA/central.db" "${litestream_env[@]}") in
    yes) die "${opt[REPLICA]} already holds central's database: restore it first (deploy/README.md, 'Bring central back')" ;;
    unknown*) warn "could not look at the replica yet; Litestream keeps trying" ;;
  esac
fi

start_unit fieldkiosk-central.service "$central_restart"
if [ -n "${opt[REPLICA]}" ]; then
  start_unit fieldkiosk-central-litestream.service "$litestream_restart"
elif systemctl is-enabled --quiet fieldkiosk-central-litestream.service 2>/dev/null; then
  run systemctl disable --now fieldkiosk-central-litestream.service
fi
start_unit fieldkiosk-central-backup.timer no
run systemctl enable --quiet caddy.service
if [ "$caddy_changed" = yes ] && systemctl is-active --quiet caddy.service 2>/dev/null; then
  run systemctl reload caddy.service
else
  run systemctl start caddy.service
fi

[ "$DRY_RUN" = 1 ] && say "dry run: nothing was changed" && exit 0

for _ in $(seq 60); do
  curl --silent --fail --max-time 2 --output /dev/null "$URL/healthz" && break
  sleep 1
done
curl --silent --fail --max-time 2 --output /dev/null "$URL/healthz" \
  || die "central does not answer on $URL: journalctl -u fieldkiosk-central -n 50"
say "central is up: https://${opt[DOMAIN]}"
cat <<TEXT

Next:
  add the first staff member:   sudo fieldkiosk-central add-user EMAIL --role admin
  register a kiosk:             sudo fieldkiosk-central add-kiosk "Town library"
TEXT
if [ "${opt[LAN]}" = yes ]; then
  echo "  kiosks must trust Caddy's certificate authority (provision.sh --ca-cert FILE), a copy of:"
  echo "    /var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt"
fi
if [ "${opt[SFTP]}" = yes ]; then
  echo "  a kiosk's SFTP replica:        sudo fieldkiosk-replica-user k01 KEY-FILE-FROM-THE-KIOSK"
fi
