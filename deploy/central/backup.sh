#!/bin/sh
# fieldkiosk central backup: a consistent snapshot of central.db (SQLite's online backup, safe
# while central runs), checked with PRAGMA integrity_check, compressed, and kept for
# BACKUP_KEEP_DAYS days. Run nightly by fieldkiosk-central-backup.timer; installed as
# /usr/local/lib/fieldkiosk/backup.sh. Restore: stop central, gunzip a copy over central.db,
# remove central.db-wal and central.db-shm, start central (deploy/README.md).
#
# Settings (environment): BACKUP_DATA (central's data directory), BACKUP_DIR, BACKUP_KEEP_DAYS.
set -eu

data=${BACKUP_DATA:-/var/lib/fieldkiosk-central}
dest=${BACKUP_DIR:-/var/backups/fieldkiosk-central}
keep=${BACKUP_KEEP_DAYS:-14}

case $keep in
  '' | *[!0-9]* | 0)
    echo "BACKUP_KEEP_DAYS: a whole number of days, 1 or more (got $keep)" >&2
    exit 2
    ;;
esac
[ -f "$data/central.db" ] || {
  echo "no database at $data/central.db" >&2
  exit 1
}

umask 077
stamp=$(date -u +%Y%m%dT%H%M%SZ)
copy="$dest/.central-$stamp.db"
final="$dest/central-$stamp.db.gz"
trap 'rm -f "$copy" "$copy.gz"' EXIT

sqlite3 -bail "$data/central.db" ".timeout 30000" ".backup '$copy'"
check=$(sqlite3 -bail "$copy" "PRAGMA integrity_check;")
if [ "$check" != ok ]; then
  echo "the copy of central.db failed its integrity check: $check" >&2
  exit 1
fi
gzip -9 "$copy"
mv "$copy.gz" "$final"

find "$dest" -maxdepth 1 -type f -name 'central-*.db.gz' -mtime +"$keep" -delete
kept=$(find "$dest" -maxdepth 1 -type f -name 'central-*.db.gz' | wc -l)
echo "backed up central.db to $final ($(du -h "$final" | cut -f1)); $kept backups kept"
