#!/usr/bin/env bash
# Garbage on the udp daemon's port: random datagrams of random sizes must be counted and dropped,
# and the daemon must keep running and stop cleanly on SIGTERM. In its own namespace (prefix olv,
# removed on any exit), never in the root one.
set -u
OL=$1
ns=olvfuzz$$
cleanup() { ip netns del "$ns" 2>/dev/null; }
trap cleanup EXIT INT TERM
ip netns add "$ns" || { echo "skipped: cannot create a network namespace"; exit 77; }
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add dev flannel0 mode tun
ip -n "$ns" addr add 10.244.1.0/32 dev flannel0
ip -n "$ns" link set dev flannel0 up
log=$(mktemp)
ip netns exec "$ns" "$OL" udpd --tun flannel0 --bind 127.0.0.1:8285 --tun-addr 10.244.1.0 \
  --route 10.244.2.0/24=127.0.0.1:8285 2> "$log" &
pid=$!
for i in $(seq 50); do grep -q ':205D ' <(ip netns exec "$ns" cat /proc/net/udp) && break; sleep 0.05; done
ip netns exec "$ns" bash -c 'for i in $(seq 300); do head -c $((RANDOM % 1400 + 1)) /dev/urandom > /dev/udp/127.0.0.1/8285; done'
sleep 0.2
kill -0 "$pid" && echo "alive after 300 garbage datagrams"
kill -TERM "$pid"; wait "$pid"; echo "exit=$?"
cat "$log"; rm -f "$log"
