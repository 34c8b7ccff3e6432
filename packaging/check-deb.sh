#!/usr/bin/env bash
# Checks the Debian package given as $1 the way a user meets it, and fails on the first
# problem:
#   - lintian reports no error (warnings are printed; docs/INSTALL.md explains them);
#   - the menu entry and the AppStream metadata validate;
#   - installed with apt, `accoglienza --version` runs and `man -w accoglienza` finds the manual;
#   - the menu entry's command, on a new account with nothing but HOME and DISPLAY, opens
#     the window under Xvfb: the database is created in the data folder, the window carries
#     the application id and the icon, and a screenshot is not blank (stddev > 0);
#   - a second start finds the database open and says so in a window, which Esc closes;
#   - removed, then purged, the package leaves no program behind and the user's data in place.
# Needs lintian desktop-file-utils appstream xvfb imagemagick xdotool x11-utils man-db
# (.ci/run installs them). Root or sudo. The screenshot goes to $SHOT_DIR
# (default target/package-check/).
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(realpath "$1")
app_id=it.accoglienza.Accoglienza
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
shots=${SHOT_DIR:-target/package-check}
mkdir -p "$shots"
work=$(mktemp -d)
pids=()

step() { echo "== $*"; }
fail() {
    echo "FAILED: $*" >&2
    exit 1
}
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if dpkg-query -W -f='${Status}' accoglienza 2>/dev/null | grep -q "ok installed"; then
        $SUDO dpkg --purge accoglienza >/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step "lintian"
lintian --fail-on error "$deb"

step "menu entry and AppStream metadata"
desktop-file-validate "packaging/linux/$app_id.desktop"
appstreamcli validate --no-net "packaging/linux/$app_id.metainfo.xml"

step "install"
# Minimal container images tell dpkg to skip /usr/share/man: let this package's pages in.
$SUDO apt-get install -y -qq --no-install-recommends \
    -o "DPkg::Options::=--path-include=/usr/share/man/man1/accoglienza*" "$deb" >/dev/null
[ "$(command -v accoglienza)" = /usr/bin/accoglienza ] || fail "accoglienza is not /usr/bin/accoglienza"
accoglienza --version
man_cmd=man
[ -x /usr/bin/man.REAL ] && man_cmd=/usr/bin/man.REAL # Ubuntu's minimised images divert man
$man_cmd -w accoglienza
[ -f "/usr/share/applications/$app_id.desktop" ] || fail "no menu entry"
[ -f "/usr/share/icons/hicolor/48x48/apps/$app_id.png" ] || fail "no icon"

step "first start from the menu entry, under Xvfb"
Xvfb -displayfd 9 -screen 0 1400x900x24 -nolisten tcp 9>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.2; done
[ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=":$(cat "$work/display")"
home="$work/home"
mkdir -p "$home"
read -r -a exec_line < <(sed -n 's/^Exec=//p' "/usr/share/applications/$app_id.desktop")
# As the desktop starts it: no terminal, no variables but the essentials, from the home.
(cd "$home" && exec env -i HOME="$home" PATH=/usr/bin:/bin DISPLAY="$DISPLAY" \
    "${exec_line[@]}" >"$work/first.log" 2>&1) &
first=$!
pids+=("$first")
window=$(timeout 60 xdotool search --sync --onlyvisible --pid "$first" | head -n 1) ||
    fail "no window within 60 s: $(cat "$work/first.log")"
sleep 3 # a few frames
[ -f "$home/.local/share/accoglienza/accoglienza.redb" ] ||
    fail "no database in the data folder: $(find "$home" -type f)"
xprop -id "$window" WM_CLASS | grep -q "\"$app_id\"" || fail "window without the application id"
xprop -id "$window" -f _NET_WM_ICON 32c '=$0x$1\n' _NET_WM_ICON | grep -q '=256x256' ||
    fail "window without its 256×256 icon"
import -window root "$shots/installed.png"
stddev=$(identify -format '%[fx:standard_deviation]' "$shots/installed.png")
echo "screenshot $shots/installed.png, standard deviation $stddev"
awk -v s="$stddev" 'BEGIN { exit !(s > 0) }' || fail "the screenshot is blank"

step "second start: the database is already open, said in a window"
(cd "$home" && exec env -i HOME="$home" PATH=/usr/bin:/bin DISPLAY="$DISPLAY" \
    /usr/bin/accoglienza >"$work/second.log" 2>&1) &
second=$!
pids+=("$second")
problem=$(timeout 60 xdotool search --sync --onlyvisible --pid "$second" | head -n 1) ||
    fail "no problem window within 60 s: $(cat "$work/second.log")"
sleep 2
import -window root "$shots/already-open.png"
xdotool windowfocus --sync "$problem" key Escape
status=0
timeout 20 tail --pid="$second" -f /dev/null || fail "the problem window did not close on Esc"
wait "$second" || status=$?
[ "$status" -eq 1 ] || fail "the second start exited with $status, expected 1"
grep -q "già aperto" "$work/second.log" || fail "no message on standard error: $(cat "$work/second.log")"
kill "$first"

step "remove and purge"
$SUDO apt-get remove -y -qq accoglienza >/dev/null
[ ! -e /usr/bin/accoglienza ] || fail "/usr/bin/accoglienza left after removal"
$SUDO dpkg --purge accoglienza >/dev/null
[ ! -e "/usr/share/applications/$app_id.desktop" ] || fail "menu entry left after purge"
[ -f "$home/.local/share/accoglienza/accoglienza.redb" ] || fail "purging deleted the user's data"
echo "package checked: $deb"
