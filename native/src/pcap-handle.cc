#include "pcap-handle.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bridgescope {

namespace {

// A batch is cut at whichever comes first; both bound the latency and the arena size.
constexpr int kBatchFrames = 8192;
constexpr size_t kBatchBytes = 4 * 1024 * 1024;
// Batches delivered per readable event before yielding to the event loop (uv_poll is
// level-triggered, so anything left is picked up on the next loop turn).
constexpr int kBatchesPerWake = 8;
// Resting (PcapHandle::Rest): a read of at least this many bytes (an eighth of a kernel block of
// libpcap's TPACKET_V3 ring: some 250 small frames within the block timeout, i.e. tens of
// thousands a second) means a flood; the longest rest after it.
constexpr size_t kRestMinBytes = 32 * 1024;
constexpr uint64_t kRestMs = 20;
// Spare slabs kept beyond this number are left to the GC.
constexpr size_t kMaxSpareSlabs = 8;

// A new slab's size: the batch's rounded up to a power of two, so that a slab fits most of the
// batches that follow (theirs vary) and never holds much more than its batch while queued.
size_t SlabBytes(size_t bytes) {
  size_t size = 64;
  while (size < bytes) size <<= 1;
  return size;
}

// pcapng files written by bridgescope are little-endian whatever the host.
void PutLE32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}

[[noreturn]] void Throw(Napi::Env env, const std::string& message, const char* code) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", code);
  throw err;
}

enum class IfaceState { kGone, kDown, kUp };

IfaceState StateOf(const std::string& ifname) {
  if (if_nametoindex(ifname.c_str()) == 0) return IfaceState::kGone;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return IfaceState::kUp;
  struct ifreq req = {};
  std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  const int rc = ioctl(fd, SIOCGIFFLAGS, &req);
  const int err = errno;
  close(fd);
  if (rc != 0) return err == ENODEV ? IfaceState::kGone : IfaceState::kUp;
  return (req.ifr_flags & IFF_UP) != 0 ? IfaceState::kUp : IfaceState::kDown;
}

// `ip link del` takes an interface down before it unregisters it, and the packet socket's
// POLLERR comes at the down: waiting a moment lets a deletion in progress be named as one.
IfaceState SettledStateOf(const std::string& ifname) {
  IfaceState state = StateOf(ifname);
  for (int tries = 0; state == IfaceState::kDown && tries < 20; ++tries) {
    usleep(5000);
    state = StateOf(ifname);
  }
  return state;
}

const char* ActivateErrorCode(int status) {
  switch (status) {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return "PCAP_PERM_DENIED";
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return "PCAP_NO_SUCH_DEVICE";
    case PCAP_ERROR_IFACE_NOT_UP:
      return "PCAP_IFACE_NOT_UP";
    default:
      return "PCAP_ERROR";
  }
}

// libpcap leaves errbuf empty for some statuses; fall back to its generic text.
std::string StatusMessage(pcap_t* p, int status) {
  const char* detail = pcap_geterr(p);
  if (detail != nullptr && detail[0] != '\0') return detail;
  return pcap_statustostr(status);
}

// An option left out takes its default; one of the wrong type is refused, naming it, rather than
// silently replaced by the default (a string snaplen would otherwise capture 256 KiB frames).
std::string StringOption(Napi::Env env, Napi::Object opts, const char* key, const std::string& fallback) {
  Napi::Value v = opts.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsString()) Throw(env, std::string("open: option ") + key + " must be a string", "ERR_INVALID_ARG");
  return v.As<Napi::String>().Utf8Value();
}

int IntOption(Napi::Env env, Napi::Object opts, const char* key, int fallback) {
  Napi::Value v = opts.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) Throw(env, std::string("open: option ") + key + " must be a number", "ERR_INVALID_ARG");
  return v.As<Napi::Number>().Int32Value();
}

