# shellcheck shell=bash
# shellcheck disable=SC2034 # screen_changed is read by provision.sh
# The kiosk's screen, sourced by provision.sh: an autologin desktop user whose labwc session
# starts Chromium in kiosk mode on the kiosk's pages, and the policies that lock Chromium to them.
# Uses lib.sh's helpers and sets screen_changed=yes when a reboot is needed to show it.
# LIB (where the scripts go) comes from provision.sh.

# Raspberry Pi OS's Chromium package has read policies from both places over the years.
POLICY_DIRS=(/etc/chromium/policies/managed /etc/chromium-browser/policies/managed)
LIGHTDM=/etc/lightdm/lightdm.conf

# setup_screen USER SRC: USER's screen, from the files in SRC (deploy/kiosk).
setup_screen() {
  local user=$1 here=$2 home dir group
  if ! id -u "$user" >/dev/null 2>&1; then
    run useradd --create-home --shell /bin/bash --comment "fieldkiosk screen" "$user"
    screen_changed=yes
  fi
  for group in video audio render; do
    if getent group "$group" >/dev/null; then ensure_in_group "$user" "$group"; fi
  done
  home=$(getent passwd "$user" | cut -d: -f6) || true
  home=${home:-/home/$user}

  put_file "$here/browser.sh" "$LIB/browser.sh" 0755 root:root || true
  put_file "$here/fieldkiosk-browser.service" /etc/systemd/user/fieldkiosk-browser.service \
    0644 root:root || true
  for dir in "${POLICY_DIRS[@]}"; do
    put_file "$here/chromium-policies.json" "$dir/fieldkiosk.json" 0644 root:root || true
  done
  ensure_dir "$home/.config" 0755 "$user:$user"
  ensure_dir "$home/.config/labwc" 0755 "$user:$user"
  put_file "$here/labwc/autostart" "$home/.config/labwc/autostart" 0644 "$user:$user" \
    && screen_changed=yes
  _autologin "$user"
}

# Raspberry Pi OS: boot to the desktop, logged in as USER, in a labwc (Wayland) session.
# raspi-config does the first two; LightDM reads the user from $LIGHTDM last, so it is set there.
_autologin() {
  local user=$1
  if ! command -v raspi-config >/dev/null || [ ! -f "$LIGHTDM" ]; then
    warn "not Raspberry Pi OS: set up automatic login of $user into a labwc session yourself (deploy/README.md)"
    return 0
  fi
  if grep -qx "autologin-user=$user" "$LIGHTDM" && grep -q '^autologin-session=.*labwc' "$LIGHTDM"; then
    return 0
  fi
  run raspi-config nonint do_wayland W3 || warn "raspi-config could not choose labwc: do it in raspi-config, Advanced Options"
  run raspi-config nonint do_boot_behaviour B4 || warn "raspi-config could not set desktop autologin"
  if grep -q '^#\?autologin-user=' "$LIGHTDM"; then
    run sed -i "s/^#\\?autologin-user=.*/autologin-user=$user/" "$LIGHTDM"
  else
    run sed -i "/^\\[Seat:\\*\\]/a autologin-user=$user" "$LIGHTDM"
  fi
  screen_changed=yes
}
