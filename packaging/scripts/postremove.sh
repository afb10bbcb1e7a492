#!/bin/sh
# Reload systemd after the unit file is gone. The jetbridge user, the config
# (a config|noreplace file) and /var/lib/jetbridge are kept: they may hold data.
set -e
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
