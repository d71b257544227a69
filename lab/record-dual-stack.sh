#!/bin/sh
# Records captures/dual-stack-ping.pcapng (see captures/README.md) on a dual-stack Docker network
# of its own, shopnet6 (fd42:b7::/64 and 172.27.9.0/24, bridge br-shopnet6), with bridgescope's
# own writer, so the topology snapshot travels inside the file:
#   alpha-web pings beta-db over IPv6 from a cold neighbour cache (NS/NA, then 3 echo6 pairs),
#   solicits fd42:b7::99, which nobody owns (unanswered NS), and sends one UDP datagram to a
#   closed port of beta-db (ICMPv6 port unreachable quoting it).
# Traffic goes only between the lab's two containers (and their bridge's own NDP). Needs root,
# docker.io, busybox-static, nsenter and bash. Everything it creates carries the lab label and is
# removed at the end (also by `bridgescope lab down`).
set -eu
cd "$(dirname "$0")/.."
OUT="${OUT:-captures}"
NET=shopnet6
BR=br-shopnet6
LABEL="io.bridgescope.lab=seed"

docker info >/dev/null 2>&1 || { echo "record-dual-stack: dockerd is not running" >&2; exit 1; }
./lab/build-image.sh
# dist/, where the native addon is found (native/build beside it).
npx tsc -p tsconfig.json
bs() { node dist/cli/main.js "$@"; }

cleanup() {
  docker rm -f alpha-web beta-db >/dev/null 2>&1 || true
  docker network rm "$NET" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
docker network create --label "$LABEL" --ipv6 --subnet fd42:b7::/64 --gateway fd42:b7::1 \
  --subnet 172.27.9.0/24 --gateway 172.27.9.1 -o com.docker.network.bridge.name="$BR" "$NET" >/dev/null
for c in alpha-web beta-db; do
  docker run -d --label "$LABEL" --name "$c" --network "$NET" bridgescope-busybox:latest sleep 1000000 >/dev/null
done
pid() { docker inspect -f '{{.State.Pid}}' "$1"; }
BETA6="$(docker inspect -f "{{(index .NetworkSettings.Networks \"$NET\").GlobalIPv6Address}}" beta-db)"
# The new interfaces' DAD, MLD reports and router solicitations pass first, so the capture starts
# with the ping's own Neighbor Discovery; then both neighbour caches are emptied.
sleep 4
for c in alpha-web beta-db; do nsenter -t "$(pid "$c")" -n ip -6 neigh flush all; done

mkdir -p "$OUT"
rm -f "$OUT/dual-stack-ping.pcapng"
bs capture "$BR" -w "$OUT/dual-stack-ping.pcapng" --duration 7s --no-tui >/dev/null &
cap=$!
sleep 1.5
A="$(pid alpha-web)"
nsenter -t "$A" -n ping -6 -n -c 3 -i 0.2 "$BETA6"
nsenter -t "$A" -n ping -6 -n -c 1 -W 2 fd42:b7::99 || true
nsenter -t "$A" -n bash -c "echo bridgescope >/dev/udp/$BETA6/33434"
wait "$cap" || true
tshark -r "$OUT/dual-stack-ping.pcapng" -Y icmpv6 -T fields -e frame.number -e ipv6.src -e ipv6.dst -e icmpv6.type
