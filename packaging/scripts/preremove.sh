#!/bin/sh
# Stop and disable the service when the package is removed (not on upgrade).
# deb passes "remove"/"upgrade", rpm the number of versions left (0 = erase),
# apk the old version on pre-deinstall (no upgrade call).
set -e

case "${1:-}" in
upgrade | failed-upgrade) exit 0 ;;
'' | 0 | *[!0-9]*) ;; # deb remove, rpm erase, apk deinstall (old version)
*) exit 0 ;;          # rpm: versions left after this one, an upgrade
esac

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl disable --now jetbridge.service >/dev/null 2>&1 || true
elif command -v rc-service >/dev/null 2>&1; then
	rc-service jetbridge stop >/dev/null 2>&1 || true
	rc-update del jetbridge >/dev/null 2>&1 || true
fi
exit 0
