#!/usr/bin/env bash
# Starts tests/interop/aiosmtpd_server.py in the background (replacing one this script started
# before) and waits until it accepts connections. Port: $ASYNCSMTP_AIOSMTPD_PORT or 8025 (and the
# next port for the HELO-only listener). Writes <repo>/out/interop/aiosmtpd.json (or under
# $ASYNCSMTP_INTEROP_DIR); the messages it receives go to <that dir>/aiosmtpd/messages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
info_dir="${ASYNCSMTP_INTEROP_DIR:-$repo/out/interop}"
port="${ASYNCSMTP_AIOSMTPD_PORT:-8025}"
data="$info_dir/aiosmtpd"
pidfile="$info_dir/aiosmtpd.pid"
python=/usr/bin/python3

"$python" -c 'import aiosmtpd' 2>/dev/null || { echo "start-aiosmtpd: $python has no aiosmtpd (apt-get install python3-aiosmtpd)" >&2; exit 1; }
mkdir -p "$data"

if [[ -f $pidfile ]]; then
    old="$(cat "$pidfile")"
    if kill -0 "$old" 2>/dev/null; then
        kill "$old"
        for _ in $(seq 1 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
fi
rm -f "$info_dir/aiosmtpd.json"
# A new server starts with an empty record, so the tests never read an earlier run's messages.
rm -rf "$data/messages"

setsid "$python" "$here/aiosmtpd_server.py" --port "$port" --dir "$data" --info "$info_dir/aiosmtpd.json" \
    </dev/null >"$info_dir/aiosmtpd.log" 2>&1 &
echo $! >"$pidfile"

# Ready when the info file exists (written after both listeners started) and the port greets.
for _ in $(seq 1 100); do
    if [[ -f $info_dir/aiosmtpd.json ]] && exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
        IFS= read -r -t 5 greeting <&3 || true
        exec 3>&-
        [[ ${greeting:-} == 220* ]] && { echo "aiosmtpd ready on 127.0.0.1:$port (pid $(cat "$pidfile"))"; exit 0; }
    fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || break
    sleep 0.2
done
echo "start-aiosmtpd: the server did not start; its log:" >&2
cat "$info_dir/aiosmtpd.log" >&2
exit 1
