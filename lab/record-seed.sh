#!/bin/sh
# Records the shipped captures from the seed lab on this host (see captures/README.md):
#   captures/seed-ping.pcap               br_xx bridge: web-bridge-1 pings web-bridge-2 (ARP, 4 echo
#                                         pairs, then web-bridge-2's own ARP probe ~5 s later)
#   captures/seed-default-gateway.pcap    docker0: web-default pings its gateway 172.17.0.1
#   captures/<file>.topology.json         topology snapshot taken right after each capture
#   captures/seed-ping.pcapng             seed-ping.pcap with its snapshot embedded
# Traffic goes only between the lab's containers and their bridge gateway. Needs root, docker.io,
# tcpdump, busybox-static. KEEP_LAB=1 leaves the lab up afterwards.
set -eu
cd "$(dirname "$0")/.."
OUT="${OUT:-captures}"
BUILD="node_modules/.cache/bridgescope-lab"

if ! docker info >/dev/null 2>&1; then
  echo "record-seed: starting dockerd"
  (dockerd >/tmp/dockerd.log 2>&1 &)
  i=0
  until docker info >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt 60 ] || { echo "record-seed: dockerd did not answer, see /tmp/dockerd.log" >&2; exit 1; }
    sleep 1
  done
fi

./lab/build-image.sh
# A private build so a concurrent `npm run build` into dist/ is not disturbed.
npx tsc -p tsconfig.json --outDir "$BUILD" >/dev/null || true
bs() { node "$BUILD/cli/main.js" "$@"; }

bs lab up --image bridgescope-busybox
mkdir -p "$OUT"
BR="br-$(docker network inspect br_xx -f '{{.Id}}' | cut -c1-12)"
# A new bridge sends its own IPv6 DAD and MLD frames for a few seconds: let them pass first, so
# the capture starts, like the seed's, with the ping's ARP.
sleep 4

# capture IFACE FILE SECONDS -- COMMAND...: tcpdump runs on IFACE while COMMAND runs, and for
# SECONDS in total, so late frames (ARP probes) are caught too.
capture() {
  iface="$1"; file="$2"; secs="$3"; shift 4
  log="$(mktemp)"
  tcpdump -i "$iface" -w "$file" --time-stamp-precision=nano -U -n 2>"$log" &
  tpid=$!
  until grep -q 'listening on' "$log"; do sleep 0.1; done
  "$@"
  sleep "$secs"
  kill -INT "$tpid"
  wait "$tpid" || true
  cat "$log" >&2
  rm -f "$log"
}

capture "$BR" "$OUT/seed-ping.pcap" 7 -- docker exec web-bridge-1 ping -c 4 172.30.0.11
bs topology --json >"$OUT/seed-ping.pcap.topology.json"

capture docker0 "$OUT/seed-default-gateway.pcap" 1 -- docker exec web-default ping -c 3 172.17.0.1
bs topology --json >"$OUT/seed-default-gateway.pcap.topology.json"

# The same frames as pcapng with the snapshot inside (an NRB carrying it, if_description).
node --input-type=module -e "
  import { embedSnapshot } from './$BUILD/session/embed-snapshot.js';
  import { loadSnapshotFile } from './$BUILD/session/snapshot-load.js';
  const t = await loadSnapshotFile('$OUT/seed-ping.pcap.topology.json');
  const n = await embedSnapshot('$OUT/seed-ping.pcap', '$OUT/seed-ping.pcapng', '$BR', t);
  console.log('record-seed: wrote $OUT/seed-ping.pcapng with', n, 'frames');
"

tcpdump -nn -e -r "$OUT/seed-ping.pcap"
tcpdump -nn -e -r "$OUT/seed-default-gateway.pcap"
[ "${KEEP_LAB:-0}" = 1 ] || bs lab down
