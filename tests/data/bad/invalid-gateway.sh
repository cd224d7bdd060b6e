# host-gw to a peer that is not on a connected subnet (nodes behind a router)
ip netns add n1
ip -n n1 link add eth0 type veth peer name p0
ip -n n1 addr add 192.168.1.1/24 dev eth0
ip -n n1 link set dev eth0 up
ip -n n1 link set dev p0 up
ip -n n1 route add 10.244.2.0/24 via 192.168.2.1 dev eth0
