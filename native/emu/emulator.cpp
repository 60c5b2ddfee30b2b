// The scheduler of the host emulation. Blocks run one after another on the calling thread; the
// threads of a block run as coroutines on stacks of their own. A thread runs until it finishes or
// has to wait (at __syncthreads for the rest of the block, at a shuffle for the rest of its warp),
// then switches straight to the next runnable thread; the last thread to arrive at a barrier makes
// the waiting ones runnable again and goes on. When no thread can run while some still wait, the
// launch has deadlocked: it stops with an error instead of hanging, because this library runs
// inside a JVM.
//
// By default threads resume in the order they became runnable (at a block's start, in thread-id
// order) and blocks run in index order, so a race gives the same plausible result every time. A
// schedule seed (dnn_emu_set_schedule_seed, DNN_EMU_SCHEDULE_SEED) fuzzes that order: threads that
// become runnable, the one that released them included, take random places in the run queue, so
// whenever a thread waits or finishes the next one to run is drawn at random from the runnable
// ones; and the blocks of a grid run in a random order. Threads still switch only where they would
// wait, never in between.
//
// Coroutines switch with a few instructions of x86-64 assembly rather than swapcontext, which
// makes a system call per switch: reductions switch at every shuffle of every lane.
#include "emulator.h"

#include <driver_types.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>

#if !defined(__x86_64__)
#error "the host emulation switches coroutines with x86-64 assembly"
#endif

extern "C" {
uint3 dnn_emu_thread_idx;
uint3 dnn_emu_block_idx;
dim3 dnn_emu_block_dim;
dim3 dnn_emu_grid_dim;
}

// Saves the callee-saved registers on the current stack and its stack pointer in *save, then
// resumes the coroutine whose stack pointer is `load`. A new coroutine's stack is prepared by
// startStack so that this "returns" into its entry function.
extern "C" void dnn_emu_switch(void** save, void* load);
asm(R"(
  .text
  .p2align 4
  .globl dnn_emu_switch
  .hidden dnn_emu_switch
  .type dnn_emu_switch, @function
dnn_emu_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size dnn_emu_switch, .-dnn_emu_switch
)");

