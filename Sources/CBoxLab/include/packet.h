#pragma once
// Packet sockets' struct sockaddr_ll, the PACKET_* frame types and ETH_P_ALL: in headers
// outside Swift's Glibc module, so imported here for the Kernel target.
#include <netpacket/packet.h>
#include <net/ethernet.h>
