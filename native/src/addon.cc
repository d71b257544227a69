// Module entry: the native surface is PcapHandle (one capture) plus two free functions.
// Everything it exposes is declared once on the TypeScript side in src/capture/native.ts.
#include <napi.h>
#include <pcap/pcap.h>

#include "devices.h"
#include "pcap-handle.h"

namespace {

Napi::Value LibVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), pcap_lib_version());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("PcapHandle", bridgescope::PcapHandle::Define(env));
  exports.Set("listDevices", Napi::Function::New(env, bridgescope::ListDevices, "listDevices"));
  exports.Set("libVersion", Napi::Function::New(env, LibVersion, "libVersion"));
  return exports;
}

}  // namespace

NODE_API_MODULE(bridgescope_pcap, Init)
