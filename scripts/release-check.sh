#!/usr/bin/env bash
# Check the release pipeline end to end, without publishing anything.
#
#   bash scripts/release-check.sh          full: goreleaser check, a snapshot
#                                          release of every target (archives,
#                                          packages, cask), the built binary, and
#                                          scripts/install.sh against dist/
#   bash scripts/release-check.sh --quick  CI: goreleaser check, a single-target
#                                          build, a hand-made archive and
#                                          checksums, and the install-script test
#
# goreleaser is installed from the Go module proxy at the pinned version below
# into $(go env GOBIN) or $(go env GOPATH)/bin, and reused when already there.
# Needs: go, git, python3 (loopback HTTP server), curl or wget, tar, sha256sum
# or shasum. Writes dist/, completions/ and manpages/ (all generated).
set -euo pipefail

GORELEASER_VERSION=v2.15.4
MODULE=github.com/jetbridge/jetbridge

mode=full
case "${1:-}" in
"") ;;
--quick) mode=quick ;;
-h | --help)
	sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "usage: $0 [--quick]" >&2
	exit 2
	;;
esac

cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="/usr/local/go/bin:$PATH"

# ---- output, timings, cleanup ----------------------------------------------

timings=()
start_all=$SECONDS
step_name=""
step_start=0
step() {
	end_step
	step_name=$1
	step_start=$SECONDS
	printf '\n== %s\n' "$step_name"
}
end_step() {
	if [ -n "$step_name" ]; then
		timings+=("$(printf '%4ds  %s' $((SECONDS - step_start)) "$step_name")")
		step_name=""
	fi
}
fail() {
	printf 'release-check: FAIL: %s\n' "$*" >&2
	exit 1
}
ok() { printf '  ok: %s\n' "$*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/jetbridge-release-check.XXXXXX")
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# ---- goreleaser ------------------------------------------------------------

gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
goreleaser="$gobin/goreleaser"

step "goreleaser $GORELEASER_VERSION"
if [ -x "$goreleaser" ] &&
	go version -m "$goreleaser" 2>/dev/null |
	grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/goreleaser/goreleaser/v2[[:space:]]+${GORELEASER_VERSION}[[:space:]]"; then
	ok "reusing $goreleaser"
else
	echo "  installing github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION (takes a few minutes)"
	GOFLAGS='' go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
	ok "installed $goreleaser"
fi

# A clone without a remote (a fresh `git init`, or a copy) makes goreleaser
# drop all git information (commit "none", date 0001-01-01). Give it the
# project URL through git's environment, leaving .git/config alone.
if [ -z "$(git remote 2>/dev/null)" ]; then
	n=${GIT_CONFIG_COUNT:-0}
	export "GIT_CONFIG_KEY_$n=remote.origin.url"
	export "GIT_CONFIG_VALUE_$n=https://$MODULE.git"
	export GIT_CONFIG_COUNT=$((n + 1))
fi
commit=$(git rev-parse HEAD)

# ---- goreleaser check --------------------------------------------------------

step "goreleaser check"
if ! "$goreleaser" check >"$work/check.log" 2>&1; then
	cat "$work/check.log"
	fail "goreleaser check reported errors"
fi
if grep -Eqi 'deprecat|warn' "$work/check.log"; then
	cat "$work/check.log"
	fail "goreleaser check reported deprecations or warnings"
fi
ok "goreleaser.yaml is valid, no deprecations"

# ---- build -----------------------------------------------------------------

host_os=$(go env GOOS)
host_arch=$(go env GOARCH)

if [ "$mode" = full ]; then
	step "goreleaser release --snapshot --clean --skip=publish,docker,sign"
	"$goreleaser" release --snapshot --clean --skip=publish,docker,sign
else
	step "goreleaser build --snapshot --single-target --clean"
	"$goreleaser" build --snapshot --single-target --clean
fi

version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' dist/metadata.json)
binary=$(find dist -path "dist/jetbridge_${host_os}_${host_arch}*/jetbridge" -type f | head -n 1)
[ -n "$binary" ] || fail "no $host_os/$host_arch binary in dist/"

