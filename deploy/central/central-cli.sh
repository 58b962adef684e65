#!/usr/bin/env bash
# Staff tasks on central, run as the service's user with central's data and settings.
# Installed by deploy/central/install.sh as /usr/local/sbin/fieldkiosk-central:
#   sudo fieldkiosk-central add-kiosk "Town library"          prints a new kiosk's enrollment code
#   sudo fieldkiosk-central reenroll "Town library"           a new code for an existing kiosk
#   sudo fieldkiosk-central add-user ana@example.org --role admin   asks for the password
# Anything after the task goes to `fieldkiosk central TASK`; see `fieldkiosk-central --help`.
set -euo pipefail

[ "$(id -u)" = 0 ] || {
  echo "run me with sudo" >&2
  exit 1
}
settings=()
if [ -r /etc/fieldkiosk/central.env ]; then
  while IFS='=' read -r name value; do
    value=${value#\"} value=${value%\"}
    settings+=("$name=$value")
  done < <(grep -E '^FIELDKIOSK_[A-Z_]+=' /etc/fieldkiosk/central.env)
fi
cd /var/lib/fieldkiosk-central
exec runuser -u fieldkiosk -- env "${settings[@]}" FIELDKIOSK_DATA=/var/lib/fieldkiosk-central \
  /opt/fieldkiosk/bin/fieldkiosk central "$@"
