#!/usr/bin/env bash
# Times `bash .ci/run` on a fresh machine: a new Debian bookworm (debootstrap,
# minbase) with only what a new machine of ours has (Node.js and npm, copied
# from this one; python3, make, g++, git), so every Debian package and npm
# dependency the tests need is installed by the run itself. Runs in a chroot
# inside a private mount namespace; the machine's own packages, pcscd and
# routes are not touched. Needs root, debootstrap and the Debian mirror.
#
#   bash scripts/fresh-machine.sh [DIR]   (default DIR: /var/tmp/wfa-fresh-machine; emptied first)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-/var/tmp/wfa-fresh-machine}
root=$dir/root
[ "$(id -u)" = 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh-machine: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
rm -rf "$root" && mkdir -p "$dir"
echo "fresh-machine: debootstrap into $root"
debootstrap --variant=minbase --include=python3,make,g++,git,ca-certificates,procps bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$dir/debootstrap.log"

# What a new machine of ours has besides Debian: Node.js with npm (and Node's
# headers for node-gyp), the apt sources and the registry's certificates.
cp /usr/bin/node "$root/usr/bin/node"
mkdir -p "$root/usr/lib/node_modules" && cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$root/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
[ -d /usr/include/node ] && cp -a /usr/include/node "$root/usr/include/"
for f in /root/.npmrc /usr/etc/npmrc; do [ -f "$f" ] && mkdir -p "$root$(dirname "$f")" && cp "$f" "$root$f"; done
[ -d /usr/local/share/ca-certificates ] && cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
chroot "$root" update-ca-certificates >/dev/null
rm -f "$root/etc/apt/sources.list" && cp -a /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/"
cp -a /etc/apt/apt.conf.d/. "$root/etc/apt/apt.conf.d/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
git clone -q "$repo" "$root/root/p"

echo "fresh-machine: CI=true bash .ci/run in the new machine (log: $dir/run.log)"
start=$(date +%s)
set +e
unshare --mount --propagation private bash -c "
  mount -t proc proc '$root/proc' && mount --rbind /sys '$root/sys' && mount --rbind /dev '$root/dev' &&
  mount -t tmpfs tmpfs '$root/dev/shm' && mount -t tmpfs tmpfs '$root/tmp' &&
  exec chroot '$root' /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CI=true LANG=C.UTF-8 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt bash -c 'cd /root/p && bash .ci/run </dev/null'
" >"$dir/run.log" 2>&1
code=$?
set -e
tail -n 25 "$dir/run.log"
echo "fresh-machine: bash .ci/run exited $code after $(( $(date +%s) - start )) s (the debootstrap before it not counted)"
exit $code