namespace {

constexpr unsigned kMaxThreads = 1024;  // per block, as on every CUDA GPU
constexpr unsigned kWarpSize = 32;
constexpr size_t kStackSize = 128 * 1024;
constexpr size_t kGuardSize = 4096;  // an overflow faults instead of corrupting the next stack

enum class State : uint8_t { kRunnable, kAtSyncthreads, kAtShuffle, kDone };

struct Thread {
  void* sp;  // saved stack pointer while switched out
  char* stackTop;
  uint3 index;
  State state;
  uint8_t shuffleParity;  // which of its warp's two exchange buffers the next shuffle uses
};

// Lanes exchange values through two buffers used alternately: a lane can only come back to a
// buffer after the whole warp has passed the next shuffle, that is, after every lane has read its
// value from it.
struct Warp {
  unsigned lanes;  // fewer than 32 in the last warp of a block whose size is not a multiple
  unsigned arrived;
  unsigned long long slots[2][kWarpSize];
};

struct Launch {
  const char* kernel;
  void (*body)(const void*);
  const void* args;
  unsigned threads;
  unsigned live;
  unsigned atSyncthreads;
  bool failed;
};

std::mutex launchMutex;  // one launch at a time: the state below is that launch's
thread_local int lastError = cudaSuccess;

Thread threads[kMaxThreads];
Warp warps[kMaxThreads / kWarpSize];
Launch launch;
Thread* running;
void* schedulerSp;  // the launching thread's own stack while a block runs

// The schedule seed from the environment, read when the library loads so that a whole test run
// can be fuzzed without code changes; 0 (in order) where it is unset or not a number.
uint64_t seedFromEnvironment() {
  const char* text = std::getenv("DNN_EMU_SCHEDULE_SEED");
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  errno = 0;
  const unsigned long long seed = std::strtoull(text, &end, 0);
  if (*end != '\0' || errno != 0) {
    std::fprintf(stderr,
                 "[dnn-emulator] DNN_EMU_SCHEDULE_SEED=%s is not a number: schedules stay in "
                 "order\n",
                 text);
    return 0;
  }
  return seed;
}

// Fuzzing draws from splitmix64, whose state starts at the seed: a seed replays the same schedules
// for the same sequence of launches.
uint64_t randomState = seedFromEnvironment();
bool fuzzing = randomState != 0;

uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t nextRandom() { return mix(randomState += 0x9e3779b97f4a7c15ull); }

// Which block of n runs k-th: block k in order, else a bijection of [0, n) that `key` picks, with
// no table however large the grid: a four-round Feistel network on the fewest even number of bits
// that covers n, applied again until it lands inside [0, n) (fewer than four times on average).
uint64_t blockToRun(uint64_t k, uint64_t n, uint64_t key) {
  if (!fuzzing) return k;
  unsigned half = 1;
  while (half < 32 && (uint64_t{1} << 2 * half) < n) ++half;
  const uint64_t mask = (uint64_t{1} << half) - 1;
  do {
    uint64_t left = k >> half;
    uint64_t right = k & mask;
    for (uint64_t round = 0; round < 4; ++round) {
      const uint64_t next = left ^ (mix(key ^ (round << 56) ^ right) & mask);
      left = right;
      right = next;
    }
    k = left << half | right;
  } while (k >= n);
  return k;
}

// Run queue: a ring of runnable threads; each thread is in it at most once.
Thread* queue[kMaxThreads];
unsigned queueHead;
unsigned queueSize;

void makeRunnable(Thread& t) {
  t.state = State::kRunnable;
  queue[(queueHead + queueSize++) % kMaxThreads] = &t;
}

// When fuzzing, gives the last `added` threads of the queue random places in it: each in turn
// swaps with a place drawn among those before it and its own (the inside-out Fisher-Yates
// shuffle). The queue then stays in a uniformly random order, so its head is a thread drawn at
// random from the runnable ones. Called per release rather than per switch: in order it costs one
// test where a warp or block is released.
void shuffleIn(unsigned added) {
  if (!fuzzing) return;
  for (unsigned i = queueSize - added; i < queueSize; ++i) {
    const auto drawn = static_cast<unsigned>((nextRandom() >> 32) * (i + 1) >> 32);
    std::swap(queue[(queueHead + i) % kMaxThreads], queue[(queueHead + drawn) % kMaxThreads]);
  }
}

// Removes the thread at the head of the queue, which must not be empty.
Thread* takeRunnable() {
  Thread* next = queue[queueHead];
  queueHead = (queueHead + 1) % kMaxThreads;
  --queueSize;
  return next;
}

unsigned linearId(const Thread& t) { return static_cast<unsigned>(&t - threads); }

[[noreturn]] void threadEntry();

// Prepares a stack on which dnn_emu_switch pops six zero registers and returns into threadEntry
// with the stack aligned as after a call.
void* startStack(char* top) {
  auto* sp = reinterpret_cast<void**>(top);
  *--sp = nullptr;  // threadEntry's return address: it never returns
  *--sp = reinterpret_cast<void*>(&threadEntry);
  for (int i = 0; i < 6; ++i) *--sp = nullptr;
  return sp;
}

bool allocateStacks() {
  const size_t span = kStackSize + kGuardSize;
  void* memory = mmap(nullptr, span * kMaxThreads, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) return false;
  auto* base = static_cast<char*>(memory);
  for (unsigned i = 0; i < kMaxThreads; ++i) {
    char* low = base + i * span;
    if (mprotect(low, kGuardSize, PROT_NONE) != 0) return false;
    threads[i].stackTop = low + span;
  }
  return true;
}

// Resumes `next` in place of the running thread; returns when the running thread's turn comes
// again.
void switchTo(Thread* next) {
  Thread* self = running;
  running = next;
  dnn_emu_thread_idx = next->index;
  dnn_emu_switch(&self->sp, next->sp);
}

// Leaves the running thread (whose state says why) for the next runnable one, or for the
// scheduler when there is none; returns when someone makes it runnable and it is its turn.
void switchAway() {
  if (queueSize == 0) {
    Thread* self = running;
    running = nullptr;
    dnn_emu_switch(&self->sp, schedulerSp);
    return;
  }
  switchTo(takeRunnable());
}

void releaseSyncthreads() {
  launch.atSyncthreads = 0;
  for (unsigned i = 0; i < launch.threads; ++i) {
    if (threads[i].state == State::kAtSyncthreads) makeRunnable(threads[i]);
  }
  shuffleIn(queueSize);  // nothing else was runnable: every live thread waited here
}

// Called by the running thread after its arrival released the threads waiting at a barrier. In
// order it goes on at once; when fuzzing it joins them in the queue and may be the one that
// resumes first.
void afterRelease() {
  if (!fuzzing) return;
  makeRunnable(*running);
  shuffleIn(1);
  Thread* next = takeRunnable();
  if (next != running) switchTo(next);
}

// Stops the launch from inside a thread: records the failure and leaves for the scheduler, which
// abandons the block's stacks as they are (kernels hold no resources that need releasing).
[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "[dnn-emulator] kernel %s, block (%u,%u,%u), thread (%u,%u,%u): %s\n",
               launch.kernel, dnn_emu_block_idx.x, dnn_emu_block_idx.y, dnn_emu_block_idx.z,
               running->index.x, running->index.y, running->index.z, why);
  launch.failed = true;
  Thread* self = running;
  running = nullptr;
  dnn_emu_switch(&self->sp, schedulerSp);
  __builtin_unreachable();
}

