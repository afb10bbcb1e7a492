#!/bin/sh
# Create the unprivileged jetbridge system user and group before the files
# (the config is owned by that user) are unpacked. Works with shadow-utils
# (Debian, RPM distributions) and BusyBox (Alpine).
set -e

home=/var/lib/jetbridge
nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/sbin/nologin
[ -x "$nologin" ] || nologin=/bin/false

if ! grep -q '^jetbridge:' /etc/group 2>/dev/null; then
	if command -v groupadd >/dev/null 2>&1; then
		groupadd --system jetbridge
	else
		addgroup -S jetbridge
	fi
fi

if ! id jetbridge >/dev/null 2>&1; then
	if command -v useradd >/dev/null 2>&1; then
		useradd --system --gid jetbridge --home-dir "$home" --no-create-home \
			--shell "$nologin" --comment "jetbridge service" jetbridge
	else
		adduser -S -D -H -h "$home" -s "$nologin" -G jetbridge -g "jetbridge service" jetbridge
	fi
fi
exit 0
