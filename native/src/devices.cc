#include "devices.h"

#include <pcap/pcap.h>

namespace bridgescope {

Napi::Value ListDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_if_t* all = nullptr;
  if (pcap_findalldevs(&all, errbuf) != 0) {
    Napi::Error err = Napi::Error::New(env, errbuf);
    err.Set("code", "PCAP_ERROR");
    throw err;
  }
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (pcap_if_t* d = all; d != nullptr; d = d->next) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", d->name);
    if (d->description != nullptr) o.Set("description", d->description);
    o.Set("up", Napi::Boolean::New(env, (d->flags & PCAP_IF_UP) != 0));
    o.Set("running", Napi::Boolean::New(env, (d->flags & PCAP_IF_RUNNING) != 0));
    o.Set("loopback", Napi::Boolean::New(env, (d->flags & PCAP_IF_LOOPBACK) != 0));
    out.Set(i++, o);
  }
  pcap_freealldevs(all);
  return out;
}

}  // namespace bridgescope
