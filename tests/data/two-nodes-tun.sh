# Two nodes, one pod each, the UDP backend's kernel side: TUN flannel0 and one route per node.
# The user-space daemon that reads flannel0 is not part of the script (the test plays it).
#
#   pod-a1 10.244.1.2 ─ cni0 10.244.1.1 [node-a] eth0 192.168.100.1 ─┐
#                                                            underlay: br0
#   pod-b1 10.244.2.2 ─ cni0 10.244.2.1 [node-b] eth0 192.168.100.2 ─┘
#
# underlay: one L2 switch, itself a namespace with a bridge
ip netns add underlay
ip netns add node-a
ip netns add node-b
ip -n underlay link add br0 address 02:00:00:00:ff:ff type bridge
ip -n underlay link set dev br0 up
ip -n underlay link add sw-node-a address 02:00:00:00:ff:01 type veth peer name eth0 address 02:00:00:00:00:0a netns node-a
ip -n underlay link add sw-node-b address 02:00:00:00:ff:02 type veth peer name eth0 address 02:00:00:00:00:0b netns node-b
ip -n underlay link set dev sw-node-a master br0 up
ip -n underlay link set dev sw-node-b master br0 up
ip -n node-a addr add 192.168.100.1/24 dev eth0
ip -n node-b addr add 192.168.100.2/24 dev eth0
ip -n node-a link set dev eth0 up
ip -n node-b link set dev eth0 up
# kubelet
ip netns exec node-a sysctl -w net.ipv4.ip_forward=1
ip netns exec node-b sysctl -w net.ipv4.ip_forward=1
# CNI bridge + host-local
ip netns add pod-a1
ip netns add pod-b1
ip -n node-a link add cni0 address 0a:58:0a:f4:01:01 mtu 1472 type bridge
ip -n node-a link set dev cni0 up
ip -n node-a addr add 10.244.1.1/24 brd 10.244.1.255 dev cni0
ip -n node-a link add veth1a2b3c4d address 02:a1:00:00:00:01 mtu 1472 type veth peer name eth0 address 0a:58:0a:f4:01:02 netns pod-a1
ip -n node-a link set dev veth1a2b3c4d master cni0 up
bridge -n node-a link set dev veth1a2b3c4d hairpin on
ip -n pod-a1 link set dev lo up
ip -n pod-a1 link set dev eth0 up
ip -n pod-a1 addr add 10.244.1.2/24 brd 10.244.1.255 dev eth0
ip -n pod-a1 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n pod-a1 route add default via 10.244.1.1 dev eth0
ip -n node-b link add cni0 address 0a:58:0a:f4:02:01 mtu 1472 type bridge
ip -n node-b link set dev cni0 up
ip -n node-b addr add 10.244.2.1/24 brd 10.244.2.255 dev cni0
ip -n node-b link add veth5e6f7a8b address 02:b1:00:00:00:01 mtu 1472 type veth peer name eth0 address 0a:58:0a:f4:02:02 netns pod-b1
ip -n node-b link set dev veth5e6f7a8b master cni0 up
bridge -n node-b link set dev veth5e6f7a8b hairpin on
ip -n pod-b1 link set dev lo up
ip -n pod-b1 link set dev eth0 up
ip -n pod-b1 addr add 10.244.2.2/24 brd 10.244.2.255 dev eth0
ip -n pod-b1 route add 10.244.0.0/16 via 10.244.2.1 dev eth0
ip -n pod-b1 route add default via 10.244.2.1 dev eth0
# flanneld udp backend
ip -n node-a tuntap add dev flannel0 mode tun
ip -n node-a link set dev flannel0 mtu 1472 up
ip -n node-a addr add 10.244.1.0/32 dev flannel0
ip -n node-a route add 10.244.0.0/16 dev flannel0
ip -n node-b tuntap add dev flannel0 mode tun
ip -n node-b link set dev flannel0 mtu 1472 up
ip -n node-b addr add 10.244.2.0/32 dev flannel0
ip -n node-b route add 10.244.0.0/16 dev flannel0