step "built binary: jetbridge version"
"$binary" version | tee "$work/version.txt"
grep -qx "jetbridge $version" "$work/version.txt" || fail "version line is not 'jetbridge $version'"
grep -qx "commit: $commit" "$work/version.txt" || fail "commit line is not 'commit: $commit'"
grep -Eqx 'date: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z' "$work/version.txt" || fail "date line is not an RFC 3339 time"
grep -qx "go: go[0-9.]*" "$work/version.txt" || fail "no go version line"
[ "$("$binary" --version)" = "$(cat "$work/version.txt")" ] || fail "--version differs from version"
"$binary" completion bash | grep -q '__start_jetbridge' || fail "completion bash"
ok "version $version, commit $commit, --version and completion bash work"
# The bash completion script, driven as bash would (needs bash-completion).
if [ -f /usr/share/bash-completion/bash_completion ]; then
	reply=$(PATH="$(dirname "$binary"):$PATH" bash -c '
		source /usr/share/bash-completion/bash_completion
		source <(jetbridge completion bash)
		COMP_WORDS=(jetbridge ver); COMP_CWORD=1; COMP_LINE="jetbridge ver"; COMP_POINT=${#COMP_LINE}
		__start_jetbridge
		echo "${COMPREPLY[*]}"' 2>/dev/null)
	[ "$reply" = version ] || fail "bash completion of 'jetbridge ver' gave '$reply', want 'version'"
	ok "bash completes 'jetbridge ver' to 'version'"
fi
if [ -f manpages/jetbridge.1.gz ]; then
	gzip -dc manpages/jetbridge.1.gz | grep -q "^\.TH \"JETBRIDGE\" \"1\" \".*\" \"jetbridge $version\"" ||
		fail "manpages/jetbridge.1.gz has no title line for jetbridge $version"
	ok "man page jetbridge.1.gz for jetbridge $version"
fi
if command -v file >/dev/null 2>&1; then
	file "$binary" | grep -q 'statically linked' || fail "binary is not statically linked: $(file "$binary")"
	ok "statically linked"
fi

# ---- archives, checksums, packages --------------------------------------------

www="$work/www"
mkdir -p "$www/good"
archive="jetbridge_${version}_${host_os}_${host_arch}.tar.gz"

if [ "$mode" = full ]; then
	step "artifacts"
	(cd dist && sha256sum -c --quiet checksums.txt) || fail "dist/checksums.txt does not match the artifacts"
	ok "checksums.txt matches"
	for os in linux darwin windows; do
		for arch in amd64 arm64; do
			ext=tar.gz
			[ "$os" = windows ] && ext=zip
			f="dist/jetbridge_${version}_${os}_${arch}.$ext"
			[ -f "$f" ] || fail "missing $f"
			grep -q " ${f#dist/}\$" dist/checksums.txt || fail "$f not in checksums.txt"
		done
	done
	ok "6 archives listed in checksums.txt"
	tar -tzf "dist/$archive" >"$work/archive.txt"
	for want in jetbridge README.md LICENSE completions/jetbridge.bash completions/_jetbridge \
		completions/jetbridge.fish completions/jetbridge.ps1 manpages/jetbridge.1.gz; do
		grep -qx "$want" "$work/archive.txt" || fail "$archive lacks $want"
	done
	ok "$archive holds the binary, README, LICENSE, completions and man pages"
	for pattern in '*.deb' '*.rpm' '*.apk'; do
		[ "$(find dist -maxdepth 1 -name "$pattern" | wc -l)" -eq 2 ] || fail "expected 2 $pattern packages"
	done
	ok "deb, rpm and apk for amd64 and arm64"
	[ -f dist/homebrew/Casks/jetbridge.rb ] || fail "no Homebrew cask"
	grep -q 'jetbridge init' dist/homebrew/Casks/jetbridge.rb || fail "cask caveats lack 'jetbridge init'"
	ok "Homebrew cask dist/homebrew/Casks/jetbridge.rb"
	if command -v dpkg-deb >/dev/null 2>&1; then
		deb=$(find dist -maxdepth 1 -name '*_amd64.deb' | head -n 1)
		dpkg-deb -c "$deb" >"$work/deb.txt"
		grep -Eq '^-rw------- jetbridge/jetbridge .* \./etc/jetbridge/jet\.conf$' "$work/deb.txt" ||
			fail "$deb: jet.conf is not 0600 jetbridge/jetbridge"
		grep -q ' \./usr/lib/systemd/system/jetbridge\.service$' "$work/deb.txt" || fail "$deb: no systemd unit"
		grep -q ' \./usr/bin/jetbridge$' "$work/deb.txt" || fail "$deb: no binary"
		dpkg-deb -f "$deb" Package | grep -qx jetbridge || fail "$deb: wrong package name"
		dpkg-deb -I "$deb" conffiles | grep -qx /etc/jetbridge/jet.conf || fail "$deb: jet.conf is not a conffile"
		ok "$deb: binary, unit, conffile jet.conf 0600 jetbridge"
	fi

	step "reproducibility: a second snapshot release"
	cp dist/checksums.txt "$work/checksums.first"
	"$goreleaser" release --snapshot --clean --skip=publish,docker,sign >"$work/second.log" 2>&1 || {
		cat "$work/second.log"
		fail "second snapshot release failed"
	}
	if ! diff "$work/checksums.first" dist/checksums.txt; then
		fail "a second release of the same commit produced different archives or packages"
	fi
	ok "identical checksums for every archive and package"
	ln -s "$root/dist/$archive" "$www/good/$archive"
	cp dist/checksums.txt "$www/good/checksums.txt"
else
	step "hand-made archive and checksums.txt"
	stage="$work/stage"
	mkdir -p "$stage"
	cp "$binary" LICENSE "$stage/"
	if [ -f README.md ]; then cp README.md "$stage/"; else echo "  note: no README.md yet"; fi
	cp -R completions manpages "$stage/"
	(cd "$stage" && tar -czf "$www/good/$archive" -- *)
	(cd "$www/good" && sha256sum "$archive" >checksums.txt)
	cat "$www/good/checksums.txt"
fi

# ---- install script ----------------------------------------------------------

step "scripts/install.sh against a loopback mirror"
sh_bin="sh"
command -v dash >/dev/null 2>&1 && sh_bin=dash
sh -n scripts/install.sh || fail "install.sh has syntax errors"

# Tampered mirrors: a wrong checksum line, and a replaced archive.
mkdir -p "$www/bad-sum" "$www/bad-archive"
cp "$www/good/$archive" "$www/bad-sum/$archive"
awk -v f="$archive" '$2 == f || $2 == "*" f { $1 = "0000000000000000000000000000000000000000000000000000000000000000" } 1' \
	"$www/good/checksums.txt" >"$www/bad-sum/checksums.txt"
cmp -s "$www/good/checksums.txt" "$www/bad-sum/checksums.txt" && fail "could not tamper with checksums.txt"
cp "$www/good/checksums.txt" "$www/bad-archive/checksums.txt"
{
	cat "$www/good/$archive"
	echo tampered
} >"$www/bad-archive/$archive"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 -m http.server --bind 127.0.0.1 --directory "$www" "$port" >"$work/http.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 50); do
	curl -fsS -o /dev/null "$base/good/checksums.txt" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "$base/good/checksums.txt" || fail "loopback HTTP server did not start on $base"
ok "serving $www on $base ($sh_bin runs install.sh)"

run_install() { # dir url [version]
	env JETBRIDGE_INSTALL_DIR="$1" JETBRIDGE_BASE_URL="$2" JETBRIDGE_VERSION="${3:-}" \
		"$sh_bin" scripts/install.sh
}
check_installed() { # dir
	[ -x "$1/jetbridge" ] || fail "install.sh did not install $1/jetbridge"
	"$1/jetbridge" version >"$work/installed.txt"
	grep -qx "jetbridge $version" "$work/installed.txt" || fail "installed binary reports: $(head -n 1 "$work/installed.txt")"
	cmp -s "$1/jetbridge" "$binary" || fail "installed binary differs from the built one"
}

run_install "$work/bin-pinned" "$base/good" "v$version" | tee "$work/install.log"
check_installed "$work/bin-pinned"
grep -q "^jetbridge $version\$" "$work/install.log" || fail "install.sh did not print the installed version"
ok "JETBRIDGE_VERSION=v$version: installed and ran $work/bin-pinned/jetbridge"

run_install "$work/bin-latest" "$base/good/" >/dev/null 2>&1 || fail "install.sh without JETBRIDGE_VERSION failed"
check_installed "$work/bin-latest"
ok "no JETBRIDGE_VERSION (latest in checksums.txt): installed and ran"

for bad in bad-sum bad-archive; do
	dir="$work/bin-$bad"
	if run_install "$dir" "$base/$bad" "$version" >"$work/$bad.log" 2>&1; then
		cat "$work/$bad.log"
		fail "install.sh succeeded against the $bad mirror"
	fi
	grep -q 'checksum mismatch' "$work/$bad.log" || {
		cat "$work/$bad.log"
		fail "install.sh failed against $bad without saying 'checksum mismatch'"
	}
	[ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || fail "install.sh left files in $dir after a checksum mismatch"
	ok "$bad: aborted with 'checksum mismatch', installed nothing"
done

if run_install "$work/bin-missing" "$base/good" 0.0.0-nonexistent >"$work/missing.log" 2>&1; then
	fail "install.sh succeeded for a version that does not exist"
fi
ok "unknown version: clear error ($(tail -n 1 "$work/missing.log"))"

end_step
printf '\n== timings (%s mode)\n' "$mode"
printf '%s\n' "${timings[@]}"
printf '%4ds  total\n' $((SECONDS - start_all))
if [ "$mode" = full ]; then
	printf '\n== dist/\n'
	ls -l dist
fi
echo "release-check: PASS ($mode)"