[[noreturn]] void threadEntry() {
  launch.body(launch.args);
  running->state = State::kDone;
  --launch.live;
  // A barrier waits for live threads only, so this exit may be what it was waiting for.
  if (launch.atSyncthreads > 0 && launch.atSyncthreads == launch.live) releaseSyncthreads();
  switchAway();
  __builtin_unreachable();
}

// Runs one block to its end; false when it failed or deadlocked.
bool runBlock() {
  queueHead = 0;
  queueSize = 0;
  for (unsigned i = 0; i < launch.threads; ++i) {
    Thread& t = threads[i];
    const dim3 d = dnn_emu_block_dim;
    t.index = uint3{i % d.x, i / d.x % d.y, i / (d.x * d.y)};
    t.sp = startStack(t.stackTop);
    t.shuffleParity = 0;
    makeRunnable(t);
  }
  for (unsigned w = 0; w * kWarpSize < launch.threads; ++w) {
    warps[w].lanes = launch.threads - w * kWarpSize < kWarpSize ? launch.threads - w * kWarpSize
                                                                : kWarpSize;
    warps[w].arrived = 0;
  }
  launch.live = launch.threads;
  launch.atSyncthreads = 0;

  shuffleIn(queueSize);
  Thread* first = takeRunnable();
  running = first;
  dnn_emu_thread_idx = first->index;
  dnn_emu_switch(&schedulerSp, first->sp);
  // Back here when the block finished, failed, or has threads waiting that nobody will release.
  if (launch.failed) return false;
  if (launch.live == 0) return true;
  unsigned atShuffle = 0;
  for (unsigned i = 0; i < launch.threads; ++i) atShuffle += threads[i].state == State::kAtShuffle;
  std::fprintf(stderr,
               "[dnn-emulator] kernel %s, block (%u,%u,%u): deadlock, %u threads wait at "
               "__syncthreads and %u at warp shuffles, %u have exited (a barrier in divergent "
               "code?)\n",
               launch.kernel, dnn_emu_block_idx.x, dnn_emu_block_idx.y, dnn_emu_block_idx.z,
               launch.atSyncthreads, atShuffle, launch.threads - launch.live);
  return false;
}

const char* badConfiguration(dim3 grid, dim3 block) {
  if (grid.x == 0 || grid.y == 0 || grid.z == 0) return "empty grid";
  if (grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535) return "grid too large";
  if (block.x == 0 || block.y == 0 || block.z == 0) return "empty block";
  if (block.x > kMaxThreads || block.y > kMaxThreads || block.z > 64 ||
      static_cast<unsigned long long>(block.x) * block.y * block.z > kMaxThreads) {
    return "more than 1024 threads per block";
  }
  return nullptr;
}