bool BoolOption(Napi::Env env, Napi::Object opts, const char* key, bool fallback) {
  Napi::Value v = opts.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) Throw(env, std::string("open: option ") + key + " must be a boolean", "ERR_INVALID_ARG");
  return v.As<Napi::Boolean>().Value();
}

}  // namespace

Napi::Function PcapHandle::Define(Napi::Env env) {
  return DefineClass(env, "PcapHandle",
                     {
                         InstanceMethod<&PcapHandle::Open>("open"),
                         InstanceMethod<&PcapHandle::SetFilter>("setFilter"),
                         InstanceMethod<&PcapHandle::Start>("start"),
                         InstanceMethod<&PcapHandle::Pause>("pause"),
                         InstanceMethod<&PcapHandle::Resume>("resume"),
                         InstanceMethod<&PcapHandle::Stats>("stats"),
                         InstanceMethod<&PcapHandle::Close>("close"),
                         InstanceMethod<&PcapHandle::Recycle>("recycle"),
                         InstanceAccessor<&PcapHandle::Datalink>("datalink"),
                     });
}

PcapHandle::PcapHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PcapHandle>(info) {}

PcapHandle::~PcapHandle() {
  // Only reachable when not polling (start() holds a reference until the end), so no
  // uv handle can still point at this object.
  if (pcap_ != nullptr) pcap_close(pcap_);
}

pcap_t* PcapHandle::Live(Napi::Env env, const char* what) const {
  if (pcap_ == nullptr) Throw(env, std::string(what) + ": capture is not open", "PCAP_NOT_OPEN");
  return pcap_;
}

// open(ifname, { snaplen, bufferSize, immediate, promisc, filter, direction })
//   -> { datalink, warning? }
Napi::Value PcapHandle::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) Throw(env, "open: interface name must be a string", "ERR_INVALID_ARG");
  if (!info[1].IsObject()) Throw(env, "open: options must be an object", "ERR_INVALID_ARG");
  if (pcap_ != nullptr || closed_) Throw(env, "open: handle already used", "PCAP_ALREADY_OPEN");
  std::string ifname = info[0].As<Napi::String>().Utf8Value();
  Napi::Object opts = info[1].As<Napi::Object>();
  // Every option is read before libpcap is asked for anything, so a refused one leaks no handle.
  std::string direction = StringOption(env, opts, "direction", "inout");
  const int snaplen = IntOption(env, opts, "snaplen", 262144);
  const bool promisc = BoolOption(env, opts, "promisc", false);
  const bool immediate = BoolOption(env, opts, "immediate", true);
  const int bufferSize = IntOption(env, opts, "bufferSize", 32 * 1024 * 1024);
  const int timeoutMs = IntOption(env, opts, "timeoutMs", 10);
  const std::string filter = StringOption(env, opts, "filter", "");
  pcap_direction_t dir;
  if (direction == "in") dir = PCAP_D_IN;
  else if (direction == "out") dir = PCAP_D_OUT;
  else if (direction == "inout") dir = PCAP_D_INOUT;
  else Throw(env, "open: direction must be in, out or inout", "ERR_INVALID_ARG");

  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* p = pcap_create(ifname.c_str(), errbuf);
  if (p == nullptr) Throw(env, errbuf, "PCAP_ERROR");
  ifname_ = ifname;
  pcap_set_snaplen(p, snaplen);
  pcap_set_promisc(p, promisc ? 1 : 0);
  pcap_set_immediate_mode(p, immediate ? 1 : 0);
  pcap_set_buffer_size(p, bufferSize);
  pcap_set_timeout(p, timeoutMs);
  bool nanoAsked = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) == 0;

  int status = pcap_activate(p);
  if (status < 0) {
    std::string message = StatusMessage(p, status);
    pcap_close(p);
    Throw(env, ifname + ": " + message, ActivateErrorCode(status));
  }
  std::string warning = status > 0 ? StatusMessage(p, status) : "";
  pcap_ = p;
  immediate_ = immediate;
  ringBytes_ = static_cast<size_t>(std::max(bufferSize, 0));
  nano_ = nanoAsked && pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
  datalink_ = pcap_datalink(p);

  if (pcap_setnonblock(p, 1, errbuf) != 0) {
    Release();
    Throw(env, ifname + ": " + errbuf, "PCAP_ERROR");
  }
  if (pcap_setdirection(p, dir) != 0) {
    std::string message = pcap_geterr(p);
    Release();
    Throw(env, ifname + ": " + message, "PCAP_ERROR");
  }
  if (!filter.empty()) {
    try {
      ApplyFilter(env, filter);
    } catch (...) {
      Release();
      throw;
    }
  }

  Napi::Object result = Napi::Object::New(env);
  result.Set("datalink", datalink_);
  result.Set("nanosecond", Napi::Boolean::New(env, nano_));
  if (!warning.empty()) result.Set("warning", warning);
  return result;
}

