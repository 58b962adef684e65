#!/usr/bin/env bash
# Gives one kiosk a place on this server for its database replica (Litestream over SFTP): a
# user that can do nothing but SFTP, locked into /srv/fieldkiosk-replicas/USER, logging in
# only with the kiosk's key. Run again with a new key when a kiosk's card is replaced.
# Installed by deploy/central/install.sh --sftp-replicas as /usr/local/sbin/fieldkiosk-replica-user:
#   sudo fieldkiosk-replica-user k01 replica_ed25519.pub     (or - to read the key from input)
# It prints the --replica and --replica-host-key options for the kiosk's provision.sh.
set -euo pipefail

REPLICAS=/srv/fieldkiosk-replicas
KEYS=/etc/ssh/fieldkiosk-replicas

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}
[ $# = 2 ] || die "usage: ${0##*/} USER KEY-FILE (the kiosk's /etc/fieldkiosk/replica_ed25519.pub, or -)"
user=$1
[[ $user =~ ^[a-z][a-z0-9-]{0,30}$ ]] || die "USER: lower-case letters, digits and -, e.g. k01 (got $user)"
[ "$(id -u)" = 0 ] || die "run me with sudo"
[ -f /etc/ssh/sshd_config.d/fieldkiosk.conf ] || die "SFTP replicas are not set up: run install.sh --sftp-replicas"
if [ "$2" = - ]; then key=$(head -n 1); else key=$(head -n 1 "$2"); fi
read -r kind blob comment <<<"$key"
[[ $kind =~ ^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521))$ && $blob =~ ^[A-Za-z0-9+/]+=*$ ]] \
  || die "KEY-FILE: one public key line, \"ssh-ed25519 AAAA... comment\""

if ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --home-dir /kiosk --shell /usr/sbin/nologin \
    --groups fieldkiosk-replicas --comment "fieldkiosk replica" "$user"
  usermod -p '*' "$user" # no password, yet not "locked": sshd still takes the key
fi
id -nG "$user" | tr ' ' '\n' | grep -qx fieldkiosk-replicas || die "$user exists and is not a replica user"
# sshd's chroot rule: the user's directory belongs to root; only kiosk/ inside is theirs.
install -d -m 0755 -o root -g root "$REPLICAS/$user"
install -d -m 0700 -o "$user" -g "$user" "$REPLICAS/$user/kiosk"
install -d -m 0755 -o root -g root "$KEYS"
printf '%s %s %s\n' "$kind" "$blob" "${comment:-$user}" >"$KEYS/$user.new"
chmod 0644 "$KEYS/$user.new"
mv "$KEYS/$user.new" "$KEYS/$user"

read -r host_kind host_blob _ </etc/ssh/ssh_host_ed25519_key.pub
cat <<TEXT
$user may now replicate to $REPLICAS/$user/kiosk. On the kiosk, provision.sh takes:
  --replica sftp://$user@$(hostname -f):22/kiosk --replica-host-key "$host_kind $host_blob"
TEXT
