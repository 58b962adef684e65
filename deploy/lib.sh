# shellcheck shell=bash
# shellcheck disable=SC2034 # settings and results read by the scripts that source this file
# Helpers shared by deploy/kiosk/provision.sh and deploy/central/install.sh: sourced, never run.
#
# Every change to the machine goes through `run`, `put_file` or `put_text`, so that --dry-run
# (DRY_RUN=1) prints what would change and changes nothing, and a second run with the same
# options changes nothing at all (files are compared before they are written).
#
# Functions that report a change set a variable or return 0/1 from a plain comparison; none
# does real work inside a condition, where bash would ignore `set -e`.

DRY_RUN=${DRY_RUN:-0}
VENV=/opt/fieldkiosk
# Installed beside fieldkiosk when needed (fieldkiosk itself brings Litestream).
PY_USB=pyusb==1.3.1

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf '%s: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

# run CMD...: run a command that changes the machine, or print it under --dry-run.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    printf '    would run:'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# Root is needed to change anything; a dry run may be tried by anyone.
require_root() {
  if [ "$(id -u)" != 0 ]; then
    [ "$DRY_RUN" = 1 ] || die "run me as root (sudo $0 ...)"
    warn "not root: this dry run cannot read root-only files, so it may list changes already made"
  fi
}

# put_file SRC DEST MODE OWNER:GROUP [secret]: install SRC as DEST unless DEST already has that
# content, mode and owner. Returns 0 when DEST changed (or would), 1 when it was already so, for
# `put_file ... && restart=yes`; a failed write stops the script. A secret's diff is not shown.
put_file() {
  local src=$1 dest=$2 mode=$3 owner=$4 secret=${5:-}
  if [ -f "$dest" ] && cmp -s "$src" "$dest" 2>/dev/null \
    && [ "$(stat -c '%a %U:%G' "$dest")" = "${mode#0} $owner" ]; then
    return 1
  fi
  if [ "$DRY_RUN" = 1 ]; then
    printf '    would write %s (mode %s, %s)\n' "$dest" "$mode" "$owner"
    if [ -z "$secret" ] && [ -r "$dest" ]; then
      diff -u "$dest" "$src" | sed -n '3,$s/^/      /p' || true
    fi
    return 0
  fi
  install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$src" "$dest" || die "cannot write $dest"
  say "wrote $dest"
}

