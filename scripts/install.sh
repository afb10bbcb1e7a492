#!/bin/sh
# Install jetbridge from its release archives.
#
#   curl -fsSL https://raw.githubusercontent.com/jetbridge/jetbridge/main/scripts/install.sh | sh
#
# Downloads the archive for this OS and CPU and checksums.txt, verifies the
# SHA-256, installs the binary to /usr/local/bin (as root) or ~/.local/bin and
# prints the installed version. A checksum mismatch installs nothing.
#
# Environment:
#   JETBRIDGE_VERSION      version to install, e.g. 1.2.0 or v1.2.0 (default: latest)
#   JETBRIDGE_BASE_URL     URL of a directory holding the archives and checksums.txt
#                          (a mirror; default: the GitHub release of that version)
#   JETBRIDGE_INSTALL_DIR  where to put the binary
#
# POSIX sh; needs curl or wget, tar, and sha256sum, shasum or openssl.
set -eu

JETBRIDGE_REPO_URL="https://github.com/jetbridge/jetbridge"

say() { printf 'jetbridge-install: %s\n' "$*"; }
warn() { printf 'jetbridge-install: warning: %s\n' "$*" >&2; }
die() {
	printf 'jetbridge-install: error: %s\n' "$*" >&2
	exit 1
}

detect_os() {
	case "$(uname -s)" in
	Linux) echo linux ;;
	Darwin) echo darwin ;;
	MINGW* | MSYS* | CYGWIN* | Windows_NT)
		die "on Windows, download jetbridge_<version>_windows_<arch>.zip from $JETBRIDGE_REPO_URL/releases"
		;;
	*) die "unsupported operating system: $(uname -s) (release builds exist for Linux, macOS and Windows)" ;;
	esac
}

detect_arch() {
	case "$(uname -m)" in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64 | armv8*) arch=arm64 ;;
	*) die "unsupported CPU architecture: $(uname -m) (release builds exist for amd64 and arm64)" ;;
	esac
	# An x86_64 shell under Rosetta 2 on Apple silicon: take the native build.
	if [ "$1" = darwin ] && [ "$arch" = amd64 ] &&
		[ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
		arch=arm64
	fi
	echo "$arch"
}

# download URL FILE
download() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 3 -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$2" "$1"
	else
		die "neither curl nor wget is installed"
	fi
}

# sha256 FILE: print the lower-case hex SHA-256 of FILE
sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sum=$(sha256sum "$1")
	elif command -v shasum >/dev/null 2>&1; then
		sum=$(shasum -a 256 "$1")
	elif command -v openssl >/dev/null 2>&1; then
		sum=$(openssl dgst -sha256 -r "$1")
	else
		die "no SHA-256 tool found (sha256sum, shasum or openssl)"
	fi
	echo "${sum%% *}" | tr 'A-F' 'a-f'
}

default_install_dir() {
	if [ "$(id -u)" = 0 ]; then
		echo /usr/local/bin
	elif [ -n "${HOME:-}" ]; then
		echo "$HOME/.local/bin"
	else
		die "HOME is not set; set JETBRIDGE_INSTALL_DIR"
	fi
}

main() {
	os=$(detect_os)
	arch=$(detect_arch "$os")
	version=${JETBRIDGE_VERSION:-latest}
	version=${version#v}
	base=${JETBRIDGE_BASE_URL:-}
	if [ -z "$base" ]; then
		if [ "$version" = latest ]; then
			base="$JETBRIDGE_REPO_URL/releases/latest/download"
		else
			base="$JETBRIDGE_REPO_URL/releases/download/v$version"
		fi
	fi
	base=${base%/}
	install_dir=${JETBRIDGE_INSTALL_DIR:-$(default_install_dir)}

	command -v tar >/dev/null 2>&1 || die "tar is not installed"

	tmp=$(mktemp -d 2>/dev/null || mktemp -d -t jetbridge-install)
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	say "downloading $base/checksums.txt"
	download "$base/checksums.txt" "$tmp/checksums.txt" ||
		die "could not download $base/checksums.txt (is version '$version' released?)"

	# checksums.txt lines: "<sha256>  <file>" (a "*" before the file name
	# marks binary mode).
	if [ "$version" = latest ]; then
		# The newest release: its archive for this platform is the one that
		# checksums.txt lists.
		archive=$(awk -v os="$os" -v arch="$arch" '
			{ f = $2; sub(/^\*/, "", f) }
			f ~ ("^jetbridge_.+_" os "_" arch "\\.tar\\.gz$") { print f }' "$tmp/checksums.txt")
		case "$archive" in
		"") die "checksums.txt lists no archive for $os/$arch" ;;
		*"
"*) die "checksums.txt lists several archives for $os/$arch; set JETBRIDGE_VERSION" ;;
		esac
		version=${archive#jetbridge_}
		version=${version%_"$os"_"$arch".tar.gz}
	else
		archive="jetbridge_${version}_${os}_${arch}.tar.gz"
	fi

	expected=$(awk -v want="$archive" '
		{ f = $2; sub(/^\*/, "", f) }
		f == want { print tolower($1); exit }' "$tmp/checksums.txt")
	case "$expected" in
	"") die "checksums.txt has no entry for $archive" ;;
	*[!0-9a-f]*) die "checksums.txt has a malformed entry for $archive" ;;
	esac
	[ ${#expected} -eq 64 ] || die "checksums.txt has a malformed entry for $archive"

	say "downloading $base/$archive"
	download "$base/$archive" "$tmp/$archive" || die "could not download $base/$archive"

	actual=$(sha256 "$tmp/$archive")
	if [ "$actual" != "$expected" ]; then
		die "checksum mismatch for $archive:
  expected (checksums.txt): $expected
  downloaded file:          $actual
The download is corrupt or was tampered with. Nothing was installed."
	fi
	say "checksum verified ($actual)"

	mkdir "$tmp/unpacked"
	tar -xzf "$tmp/$archive" -C "$tmp/unpacked" jetbridge ||
		die "could not unpack jetbridge from $archive"
	[ -f "$tmp/unpacked/jetbridge" ] || die "$archive holds no jetbridge binary"

	mkdir -p "$install_dir" 2>/dev/null ||
		die "cannot create $install_dir; run as root or set JETBRIDGE_INSTALL_DIR"
	# Copy next to the target, then rename: a running jetbridge is replaced
	# atomically and a failed copy leaves the old binary in place.
	staged="$install_dir/.jetbridge.install.$$"
	if ! cp "$tmp/unpacked/jetbridge" "$staged" 2>/dev/null; then
		rm -f "$staged"
		die "cannot write to $install_dir; run as root (sudo sh) or set JETBRIDGE_INSTALL_DIR"
	fi
	chmod 0755 "$staged"
	mv -f "$staged" "$install_dir/jetbridge" || {
		rm -f "$staged"
		die "cannot install $install_dir/jetbridge"
	}
	say "installed jetbridge $version to $install_dir/jetbridge"

	case ":${PATH:-}:" in
	*":$install_dir:"*) ;;
	*) warn "$install_dir is not on your PATH; add it, e.g.: export PATH=\"$install_dir:\$PATH\"" ;;
	esac

	"$install_dir/jetbridge" version || die "the installed binary does not run on this system"
	say "next: create a configuration with 'jetbridge init'"
}

main "$@"
