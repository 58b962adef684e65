#!/bin/sh
# fieldkiosk screen: waits until the kiosk answers /healthz, then runs Chromium in kiosk mode
# on it. Run by fieldkiosk-browser.service (a user service of the autologin desktop user) or,
# without a user manager, by the labwc autostart. Installed as /usr/local/lib/fieldkiosk/browser.sh.
#
# What the browser may do is set by Chromium's managed policies, installed from
# deploy/kiosk/chromium-policies.json (only the kiosk's own pages, no downloads, no dev tools).
# The profile is kept (no --incognito), so the policies' settings and the screen's zoom stay.
set -eu

url=${FIELDKIOSK_URL:-http://127.0.0.1:8000/}

# The kiosk may take a while: first boot, a migration, or enrollment waiting for a network.
until curl --silent --fail --max-time 3 --output /dev/null "${url%/}/healthz"; do
  sleep 2
done

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "neither chromium nor chromium-browser is installed" >&2
  exit 1
fi

# After a power cut Chromium would offer to "restore pages"; tell it the last exit was clean.
preferences=${XDG_CONFIG_HOME:-$HOME/.config}/chromium/Default/Preferences
if [ -f "$preferences" ]; then
  sed -i -e 's/"exited_cleanly":false/"exited_cleanly":true/' \
    -e 's/"exit_type":"[A-Za-z]*"/"exit_type":"Normal"/' "$preferences"
fi

exec "$browser" \
  --kiosk \
  --noerrdialogs \
  --disable-infobars \
  --no-first-run \
  --disable-translate \
  --disable-features=Translate \
  --disable-pinch \
  --overscroll-history-navigation=0 \
  --password-store=basic \
  --check-for-update-interval=31536000 \
  --ozone-platform-hint=auto \
  "$url"