void PcapHandle::ApplyFilter(Napi::Env env, const std::string& expr) {
  struct bpf_program prog;
  if (pcap_compile(pcap_, &prog, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    Throw(env, pcap_geterr(pcap_), "PCAP_BAD_FILTER");
  }
  int rc = pcap_setfilter(pcap_, &prog);
  pcap_freecode(&prog);
  if (rc != 0) Throw(env, pcap_geterr(pcap_), "PCAP_BAD_FILTER");
}

Napi::Value PcapHandle::SetFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) Throw(env, "setFilter: expression must be a string", "ERR_INVALID_ARG");
  Live(env, "setFilter");
  ApplyFilter(env, info[0].As<Napi::String>().Utf8Value());
  return env.Undefined();
}

// start(onBatch(arena: Buffer, headers: Uint32Array), onEnd(reason: string, code: string))
Napi::Value PcapHandle::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction() || !info[1].IsFunction()) {
    Throw(env, "start: onBatch and onEnd must be functions", "ERR_INVALID_ARG");
  }
  pcap_t* p = Live(env, "start");
  if (started_) Throw(env, "start: already started", "PCAP_ALREADY_STARTED");
  int fd = pcap_get_selectable_fd(p);
  if (fd < 0) Throw(env, "start: libpcap gave no selectable descriptor", "PCAP_ERROR");

  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) Throw(env, "start: no event loop", "PCAP_ERROR");
  poll_ = new uv_poll_t;
  int rc = uv_poll_init(loop, poll_, fd);
  if (rc != 0) {
    delete poll_;
    poll_ = nullptr;
    Throw(env, std::string("start: ") + uv_strerror(rc), "PCAP_ERROR");
  }
  poll_->data = this;
  timer_ = new uv_timer_t;
  uv_timer_init(loop, timer_);
  timer_->data = this;
  lastReadMs_ = uv_now(loop);
  onBatch_ = Napi::Persistent(info[0].As<Napi::Function>());
  onEnd_ = Napi::Persistent(info[1].As<Napi::Function>());
  asyncContext_ = std::make_unique<Napi::AsyncContext>(env, "bridgescope:pcap");
  started_ = true;
  Ref();  // keeps this object alive while the poll handle points at it; dropped in Release()
  rc = uv_poll_start(poll_, UV_READABLE, OnPoll);
  if (rc != 0) {
    Release();
    Throw(env, std::string("start: ") + uv_strerror(rc), "PCAP_ERROR");
  }
  return env.Undefined();
}

// Pausing stops reading: frames then wait in the kernel buffer, and once it is full the
// kernel drops them and pcap_stats counts them. That is the backpressure contract.
Napi::Value PcapHandle::Pause(const Napi::CallbackInfo& info) {
  paused_ = true;
  if (poll_ != nullptr) uv_poll_stop(poll_);
  return info.Env().Undefined();
}

Napi::Value PcapHandle::Resume(const Napi::CallbackInfo& info) {
  paused_ = false;
  if (poll_ != nullptr && !resting_) {
    int rc = uv_poll_start(poll_, UV_READABLE, OnPoll);
    if (rc != 0) Throw(info.Env(), std::string("resume: ") + uv_strerror(rc), "PCAP_ERROR");
  }
  return info.Env().Undefined();
}

