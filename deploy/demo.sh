#!/usr/bin/env bash
# `make run`: central on :8100 and a demo kiosk on :8000, data under ./var, the kiosk
# enrolled with central the way a technician enrolls a real one. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.venv/bin/fieldkiosk
python=.venv/bin/python
var=${FIELDKIOSK_DEMO_VAR:-var}
central_url=http://127.0.0.1:8100
kiosk_url=http://127.0.0.1:8000
pids=()

stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

wait_for() {
  "$python" - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(f"{sys.argv[1]} did not start")
PY
}

mkdir -p "$var"
"$bin" central --host 127.0.0.1 --port 8100 --data "$var/central" &
pids+=($!)
wait_for "$central_url"

staff="$var/demo-staff.txt"
if [ ! -f "$staff" ]; then
  password=$("$python" -c 'import secrets; print(secrets.token_urlsafe(12))')
  FIELDKIOSK_PASSWORD=$password "$bin" central add-user demo@example.org --role admin --data "$var/central"
  (umask 077 && printf 'demo@example.org\n%s\n' "$password" > "$staff")
fi

enroll=()
if [ ! -f "$var/kiosk/identity.json" ]; then
  code=$("$bin" central add-kiosk "Demo kiosk" --data "$var/central" | tail -n 1)
  enroll=(--enroll "$code")
fi
"$bin" kiosk --host 127.0.0.1 --port 8000 --data "$var/kiosk" --central "$central_url" --keyboard "${enroll[@]}" &
pids+=($!)
wait_for "$kiosk_url"

worker="$var/demo-worker.txt"
if [ ! -f "$worker" ]; then
  pin=$("$python" -c 'from kiosk.workers import random_pin; print(random_pin())')
  printf '%s\n' "$pin" | "$bin" kiosk add-worker "Demo worker" --data "$var/kiosk" --pin-stdin
  (umask 077 && printf 'Demo worker\n%s\n' "$pin" > "$worker")
fi

{ read -r email; read -r password; } < "$staff"
{ read -r worker_name; read -r worker_pin; } < "$worker"
cat <<TEXT

  fieldkiosk is running.
    Kiosk (citizens):   $kiosk_url
    Community worker:   $kiosk_url/assist   sign in as $worker_name, PIN $worker_pin
    Central (staff):    $central_url   sign in as $email / $password
  Data lives in ./$var. Press Ctrl-C to stop.

TEXT
wait -n "${pids[@]}"
