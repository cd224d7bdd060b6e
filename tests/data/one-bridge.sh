# Two pods on one node's cni0 bridge.
#
#   pod-1 (10.244.1.2) eth0 ──veth── vethaaaa0001 ┐
#                                                 cni0 10.244.1.1/24   [node-1]
#   pod-2 (10.244.1.3) eth0 ──veth── vethaaaa0002 ┘
#
# test setup
ip netns add node-1
ip netns add pod-1
ip netns add pod-2
ip -n node-1 link add cni0 address 0a:58:0a:f4:01:01 type bridge
ip -n node-1 link set dev cni0 up
ip -n node-1 addr add 10.244.1.1/24 dev cni0
ip -n node-1 link add vethaaaa0001 address 02:aa:00:00:01:01 type veth peer name eth0 address 0a:58:0a:f4:01:02 netns pod-1
ip -n node-1 link set dev vethaaaa0001 master cni0 up
ip -n pod-1 link set dev lo up
ip -n pod-1 link set dev eth0 up
ip -n pod-1 addr add 10.244.1.2/24 dev eth0
ip -n node-1 link add vethaaaa0002 address 02:aa:00:00:01:02 type veth peer name eth0 address 0a:58:0a:f4:01:03 netns pod-2
ip -n node-1 link set dev vethaaaa0002 master cni0 up
ip -n pod-2 link set dev lo up
ip -n pod-2 link set dev eth0 up
ip -n pod-2 addr add 10.244.1.3/24 dev eth0
