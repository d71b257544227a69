#pragma once
#include <napi.h>

namespace bridgescope {

// listDevices(): [{ name, description?, up, running, loopback }] from pcap_findalldevs.
Napi::Value ListDevices(const Napi::CallbackInfo& info);

}  // namespace bridgescope
