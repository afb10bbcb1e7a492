#!/bin/sh
# Prepare the state directory and tell the administrator the next step. The
# service is not started: it needs a project, token and database first.
set -e

install -d -m 0750 -o jetbridge -g jetbridge /var/lib/jetbridge 2>/dev/null ||
	mkdir -p /var/lib/jetbridge
# The config holds secrets: readable by the service user only.
if [ -f /etc/jetbridge/jet.conf ]; then
	chown jetbridge:jetbridge /etc/jetbridge/jet.conf
	chmod 0600 /etc/jetbridge/jet.conf
fi

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	if systemctl is-active --quiet jetbridge.service; then
		systemctl try-restart jetbridge.service >/dev/null 2>&1 || true
	fi
	start="sudo systemctl enable --now jetbridge"
elif command -v rc-update >/dev/null 2>&1; then
	start="sudo rc-update add jetbridge && sudo rc-service jetbridge start"
else
	start="sudo -u jetbridge jetbridge serve --config /etc/jetbridge/jet.conf"
fi

cat <<MSG
jetbridge is installed. Next steps:
  1. Set PROJECT, TOKEN and the DATABASE_* settings in /etc/jetbridge/jet.conf
     (it must stay readable by the jetbridge user: owner jetbridge, mode 0600)
  2. Start the service: $start
MSG
exit 0
