#pragma once
// What JS must agree on with this addon, exported as `layout` and `errorCodes` (addon.cc) and
// checked by src/capture/native.ts when it loads the addon, so a stale build fails at load
// instead of misreading batches.
#include <cstdint>

namespace bridgescope {

// Header columns of a batch (struct of arrays): column k of frame i is headers[k * count + i].
constexpr uint32_t kHeaderWords = 5;
constexpr uint32_t kColOffset = 0;
constexpr uint32_t kColCapLen = 1;
constexpr uint32_t kColOrigLen = 2;
constexpr uint32_t kColTsSec = 3;
constexpr uint32_t kColTsNsec = 4;

// Each frame sits in the arena inside a little-endian pcapng Enhanced Packet Block, so a pcapng
// writer can send a batch's blocks to its file as they are: type, total length, interface id
// (always 0: the writer patches it when its IDB for the interface is another), timestamp in
// nanoseconds (high, low), captured length, original length, the frame, zero padding to 4 bytes,
// total length again. A frame's offset column points at its bytes, kEpbHeaderBytes past its block.
constexpr uint32_t kEpbType = 6;
constexpr uint32_t kEpbHeaderBytes = 28;
constexpr uint32_t kEpbTrailerBytes = 4;
constexpr uint32_t kEpbInterfaceIdAt = 8;

// The arena and the headers of a batch are views of one ArrayBuffer (the slab), which JS hands
// back with recycle() for the addon to reuse (pcap-handle.h).
constexpr uint32_t kSlabVersion = 1;

// Every code the addon sets on what it throws (err.code) and passes to onEnd.
constexpr const char* kErrorCodes[] = {
    "PCAP_PERM_DENIED", "PCAP_NO_SUCH_DEVICE", "PCAP_IFACE_NOT_UP", "PCAP_BAD_FILTER", "PCAP_POLL_ERROR",
    "PCAP_ERROR",       "PCAP_NOT_OPEN",       "PCAP_ALREADY_OPEN", "PCAP_ALREADY_STARTED", "ERR_INVALID_ARG",
};

}  // namespace bridgescope