int runLaunch(const char* kernel, dim3 grid, dim3 block, void (*body)(const void*),
              const void* args) {
  if (const char* why = badConfiguration(grid, block)) {
    std::fprintf(stderr,
                 "[dnn-emulator] kernel %s: invalid launch, grid (%u,%u,%u) block (%u,%u,%u): %s\n",
                 kernel, grid.x, grid.y, grid.z, block.x, block.y, block.z, why);
    return cudaErrorInvalidConfiguration;
  }
  std::lock_guard<std::mutex> lock(launchMutex);
  static const bool stacksReady = allocateStacks();
  if (!stacksReady) {
    std::fprintf(stderr, "[dnn-emulator] kernel %s: cannot map the thread stacks\n", kernel);
    return cudaErrorMemoryAllocation;
  }
  launch = Launch{kernel, body, args, block.x * block.y * block.z, 0, 0, false};
  dnn_emu_grid_dim = grid;
  dnn_emu_block_dim = block;
  const uint64_t blocks = static_cast<uint64_t>(grid.x) * grid.y * grid.z;
  const uint64_t key = fuzzing ? nextRandom() : 0;
  for (uint64_t k = 0; k < blocks; ++k) {
    const uint64_t b = blockToRun(k, blocks, key);
    dnn_emu_block_idx = uint3{static_cast<unsigned>(b % grid.x),
                              static_cast<unsigned>(b / grid.x % grid.y),
                              static_cast<unsigned>(b / grid.x / grid.y)};
    if (!runBlock()) return cudaErrorLaunchFailure;
  }
  return cudaSuccess;
}

}  // namespace

extern "C" int dnn_emu_launch(const char* kernel, dim3 grid, dim3 block,
                              void (*body)(const void*), const void* args) {
  lastError = runLaunch(kernel, grid, block, body, args);
  return lastError;
}

extern "C" int dnn_emu_last_error(void) {
  const int error = lastError;
  lastError = cudaSuccess;
  return error;
}

extern "C" void dnn_emu_set_schedule_seed(unsigned long long seed) {
  std::lock_guard<std::mutex> lock(launchMutex);
  randomState = seed;
  fuzzing = seed != 0;
}

extern "C" void dnn_emu_syncthreads(void) {
  if (++launch.atSyncthreads == launch.live) {
    releaseSyncthreads();
    afterRelease();
    return;
  }
  running->state = State::kAtSyncthreads;
  switchAway();
}

extern "C" void dnn_emu_check_aligned(const void* p, unsigned bytes) {
  if (reinterpret_cast<uintptr_t>(p) % bytes != 0) fail("misaligned vector access");
}

extern "C" unsigned long long dnn_emu_shuffle(unsigned mask, unsigned long long value, int kind,
                                              int operand) {
  Thread& self = *running;
  const unsigned id = linearId(self);
  Warp& warp = warps[id / kWarpSize];
  const unsigned lane = id % kWarpSize;
  const unsigned members = warp.lanes == kWarpSize ? ~0u : (1u << warp.lanes) - 1;
  if (mask != members) fail("shuffle mask does not name exactly the lanes of the warp");

  unsigned source = lane;
  const unsigned bits = static_cast<unsigned>(operand) & (kWarpSize - 1);
  if (kind == DNN_EMU_SHFL_IDX) source = bits;
  if (kind == DNN_EMU_SHFL_XOR) source = lane ^ bits;
  if (kind == DNN_EMU_SHFL_DOWN && lane + bits < kWarpSize) source = lane + bits;
  if (source >= warp.lanes) fail("shuffle reads a lane that the warp does not have");

  auto& slots = warp.slots[self.shuffleParity];
  self.shuffleParity ^= 1;
  slots[lane] = value;
  if (++warp.arrived == warp.lanes) {
    warp.arrived = 0;
    const unsigned base = id - lane;
    for (unsigned i = 0; i < warp.lanes; ++i) {
      if (threads[base + i].state == State::kAtShuffle) makeRunnable(threads[base + i]);
    }
    shuffleIn(warp.lanes - 1);  // every other lane
    afterRelease();
  } else {
    self.state = State::kAtShuffle;
    switchAway();
  }
  return slots[source];
}

// The few runtime calls the kernels' launchers make. Kernels ran to completion by the time a
// launcher returns, so streams are always idle. Not exported (see exports.map): a real CUDA
// runtime may be loaded in the same process.
extern "C" cudaError_t cudaGetLastError(void) {
  return static_cast<cudaError_t>(dnn_emu_last_error());
}

extern "C" cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t) {
  std::memset(devPtr, value, count);
  return cudaSuccess;
}

extern "C" cudaError_t cudaSetDevice(int device) {
  return device == 0 ? cudaSuccess : cudaErrorInvalidDevice;
}