# put_text DEST MODE OWNER:GROUP SECRET TEXT: put_file with TEXT and a final newline as content;
# SECRET is "secret" or "".
put_text() {
  local tmp status=0
  tmp=$(mktemp) || die "cannot make a temporary file"
  printf '%s\n' "$5" >"$tmp" || die "cannot write $tmp"
  put_file "$tmp" "$1" "$2" "$3" "$4" || status=$?
  rm -f "$tmp"
  return "$status"
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# ensure_packages NAME...: apt-get install the named Debian packages that are not installed.
ensure_packages() {
  local missing=() name
  for name in "$@"; do
    installed "$name" || missing+=("$name")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  say "installing ${missing[*]}"
  run env DEBIAN_FRONTEND=noninteractive apt-get update -q
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# first_available NAME...: the first of these Debian packages that is installed or offered by
# the archive, e.g. Debian's chromium or Raspberry Pi OS's older chromium-browser.
first_available() {
  local name
  for name in "$@"; do
    if installed "$name" || apt-cache policy "$name" 2>/dev/null | grep -q '^ *Candidate: *[^( ]'; then
      printf '%s\n' "$name"
      return 0
    fi
  done
  return 1
}

# ensure_system_user NAME HOME: an unprivileged system user with its own group, no login shell.
ensure_system_user() {
  id -u "$1" >/dev/null 2>&1 && return 0
  run useradd --system --user-group --home-dir "$2" --no-create-home \
    --shell /usr/sbin/nologin --comment "fieldkiosk service" "$1"
}

# ensure_in_group USER GROUP...: add USER to each GROUP, creating missing groups (as system groups).
ensure_in_group() {
  local user=$1 group
  shift
  for group in "$@"; do
    getent group "$group" >/dev/null || run groupadd --system "$group"
    id -nG "$user" 2>/dev/null | tr ' ' '\n' | grep -qx "$group" || run usermod -aG "$group" "$user"
  done
}

# ensure_dir DIR MODE OWNER:GROUP
ensure_dir() {
  local dir=$1 mode=$2 owner=$3
  if [ -d "$dir" ] && [ "$(stat -c '%a %U:%G' "$dir")" = "${mode#0} $owner" ]; then
    return 0
  fi
  run install -d -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$dir"
}

# safe_value NAME VALUE: refuse characters that would need quoting in a systemd environment file
# or that Litestream would expand in its configuration ($).
safe_value() {
  case $2 in
    *[\"\'\\\`\$[:space:]]* | *[[:cntrl:]]*)
      die "$1: quotes, backslashes, \$ and spaces are not allowed (got $2)"
      ;;
  esac
}

# build_wheel SOURCE OUTDIR: the fieldkiosk wheel to install. SOURCE is a .whl (used as it is)
# or a source tree, copied so that its message catalogues can be compiled without writing to
# SOURCE (they are not in git, and the kiosk speaks every language only with them).
build_wheel() {
  local source=$1 out=$2 tree po
  if [ -f "$source" ]; then
    case $source in *.whl) cp "$source" "$out/" && return 0 ;; esac
    die "--source: a .whl file or a source directory (got $source)"
  fi
  [ -f "$source/pyproject.toml" ] || die "--source: no pyproject.toml in $source"
  tree=$(mktemp -d)
  tar -C "$source" --exclude=./.git --exclude=./.venv --exclude=./var --exclude=./build \
    --exclude='*.egg-info' --exclude=__pycache__ --exclude='.*_cache' --exclude=./.hypothesis \
    -cf - . | tar -C "$tree" -xf -
  [ -x "$VENV/bin/pybabel" ] || "$VENV/bin/pip" install --quiet --disable-pip-version-check babel
  while read -r po; do
    "$VENV/bin/pybabel" compile -q -i "$po" -o "${po%.po}.mo"
  done < <(find "$tree/locales" -path '*/LC_MESSAGES/messages.po' 2>/dev/null)
  "$VENV/bin/pip" wheel --quiet --disable-pip-version-check --no-deps -w "$out" "$tree" >/dev/null
  rm -rf "$tree"
}

# wheel_digest WHEEL: a digest of the wheel's files (its RECORD holds a hash per file): the same
# for two builds of the same source, although the zip archives differ.
wheel_digest() {
  "$VENV/bin/python" - "$1" <<'PY'
import hashlib, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    record = next(n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
    lines = sorted(l for l in wheel.read(record).decode().splitlines() if not l.startswith(record))
print(hashlib.sha256("\n".join(lines).encode()).hexdigest())
PY
}

# install_fieldkiosk SOURCE [REQUIREMENT...]: the venv in /opt/fieldkiosk (Debian's own Python,
# which the service users can run and whose python3-* packages $VENV_OPTIONS may let in)
# holding fieldkiosk from SOURCE and the pinned REQUIREMENTs. Sets
# SOFTWARE_CHANGED to yes when anything was (or would be) installed, else no.
install_fieldkiosk() {
  local source=$1 out wheel digest stamp="$VENV/.fieldkiosk-wheel.sha256" requirement
  shift
  SOFTWARE_CHANGED=no
  if [ ! -x "$VENV/bin/python" ]; then
    # shellcheck disable=SC2086 # VENV_OPTIONS is a list of options, or nothing
    run /usr/bin/python3 -m venv ${VENV_OPTIONS:-} "$VENV"
    SOFTWARE_CHANGED=yes
    if [ "$DRY_RUN" = 1 ]; then
      printf '    would install fieldkiosk from %s%s\n' "$source" "${*:+, and $*}"
      return 0
    fi
  fi
  for requirement in "$@"; do
    if ! "$VENV/bin/pip" freeze --disable-pip-version-check 2>/dev/null | grep -qixF "$requirement"; then
      run "$VENV/bin/pip" install --quiet --disable-pip-version-check "$requirement"
      SOFTWARE_CHANGED=yes
    fi
  done
  out=$(mktemp -d)
  build_wheel "$source" "$out"
  wheel=$(find "$out" -name 'fieldkiosk-*.whl' | head -n 1)
  [ -n "$wheel" ] || die "no fieldkiosk wheel was built from $source"
  digest=$(wheel_digest "$wheel")
  if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    say "installing $(basename "$wheel") into $VENV"
    run "$VENV/bin/pip" install --quiet --disable-pip-version-check "$wheel"
    run "$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
    if [ "$DRY_RUN" != 1 ]; then printf '%s\n' "$digest" >"$stamp"; fi
    SOFTWARE_CHANGED=yes
  fi
  rm -rf "$out"
}

# load_remembered FILE: the options a script remembers between runs, KEY=value lines, read into
# the caller's associative array `opt` (only keys it already has, so nothing else sneaks in).
load_remembered() {
  local key value
  [ -r "$1" ] || return 0
  while IFS='=' read -r key value; do
    # shellcheck disable=SC2004 # opt is the caller's associative array, not an indexed one
    if [ -n "${opt[$key]+set}" ]; then opt[$key]=$value; fi
  done <"$1"
}

# remembered_text: `opt` as KEY=value lines, for put_text into the file load_remembered reads.
remembered_text() {
  local key
  for key in "${!opt[@]}"; do printf '%s=%s\n' "$key" "${opt[$key]}"; done | sort
}

# litestream_yaml DB REPLICA_URL SYNC_INTERVAL RETENTION [EXTRA_REPLICA_LINES] [SOCKET]: a
# Litestream 0.5 configuration for one database and its one replica (`replica:`, not the old
# `replicas:` list), with the control socket at SOCKET if given.
litestream_yaml() {
  printf '%s\n' \
    "# Written by ${0##*/} from --replica; annotated examples in deploy/examples/ and" \
    "# deploy/central/litestream.yml (Litestream 0.5). Daily snapshots, kept $4."
  if [ -n "${6:-}" ]; then printf '%s\n' "socket:" "  enabled: true" "  path: $6"; fi
  printf '%s\n' \
    "snapshot:" \
    "  interval: 24h" \
    "  retention: $4" \
    "dbs:" \
    "  - path: $1" \
    "    replica:" \
    "      url: \"$2\"" \
    "      sync-interval: $3"
  if [ -n "${5:-}" ]; then printf '%s\n' "$5"; fi
}

# litestream_probe CONFIG DB ENV...: does the replica already hold a database? Prints "yes",
# "no", or "unknown: REASON" (e.g. no network yet). A new, empty database replicating to a
# replica that holds one would take its place, so callers stop on "yes".
litestream_probe() {
  local config=$1 db=$2 probe out
  shift 2
  probe=$(mktemp -d)
  # Without AWS_CA_BUNDLE, as in the service: the AWS SDK would drop the system's certificates.
  if out=$(env -u AWS_CA_BUNDLE "$@" "$VENV/bin/litestream" restore -config "$config" -dry-run \
    -o "$probe/probe.db" "$db" 2>&1); then
    echo yes
  elif grep -q 'no matching backup files' <<<"$out"; then
    echo no
  else
    echo "unknown: ${out##*$'\n'}"
  fi
  rm -rf "$probe"
}

# env_lines FILE: the NAME=value lines of an environment file, e.g. for `env`.
env_lines() {
  if [ -r "$1" ]; then grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$1" || true; fi
}

# Enable UNIT and make sure it runs; restart it when RESTART is yes (its files changed).
start_unit() { # UNIT RESTART(yes|no)
  run systemctl enable --quiet "$1"
  if [ "$2" = yes ] && systemctl is-active --quiet "$1" 2>/dev/null; then
    run systemctl restart "$1"
  else
    run systemctl start "$1"
  fi
}
