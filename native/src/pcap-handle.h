#pragma once
#include <napi.h>
#include <pcap/pcap.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "layout.h"

namespace bridgescope {

// One live libpcap capture. JS calls open() (and optionally setFilter()), then
// start(onBatch, onEnd). Each readable event drains the nonblocking handle with
// pcap_dispatch into one staging arena and calls onBatch(arena, headers) once per batch:
// headers holds kHeaderWords columns of `count` uint32 each (struct of arrays, so JS can
// take each column as a view): offset[], capLen[], origLen[], tsSec[], tsNsec[]. The arena is
// the batch's pcapng EPBs back to back (layout.h), each frame's bytes inside its block.
// Both are views of one JS ArrayBuffer, the slab: the arena at its start, the headers after it.
// A slab is JS's: this class writes only into a slab JS has handed back with recycle(buffer)
// once nothing reads it any more, so closing while batches are in flight is safe. Reusing
// slabs spares the fresh memory (page faults, and GC work for the external bytes) of a new
// buffer per batch, and frames are written straight into a spare slab when there is one.
//
// The capture ends exactly once: by close() (no onEnd), or by an error such as the
// interface disappearing, which releases libpcap and calls onEnd(reason, code).
class PcapHandle : public Napi::ObjectWrap<PcapHandle> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit PcapHandle(const Napi::CallbackInfo& info);
  ~PcapHandle() override;

 private:
  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value SetFilter(const Napi::CallbackInfo& info);
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Pause(const Napi::CallbackInfo& info);
  Napi::Value Resume(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Recycle(const Napi::CallbackInfo& info);
  Napi::Value Datalink(const Napi::CallbackInfo& info);

  static void OnPoll(uv_poll_t* poll, int status, int events);
  static void OnTimer(uv_timer_t* timer);
  static void OnPacket(u_char* user, const struct pcap_pkthdr* h, const u_char* bytes);

  pcap_t* Live(Napi::Env env, const char* what) const;
  void ApplyFilter(Napi::Env env, const std::string& expr);
  size_t Drain(Napi::Env env);
  void Rest(size_t bytes);
  void Deliver(Napi::Env env);
  Napi::ArrayBuffer Slab(Napi::Env env, size_t bytes);
  uint8_t* Room(size_t bytes);
  void End(Napi::Env env, const std::string& reason, const char* code);
  void Release();

  pcap_t* pcap_ = nullptr;
  uv_poll_t* poll_ = nullptr;
  // Resting: under a flood, the poll is stopped for a moment after a read (OnTimer restarts it),
  // so that the next read takes several kernel blocks at once (see Rest in the .cc).
  uv_timer_t* timer_ = nullptr;
  bool paused_ = false;   // by JS (backpressure): only resume() restarts the poll
  bool resting_ = false;  // by Rest: only OnTimer restarts the poll
  bool immediate_ = false;
  size_t ringBytes_ = 0;
  uint64_t lastReadMs_ = 0;
  bool started_ = false;
  bool closed_ = false;
  bool nano_ = true;
  int datalink_ = -1;
  std::string ifname_;  // to name the cause when the socket fails and libpcap has not

  // Where OnPacket writes the batch's blocks: a spare slab (filling_), else, or once the batch
  // outgrows it, the staging arena_, copied out to a slab in Deliver(). arena_ only grows (its
  // size is capacity, arenaLen_ what the batch uses), so no byte is zeroed per frame.
  uint8_t* fill_ = nullptr;
  size_t fillCap_ = 0;
  size_t arenaLen_ = 0;
  Napi::ArrayBuffer filling_;  // a local handle, set only within one Drain round
  std::vector<uint8_t> arena_;
  std::vector<uint32_t> columns_[kHeaderWords];
  // Slabs JS handed back, reused by the next batches.
  std::vector<Napi::Reference<Napi::ArrayBuffer>> spare_;

  Napi::FunctionReference onBatch_;
  Napi::FunctionReference onEnd_;
  std::unique_ptr<Napi::AsyncContext> asyncContext_;

  // Counters read just before pcap_close, so stats() still answers after the end.
  struct pcap_stat final_ = {};
  bool haveFinal_ = false;
};

}  // namespace bridgescope
