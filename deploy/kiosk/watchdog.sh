#!/bin/sh
# fieldkiosk watchdog: one look at the kiosk's /healthz (run every minute by
# fieldkiosk-watchdog.timer). After WATCHDOG_FAILURES failed looks in a row it restarts the
# kiosk, so a hung app comes back by itself. A kiosk that is stopped, starting or already
# restarting is left to systemd. Installed as /usr/local/lib/fieldkiosk/watchdog.sh.
#
# Settings (environment): WATCHDOG_URL, WATCHDOG_FAILURES, WATCHDOG_UNIT, WATCHDOG_STATE
# (the file that counts failures between runs).
set -eu

url=${WATCHDOG_URL:-http://127.0.0.1:8000/healthz}
limit=${WATCHDOG_FAILURES:-3}
unit=${WATCHDOG_UNIT:-fieldkiosk-kiosk.service}
state=${WATCHDOG_STATE:-/run/fieldkiosk-watchdog/failures}

case $limit in
  '' | *[!0-9]* | 0)
    echo "WATCHDOG_FAILURES: a whole number, 1 or more (got $limit)" >&2
    exit 2
    ;;
esac

if ! systemctl is-active --quiet "$unit"; then
  rm -f "$state"
  exit 0
fi

if curl --silent --show-error --fail --max-time 10 --output /dev/null "$url"; then
  rm -f "$state"
  exit 0
fi

failures=$(cat "$state" 2>/dev/null || true)
case $failures in '' | *[!0-9]*) failures=0 ;; esac
failures=$((failures + 1))

if [ "$failures" -lt "$limit" ]; then
  echo "$url failed ($failures of $limit before $unit is restarted)"
  echo "$failures" >"$state"
  exit 0
fi

echo "$url failed $failures times in a row: restarting $unit"
rm -f "$state"
systemctl restart "$unit"
