# a typo in a command
ip netns add n1
ip -n n1 link add br0 type bridge
ip -n n1 link set dev br0 mtuu 1400