Napi::Value PcapHandle::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct pcap_stat s = final_;
  if (pcap_ != nullptr) {
    if (pcap_stats(pcap_, &s) != 0) Throw(env, pcap_geterr(pcap_), "PCAP_ERROR");
  } else if (!haveFinal_) {
    return env.Null();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("received", static_cast<double>(s.ps_recv));
  o.Set("droppedByKernel", static_cast<double>(s.ps_drop));
  o.Set("droppedByInterface", static_cast<double>(s.ps_ifdrop));
  return o;
}

// Idempotent; safe from inside onBatch (Drain checks closed_ after every delivery).
Napi::Value PcapHandle::Close(const Napi::CallbackInfo& info) {
  if (!closed_) {
    closed_ = true;
    Release();
  }
  return info.Env().Undefined();
}

// recycle(slab: ArrayBuffer): the slab of a delivered batch that nothing reads any more.
Napi::Value PcapHandle::Recycle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArrayBuffer()) Throw(env, "recycle: expected the ArrayBuffer of a batch", "ERR_INVALID_ARG");
  if (started_ && spare_.size() < kMaxSpareSlabs) spare_.push_back(Napi::Persistent(info[0].As<Napi::ArrayBuffer>()));
  return env.Undefined();
}

Napi::Value PcapHandle::Datalink(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), datalink_);
}

