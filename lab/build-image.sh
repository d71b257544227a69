#!/bin/sh
# Builds the local test image bridgescope-busybox:latest with `docker import` from a root folder
# holding the static busybox (Debian package busybox-static) and its applet symlinks. There is no
# registry on these machines, so nothing is ever pulled. Idempotent: an existing image is kept
# unless FORCE=1.
set -eu

IMAGE="${IMAGE:-bridgescope-busybox:latest}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
APPLETS="sh ash ping sleep ip ifconfig arping httpd nc cat ls echo ps route netstat hostname \
  brctl wget true false kill mkdir rm cp mv grep sed awk head tail tr wc env id uname date"

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "build-image: $IMAGE already present"
  exit 0
fi
if ! "$BUSYBOX" --list >/dev/null 2>&1; then
  echo "build-image: $BUSYBOX is not a working busybox; apt-get install busybox-static" >&2
  exit 1
fi
# A dynamically linked busybox would need a libc inside the image.
if command -v file >/dev/null 2>&1 && ! file -L "$BUSYBOX" | grep -q 'statically linked'; then
  echo "build-image: $BUSYBOX is not statically linked; apt-get install busybox-static" >&2
  exit 1
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev" "$root/var/www"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $APPLETS; do ln -s busybox "$root/bin/$applet"; done
echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo 'bridgescope lab' >"$root/var/www/index.html"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change 'CMD ["/bin/sh"]' \
  --change 'LABEL io.bridgescope.lab=image' \
  - "$IMAGE" >/dev/null
echo "build-image: built $IMAGE"
