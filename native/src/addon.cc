// Module entry: the native surface is PcapHandle (one capture), two free functions, and the
// layout and error codes JS must agree on (layout.h). Everything it exposes is declared once on
// the TypeScript side in src/capture/native.ts, which checks `layout` and `errorCodes` at load.
#include <napi.h>
#include <pcap/pcap.h>

#include "devices.h"
#include "layout.h"
#include "pcap-handle.h"

namespace {

Napi::Value LibVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), pcap_lib_version());
}

Napi::Object Layout(Napi::Env env) {
  using namespace bridgescope;
  Napi::Object o = Napi::Object::New(env);
  o.Set("headerWords", kHeaderWords);
  o.Set("offset", kColOffset);
  o.Set("capLen", kColCapLen);
  o.Set("origLen", kColOrigLen);
  o.Set("tsSec", kColTsSec);
  o.Set("tsNsec", kColTsNsec);
  o.Set("epbType", kEpbType);
  o.Set("epbHeaderBytes", kEpbHeaderBytes);
  o.Set("epbTrailerBytes", kEpbTrailerBytes);
  o.Set("epbInterfaceIdAt", kEpbInterfaceIdAt);
  o.Set("slab", kSlabVersion);
  return o;
}

Napi::Array ErrorCodes(Napi::Env env) {
  Napi::Array a = Napi::Array::New(env);
  uint32_t i = 0;
  for (const char* code : bridgescope::kErrorCodes) a.Set(i++, code);
  return a;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("layout", Layout(env));
  exports.Set("errorCodes", ErrorCodes(env));
  exports.Set("PcapHandle", bridgescope::PcapHandle::Define(env));
  exports.Set("listDevices", Napi::Function::New(env, bridgescope::ListDevices, "listDevices"));
  exports.Set("libVersion", Napi::Function::New(env, LibVersion, "libVersion"));
  return exports;
}

}  // namespace

NODE_API_MODULE(bridgescope_pcap, Init)