void PcapHandle::Release() {
  if (timer_ != nullptr) {
    uv_timer_stop(timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(timer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }
  if (poll_ != nullptr) {
    uv_poll_stop(poll_);
    uv_close(reinterpret_cast<uv_handle_t*>(poll_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    poll_ = nullptr;
  }
  if (pcap_ != nullptr) {
    haveFinal_ = pcap_stats(pcap_, &final_) == 0;
    pcap_close(pcap_);
    pcap_ = nullptr;
  }
  if (started_) {
    started_ = false;
    // Every N-API resource goes now, while the environment is alive: left to the destructor, they
    // would be released during environment teardown at process exit, which is not safe.
    onBatch_.Reset();
    onEnd_.Reset();
    spare_.clear();
    asyncContext_.reset();
    Unref();
  }
}

void PcapHandle::OnPacket(u_char* user, const struct pcap_pkthdr* h, const u_char* bytes) {
  PcapHandle* self = reinterpret_cast<PcapHandle*>(user);
  const uint32_t capLen = h->caplen;
  const uint32_t padded = (capLen + 3u) & ~3u;
  const uint32_t blockLen = kEpbHeaderBytes + padded + kEpbTrailerBytes;
  const size_t at = self->arenaLen_;
  const uint32_t nsec = static_cast<uint32_t>(h->ts.tv_usec) * (self->nano_ ? 1u : 1000u);
  const uint64_t ticks = static_cast<uint64_t>(h->ts.tv_sec) * 1000000000ull + nsec;
  uint8_t* block = self->Room(blockLen);
  PutLE32(block, kEpbType);
  PutLE32(block + 4, blockLen);
  PutLE32(block + kEpbInterfaceIdAt, 0);
  PutLE32(block + 12, static_cast<uint32_t>(ticks >> 32));
  PutLE32(block + 16, static_cast<uint32_t>(ticks));
  PutLE32(block + 20, capLen);
  PutLE32(block + 24, h->len);
  std::memcpy(block + kEpbHeaderBytes, bytes, capLen);
  std::memset(block + kEpbHeaderBytes + capLen, 0, padded - capLen);
  PutLE32(block + blockLen - kEpbTrailerBytes, blockLen);
  const uint32_t hdr[kHeaderWords] = {static_cast<uint32_t>(at + kEpbHeaderBytes), capLen, h->len,
                                      static_cast<uint32_t>(h->ts.tv_sec), nsec};
  for (uint32_t k = 0; k < kHeaderWords; ++k) self->columns_[k].push_back(hdr[k]);
}

void PcapHandle::OnPoll(uv_poll_t* poll, int status, int /*events*/) {
  PcapHandle* self = static_cast<PcapHandle*>(poll->data);
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  try {
    // libuv turns POLLERR into UV_EBADF (an interface deleted or set down). libpcap's own read
    // looks at the socket error and names the cause, so let it try first.
    const size_t bytes = self->Drain(env);
    if (status >= 0 && !self->closed_) self->Rest(bytes);
    if (status < 0 && !self->closed_) {
      // libpcap did not name it (its read raced the socket error): name it from the interface,
      // in libpcap's own words, so the message does not depend on who read first.
      switch (SettledStateOf(self->ifname_)) {
        case IfaceState::kGone:
          self->End(env, "The interface disappeared", "PCAP_ERROR");
          break;
        case IfaceState::kDown:
          self->End(env, "The interface went down", "PCAP_IFACE_NOT_UP");
          break;
        case IfaceState::kUp:
          self->End(env, std::string("The capture socket failed (poll: ") + uv_strerror(status) + ")",
                    "PCAP_POLL_ERROR");
          break;
      }
    }
  } catch (const Napi::Error& e) {
    // A JS callback threw: surface it as an uncaught exception, as Node does for JS I/O callbacks.
    napi_fatal_exception(env, e.Value());
  }
}

// After a read of `bytes`: under a flood, stop polling for up to kRestMs so that the next read
// takes several kernel blocks, not the one that just filled. Each read costs a wake-up and a trip
// through JS whatever it carries, which under a flood is most of the capture's CPU. The kernel
// buffer holds the frames meanwhile; the rest is cut so that, at the rate these bytes came in,
// it fills at most a quarter of it. A frame then waits at most the block timeout plus the rest.
// Never in immediate mode, whose point is latency.
void PcapHandle::Rest(size_t bytes) {
  if (poll_ == nullptr) return;
  const uint64_t now = uv_now(uv_handle_get_loop(reinterpret_cast<uv_handle_t*>(poll_)));
  const uint64_t sinceLastMs = std::max<uint64_t>(now - lastReadMs_, 1);
  lastReadMs_ = now;
  if (immediate_ || bytes < kRestMinBytes) return;
  const uint64_t fillsQuarterMs = static_cast<uint64_t>(ringBytes_ / 4) * sinceLastMs / bytes;
  const uint64_t restMs = std::min<uint64_t>(kRestMs, fillsQuarterMs);
  if (restMs == 0) return;
  resting_ = true;
  uv_poll_stop(poll_);
  uv_timer_start(timer_, OnTimer, restMs, 0);
}

void PcapHandle::OnTimer(uv_timer_t* timer) {
  PcapHandle* self = static_cast<PcapHandle*>(timer->data);
  self->resting_ = false;
  if (self->poll_ != nullptr && !self->paused_) uv_poll_start(self->poll_, UV_READABLE, OnPoll);
}

// Returns the bytes delivered (the batches' arenas).
size_t PcapHandle::Drain(Napi::Env env) {
  size_t delivered = 0;
  for (int round = 0; round < kBatchesPerWake; ++round) {
    arenaLen_ = 0;
    filling_ = spare_.empty() ? Napi::ArrayBuffer() : spare_.back().Value();
    if (!spare_.empty()) spare_.pop_back();
    fill_ = filling_.IsEmpty() ? arena_.data() : static_cast<uint8_t*>(filling_.Data());
    fillCap_ = filling_.IsEmpty() ? arena_.size() : filling_.ByteLength();
    for (auto& c : columns_) c.clear();
    int rc = 0;
    while (columns_[0].size() < static_cast<size_t>(kBatchFrames) && arenaLen_ < kBatchBytes) {
      int room = kBatchFrames - static_cast<int>(columns_[0].size());
      rc = pcap_dispatch(pcap_, room, OnPacket, reinterpret_cast<u_char*>(this));
      if (rc <= 0) break;
    }
    delivered += arenaLen_;
    if (!columns_[0].empty()) {
      Deliver(env);
    } else if (!filling_.IsEmpty()) {
      spare_.push_back(Napi::Persistent(filling_));  // unused this round: still spare
    }
    filling_ = Napi::ArrayBuffer();
    if (closed_ || pcap_ == nullptr) return delivered;  // onBatch closed us
    if (rc < 0) {
      std::string reason = rc == PCAP_ERROR_BREAK ? "capture interrupted" : StatusMessage(pcap_, rc);
      End(env, reason, rc == PCAP_ERROR_IFACE_NOT_UP ? "PCAP_IFACE_NOT_UP" : "PCAP_ERROR");
      return delivered;
    }
    if (rc == 0) return delivered;
  }
  return delivered;
}

// Where the next `bytes` of the batch go. Past the end of the slab being filled, the batch moves
// to the staging arena (called from libpcap's loop, so nothing here may call into JS or throw).
uint8_t* PcapHandle::Room(size_t bytes) {
  const size_t at = arenaLen_;
  if (at + bytes > fillCap_) {
    const bool inSlab = fill_ != arena_.data();
    if (at + bytes > arena_.size()) arena_.resize(std::max(at + bytes, 2 * arena_.size()));
    if (inSlab) std::memcpy(arena_.data(), fill_, at);
    fill_ = arena_.data();
    fillCap_ = arena_.size();
  }
  arenaLen_ = at + bytes;
  return fill_ + at;
}

// A spare slab that holds `bytes`, else a new one (a spare too small for this batch is let go).
Napi::ArrayBuffer PcapHandle::Slab(Napi::Env env, size_t bytes) {
  while (!spare_.empty()) {
    Napi::ArrayBuffer slab = spare_.back().Value();
    spare_.pop_back();
    if (slab.ByteLength() >= bytes) return slab;
  }
  return Napi::ArrayBuffer::New(env, SlabBytes(bytes));
}

void PcapHandle::Deliver(Napi::Env env) {
  const size_t count = columns_[0].size();
  const size_t headersAt = (arenaLen_ + 7) & ~size_t{7};
  const size_t headerBytes = count * kHeaderWords * sizeof(uint32_t);
  Napi::ArrayBuffer slab = filling_;
  if (slab.IsEmpty() || fill_ != slab.Data() || headersAt + headerBytes > fillCap_) {
    // The blocks are in the staging arena (no spare slab, or the batch outgrew it): copy them out.
    if (!slab.IsEmpty() && spare_.size() < kMaxSpareSlabs) spare_.push_back(Napi::Persistent(slab));
    slab = Slab(env, headersAt + headerBytes);
    std::memcpy(slab.Data(), fill_, arenaLen_);
  }
  uint8_t* base = static_cast<uint8_t*>(slab.Data());
  for (uint32_t k = 0; k < kHeaderWords; ++k) {
    std::memcpy(base + headersAt + k * count * sizeof(uint32_t), columns_[k].data(), count * sizeof(uint32_t));
  }
  Napi::Uint8Array arena = Napi::Uint8Array::New(env, arenaLen_, slab, 0);
  Napi::Uint32Array headers = Napi::Uint32Array::New(env, count * kHeaderWords, slab, headersAt);
  onBatch_.MakeCallback(Value(), {arena, headers}, *asyncContext_);
}

void PcapHandle::End(Napi::Env env, const std::string& reason, const char* code) {
  // Taken before Release() drops our reference: the callback's receiver must stay alive.
  Napi::Object self = Value();
  Napi::FunctionReference onEnd = std::move(onEnd_);
  std::unique_ptr<Napi::AsyncContext> context = std::move(asyncContext_);
  closed_ = true;
  Release();
  if (!onEnd.IsEmpty() && context) {
    onEnd.MakeCallback(self, {Napi::String::New(env, reason), Napi::String::New(env, code)}, *context);
  }
}

}  // namespace bridgescope
