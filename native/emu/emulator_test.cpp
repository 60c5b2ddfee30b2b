// Self-test of the emulated libdnnkernels.so, run by build.sh: kernels of its own check that the
// emulator runs every thread, that __syncthreads, shuffles, shared memory and atomics behave as on
// a GPU and that a deadlock or a bad launch fails cleanly; then some launchers of the library run
// on host memory against references computed here in double precision, the element-wise ones on
// aligned and misaligned arrays so that their float4 and scalar paths must agree bit for bit.
// Exits non-zero on any failed check.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common.cuh"

namespace {

int failures = 0;
unsigned long long scheduleSeed = 0;  // of the launches that the checks are about

void check(bool ok, const char* what) {
  if (ok) return;
  if (scheduleSeed == 0) {
    std::printf("FAILED: %s\n", what);
  } else {
    std::printf("FAILED: %s (schedule seed %#llx)\n", what, scheduleSeed);
  }
  ++failures;
}

void check(bool ok, const std::string& what) { check(ok, what.c_str()); }

bool near(double actual, double expected, double tolerance) {
  return std::fabs(actual - expected) <= tolerance * (1.0 + std::fabs(expected));
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

// What `run` writes to stderr (file descriptor 2, where the emulator reports failed launches).
template <class Run>
std::string capturedStderr(Run run) {
  std::fflush(stderr);
  FILE* file = std::tmpfile();
  const int saved = dup(2);
  dup2(fileno(file), 2);
  run();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  std::fclose(file);
  return text;
}

std::vector<float> randomFloats(size_t n, float low, float high, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(low, high);
  std::vector<float> values(n);
  for (float& v : values) v = distribution(generator);
  return values;
}

// The scratch array of the reductions and loss sums, zeroed once as the header asks.
float* scratch() {
  static std::vector<float> values(DNN_REDUCTION_SCRATCH_FLOATS, 0.0f);
  return values.data();
}

// The count of finished blocks that a reduction leaves in its scratch array: 0 after every launch.
unsigned finishedBlocks(const float* scratch) {
  unsigned count;
  std::memcpy(&count, scratch + DNN_REDUCTION_MAX_BLOCKS, sizeof count);
  return count;
}

// ---- the emulator itself ----

// Each block sums its threads' values (barriers and warp shuffles inside blockSum); thread 0 of
// each block also adds it to *total, and every thread counts itself in runs.
__global__ void blockSumKernel(const float* values, float* blockTotals, float* total, int* runs) {
  const unsigned id = blockIdx.x * blockDim.x + threadIdx.x;
  atomicAdd(&runs[id], 1);
  const float sum = dnn::blockSum(values[id]);
  if (threadIdx.x == 0) {
    blockTotals[blockIdx.x] = sum;
    atomicAdd(total, sum);
  }
}

void testBlockSum() {
  const unsigned blocks = 3;
  const unsigned threads = 1024;
  std::vector<float> values(blocks * threads);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i % 97) - 40.0f;
  std::vector<float> blockTotals(blocks, -1.0f);
  float total = 0.0f;
  std::vector<int> runs(values.size(), 0);
  DNN_LAUNCH(blockSumKernel, blocks, threads, nullptr)(values.data(), blockTotals.data(), &total,
                                                       runs.data());
  check(dnn_emu_last_error() == cudaSuccess, "block sum launch succeeds");
  bool eachOnce = true;
  for (int r : runs) eachOnce = eachOnce && r == 1;
  check(eachOnce, "every thread of every block runs once");
  double all = 0.0;
  for (unsigned b = 0; b < blocks; ++b) {
    double expected = 0.0;
    for (unsigned t = 0; t < threads; ++t) expected += values[b * threads + t];
    all += expected;
    check(blockTotals[b] == expected, "block sum is exact");  // small integers: no rounding
  }
  check(total == all, "atomicAdd of the block sums is exact");
}

// A 32 x 8 block: the linear thread id is x + 32 y, and warps are 32 consecutive linear ids.
// Each thread reads its neighbour's shared slot after a barrier, the first lane's id through
// __shfl_sync, the next lane's through __shfl_down_sync and its xor-16 partner's through
// __shfl_xor_sync.
__global__ void layoutKernel(int salt, int* out) {
  __shared__ int slots[256];
  const int linear = static_cast<int>(threadIdx.x + threadIdx.y * blockDim.x);
  slots[linear] = linear + salt;
  __syncthreads();
  const int neighbour = slots[(linear + 1) % 256];
  const int first = __shfl_sync(dnn::kFullMask, linear, 0);
  const int down = __shfl_down_sync(dnn::kFullMask, linear, 1);
  const int partner = __shfl_xor_sync(dnn::kFullMask, linear, 16);
  int* mine = out + 4 * (blockIdx.x * 256 + linear);
  mine[0] = neighbour;
  mine[1] = first;
  mine[2] = down;
  mine[3] = partner;
}

void testLayout() {
  const int blocks = 2;
  for (int salt : {1000, 2000}) {  // a second launch must not see the first one's shared slots
    std::vector<int> out(4 * 256 * blocks, -1);
    DNN_LAUNCH(layoutKernel, blocks, dim3(32, 8), nullptr)(salt, out.data());
    check(dnn_emu_last_error() == cudaSuccess, "2D launch succeeds");
    bool neighbours = true;
    bool first = true;
    bool down = true;
    bool partner = true;
    for (int b = 0; b < blocks; ++b) {
      for (int t = 0; t < 256; ++t) {
        const int* got = out.data() + 4 * (b * 256 + t);
        const int lane = t % 32;
        neighbours = neighbours && got[0] == (t + 1) % 256 + salt;
        first = first && got[1] == t - lane;
        down = down && got[2] == (lane == 31 ? t : t + 1);
        partner = partner && got[3] == (t ^ 16);
      }
    }
    check(neighbours, "__syncthreads orders shared-memory writes before reads");
    check(first, "__shfl_sync reads lane 0 of the thread's own warp");
    check(down, "__shfl_down_sync reads lane + 1, the last lane its own value");
    check(partner, "__shfl_xor_sync reads lane ^ 16");
  }
}

// The upper half of the block leaves while the lower half waits at the barrier, which the last
// exit then completes.
__global__ void earlyExitKernel(int* out) {
  __shared__ int count;
  if (threadIdx.x == 0) count = 0;
  __syncthreads();
  if (threadIdx.x >= 32) return;
  atomicAdd(&count, 1);
  __syncthreads();
  if (threadIdx.x == 0) *out = count;
}

// Lane 0 waits at __syncthreads while the other lanes wait for it at a shuffle.
__global__ void deadlockKernel(int* out) {
  if (threadIdx.x == 0) {
    __syncthreads();
  } else {
    out[threadIdx.x] = __shfl_xor_sync(dnn::kFullMask, static_cast<int>(threadIdx.x), 1);
  }
}

// Lane 5 has exited, so the shuffle can never complete.
__global__ void missingLaneKernel(int* out) {
  if (threadIdx.x == 5) return;
  out[threadIdx.x] = __shfl_xor_sync(dnn::kFullMask, static_cast<int>(threadIdx.x), 1);
}

__global__ void partialMaskKernel(int* out) {
  out[threadIdx.x] = __shfl_sync(0x0000ffffu, static_cast<int>(threadIdx.x), 0);
}

__global__ void firstClaimKernel(int* owner) {
  atomicCAS(owner, 0, static_cast<int>(threadIdx.x + 1));
}

// Thread 1 reads a float4 one float past a 16-byte boundary.
__global__ void misalignedKernel(const float* x, float* out) {
  out[threadIdx.x] = dnn::load4(x + threadIdx.x, 0).x;
}

void testFailures() {
  int count = -1;
  DNN_LAUNCH(earlyExitKernel, 1, 64, nullptr)(&count);
  check(dnn_emu_last_error() == cudaSuccess && count == 32,
        "__syncthreads after some threads exited waits for the live ones");

  std::vector<int> out(64, 0);
  const std::string messages = capturedStderr([&] {
    const auto start = std::chrono::steady_clock::now();
    DNN_LAUNCH(deadlockKernel, 2, 64, nullptr)(out.data());
    check(dnn_emu_last_error() == cudaErrorLaunchFailure, "a deadlock fails the launch");
    DNN_LAUNCH(missingLaneKernel, 1, 32, nullptr)(out.data());
    check(dnn_emu_last_error() == cudaErrorLaunchFailure,
          "a shuffle missing an exited lane fails");
    check(std::chrono::steady_clock::now() - start < std::chrono::seconds(1),
          "failed launches return at once");
    DNN_LAUNCH(partialMaskKernel, 1, 32, nullptr)(out.data());
    check(dnn_emu_last_error() == cudaErrorLaunchFailure,
          "a shuffle mask short of the warp fails");
    check(dnn_emu_last_error() == cudaSuccess, "reading the last error resets it");
    DNN_LAUNCH(firstClaimKernel, 1, dim3(32, 32, 2), nullptr)(out.data());
    check(dnn_emu_last_error() == cudaErrorInvalidConfiguration,
          "2048 threads per block is invalid");
    DNN_LAUNCH(firstClaimKernel, 0, 32, nullptr)(out.data());
    check(dnn_emu_last_error() == cudaErrorInvalidConfiguration, "an empty grid is invalid");
    alignas(16) float x[8] = {};
    float misalignedOut[2];
    DNN_LAUNCH(misalignedKernel, 1, 2, nullptr)(x, misalignedOut);
    check(dnn_emu_last_error() == cudaErrorLaunchFailure, "a misaligned float4 access fails");
  });
  check(std::count(messages.begin(), messages.end(), '\n') == 6 &&
            contains(messages, "deadlockKernel, block (0,0,0): deadlock") &&
            contains(messages, "missingLaneKernel") && contains(messages, "partialMaskKernel") &&
            contains(messages, "firstClaimKernel: invalid launch") &&
            contains(messages, "thread (1,0,0): misaligned vector access"),
        "each failed launch prints one line naming its kernel");

  int owner = 0;
  DNN_LAUNCH(firstClaimKernel, 1, 256, nullptr)(&owner);
  check(dnn_emu_last_error() == cudaSuccess && owner == 1,
        "after failed launches the next one runs; atomicCAS lets only the first thread claim");
}

// Launches from several threads run one at a time, and each thread has its own last error.
void testThreads() {
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([w, &wrong] {
      std::vector<float> ownScratch(DNN_REDUCTION_SCRATCH_FLOATS, 0.0f);
      std::vector<float> x(10000);
      for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i * (w + 3) % 101) - 50.0f;
      double expected = 0.0;
      for (float v : x) expected += v;  // small integers: every order of addition is exact
      for (int round = 0; round < 50; ++round) {
        float sum = NAN;
        if (dnn_sum(x.data(), static_cast<int>(x.size()), &sum, ownScratch.data(), nullptr) != 0 ||
            sum != expected) {
          ++wrong[w];
        }
      }
    });
  }
  for (std::thread& t : workers) t.join();
  check(wrong == std::vector<int>(4, 0), "concurrent launches from four threads");

  int otherError = -1;
  capturedStderr([&] {  // keeps the failed launch's line out of the build log
    DNN_LAUNCH(partialMaskKernel, 1, 32, nullptr)(nullptr);
    std::thread([&otherError] {
      int owner = 0;
      DNN_LAUNCH(firstClaimKernel, 1, 32, nullptr)(&owner);
      otherError = dnn_emu_last_error();
    }).join();
  });
  check(otherError == cudaSuccess && dnn_emu_last_error() == cudaErrorLaunchFailure,
        "a launch on another thread leaves this thread's last error alone");
}

// ---- schedule fuzzing ----

// The fuzzed schedules that the checks below compare with the in-order one.
constexpr unsigned long long kSeeds[] = {1, 2, 3, 4, 5, 6, 7, 8};

void useSchedule(unsigned long long seed) {
  dnn_emu_set_schedule_seed(seed);
  scheduleSeed = seed;
}

// Every thread takes a tick from one clock when it starts and another after a barrier.
__global__ void ticksKernel(int* clock, int* ticks) {
  const unsigned id = blockIdx.x * blockDim.x + threadIdx.x;
  ticks[2 * id] = atomicAdd(clock, 1);
  __syncthreads();
  ticks[2 * id + 1] = atomicAdd(clock, 1);
}

// The order in which a launch of 8 blocks of 64 threads ran its blocks, and the order in which
// the threads of each block (in the order the blocks ran) started and resumed after a barrier.
struct Schedule {
  std::vector<int> blocks;
  std::vector<int> starts;
  std::vector<int> resumes;
  bool operator==(const Schedule&) const = default;
};

Schedule observeSchedule() {
  constexpr int kBlocks = 8;
  constexpr int kThreads = 64;
  int clock = 0;
  std::vector<int> ticks(2 * kBlocks * kThreads, -1);
  DNN_LAUNCH(ticksKernel, kBlocks, kThreads, nullptr)(&clock, ticks.data());
  check(dnn_emu_last_error() == cudaSuccess, "the ticks launch succeeds");
  // Blocks run one after another, each taking 2 * kThreads ticks: a tick tells its block's turn
  // and its thread's turn within the block.
  Schedule s{std::vector<int>(kBlocks, -1), std::vector<int>(kBlocks * kThreads, -1),
             std::vector<int>(kBlocks * kThreads, -1)};
  for (int id = 0; id < kBlocks * kThreads; ++id) {
    const int start = ticks[2 * id];
    const int resume = ticks[2 * id + 1];
    const int turn = start / (2 * kThreads);
    if (start < 0 || resume / (2 * kThreads) != turn || turn >= kBlocks) return {};
    s.blocks[turn] = id / kThreads;
    s.starts[turn * kThreads + start % (2 * kThreads)] = id % kThreads;
    s.resumes[turn * kThreads + resume % (2 * kThreads) - kThreads] = id % kThreads;
  }
  return s;
}

// Whether each of the n-long runs of `order` holds every index below n once.
bool permutations(const std::vector<int>& order, int n) {
  if (order.empty() || order.size() % n != 0) return false;
  for (size_t begin = 0; begin < order.size(); begin += n) {
    std::vector<int> run(order.begin() + begin, order.begin() + begin + n);
    std::sort(run.begin(), run.end());
    for (int i = 0; i < n; ++i) {
      if (run[i] != i) return false;
    }
  }
  return true;
}

std::vector<int> repeated(std::vector<int> run, int times) {
  std::vector<int> all;
  for (int i = 0; i < times; ++i) all.insert(all.end(), run.begin(), run.end());
  return all;
}

void testScheduleOrder() {
  std::vector<int> identity(64);
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<int> lastFirst(64);  // the last thread to arrive goes on, then the others in order
  std::iota(lastFirst.begin(), lastFirst.end(), -1);
  lastFirst[0] = 63;

  useSchedule(0);
  const Schedule inOrder = observeSchedule();
  check(inOrder.blocks == std::vector<int>(identity.begin(), identity.begin() + 8) &&
            inOrder.starts == repeated(identity, 8) && inOrder.resumes == repeated(lastFirst, 8),
        "seed 0: blocks and threads run in index order");
  std::vector<Schedule> fuzzed;
  for (unsigned long long seed : kSeeds) {
    useSchedule(seed);
    const Schedule s = observeSchedule();
    check(permutations(s.blocks, 8) && permutations(s.starts, 64) && permutations(s.resumes, 64),
          "a fuzzed schedule runs every block and thread once");
    check(s.blocks != inOrder.blocks && s.starts != inOrder.starts &&
              s.resumes != inOrder.resumes && s.resumes != s.starts,
          "a fuzzed schedule permutes blocks, starts and resumes");
    useSchedule(seed);
    check(observeSchedule() == s, "a seed replays its schedule");
    fuzzed.push_back(s);
  }
  useSchedule(0);
  check(std::adjacent_find(fuzzed.begin(), fuzzed.end()) == fuzzed.end(),
        "different seeds give different schedules");
  check(observeSchedule() == inOrder, "seed 0 restores the in-order schedule");
}

// Thread t writes slot t, then reads slot t + 1 with no __syncthreads between: a race. The
// intended result, which a barrier would give, is (t + 1) % 64 + salt. In order, thread t + 1 has
// not run yet when thread t reads, so every thread but the last reads what the previous launch
// left there: the same wrong answer every time.
__global__ void racyNeighbourKernel(int salt, int* out) {
  __shared__ int slots[64];
  const int t = static_cast<int>(threadIdx.x);
  slots[t] = t + salt;
  out[t] = slots[(t + 1) % 64];
}

// Block 0 publishes a value that the other blocks read, as if block 0 ran first: nothing orders
// the blocks of a grid on a GPU. The intended result is 1 in every block.
__global__ void blockZeroFirstKernel(int* published, int* seen) {
  if (blockIdx.x == 0) *published = 1;
  seen[blockIdx.x] = *published;
}

// Under the in-order schedule both racy kernels give a plausible result every time; fuzzed
// schedules must change it. Returns a line that says which seeds did.
std::string testRacesCaught() {
  const auto neighbours = [](unsigned long long seed) {
    useSchedule(seed);
    std::vector<int> out(64, -1);
    DNN_LAUNCH(racyNeighbourKernel, 1, 64, nullptr)(0, out.data());  // leaves slot t holding t
    DNN_LAUNCH(racyNeighbourKernel, 1, 64, nullptr)(1000, out.data());
    int intended = 0;
    for (int t = 0; t < 64; ++t) intended += out[t] == (t + 1) % 64 + 1000;
    return std::pair(out, intended);
  };
  const auto blockZero = [](unsigned long long seed) {
    useSchedule(seed);
    int published = 0;
    std::vector<int> seen(16, -1);
    DNN_LAUNCH(blockZeroFirstKernel, 16, 1, nullptr)(&published, seen.data());
    return seen;
  };
  const auto [inOrderNeighbours, inOrderIntended] = neighbours(0);
  check(inOrderIntended == 1, "in order, all threads of the racy kernel but the last read stale");
  const std::vector<int> inOrderBlockZero = blockZero(0);
  check(inOrderBlockZero == std::vector<int>(16, 1), "in order, block 0 runs first");
  std::string neighbourSeeds;
  std::string blockZeroSeeds;
  for (unsigned long long seed : kSeeds) {
    if (neighbours(seed).first != inOrderNeighbours) neighbourSeeds += " " + std::to_string(seed);
    if (blockZero(seed) != inOrderBlockZero) blockZeroSeeds += " " + std::to_string(seed);
  }
  useSchedule(0);
  check(!neighbourSeeds.empty(), "a fuzzed schedule catches the racy neighbour kernel");
  check(!blockZeroSeeds.empty(), "a fuzzed schedule catches the kernel that needs block 0 first");
  return "schedule fuzzing caught the racy neighbour kernel under seeds" + neighbourSeeds +
         ", the block-0-first kernel under seeds" + blockZeroSeeds;
}

// The seed that the library takes from DNN_EMU_SCHEDULE_SEED when it loads: this program runs
// itself with the variable set to `value`, and that run checks that its first launch has the
// schedule of `seed` (environmentSeedMain).
bool environmentGives(const char* value, unsigned long long seed) {
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return false;
  self[length] = '\0';
  setenv("DNN_EMU_SCHEDULE_SEED", value, 1);
  const std::string command =
      std::string("'") + self + "' --environment-seed " + std::to_string(seed);
  const int status = std::system(command.c_str());
  unsetenv("DNN_EMU_SCHEDULE_SEED");
  return status == 0;
}

int environmentSeedMain(const char* seed) {
  const Schedule first = observeSchedule();
  dnn_emu_set_schedule_seed(std::strtoull(seed, nullptr, 10));
  return first == observeSchedule() ? 0 : 1;
}

void testEnvironmentSeed() {
  check(environmentGives("12345", 12345), "DNN_EMU_SCHEDULE_SEED sets the initial seed");
  check(environmentGives("0x3039", 12345), "DNN_EMU_SCHEDULE_SEED takes hex");
  const std::string messages = capturedStderr([] {
    check(environmentGives("twelve", 0), "a DNN_EMU_SCHEDULE_SEED that is no number is 0");
  });
  check(contains(messages, "DNN_EMU_SCHEDULE_SEED=twelve is not a number"),
        "a DNN_EMU_SCHEDULE_SEED that is no number says so");
}

// ---- launchers of the library ----

void testSum() {
  const int n = 64000;
  const std::vector<float> x = randomFloats(n, -1.0f, 1.0f, 1);
  double sum = 0.0;
  double squares = 0.0;
  double magnitude = 0.0;
  for (float v : x) {
    sum += v;
    squares += static_cast<double>(v) * v;
    magnitude += std::fabs(v);
  }
  float result = NAN;
  check(dnn_sum(x.data(), n, &result, scratch(), nullptr) == 0, "dnn_sum succeeds");
  check(std::fabs(result - sum) <= 1e-5 * magnitude, "dnn_sum");
  check(finishedBlocks(scratch()) == 0, "dnn_sum leaves the count of finished blocks at 0");
  // A second launch finds the counter reset: its last block is found again and overwrites.
  const float first = result;
  result = NAN;
  check(dnn_sum(x.data(), n, &result, scratch(), nullptr) == 0 && result == first,
        "a second dnn_sum gives the same total");
  check(dnn_squared_norm(x.data(), n, &result, scratch(), nullptr) == 0,
        "dnn_squared_norm succeeds");
  check(near(result, squares, 1e-5), "dnn_squared_norm");
  check(finishedBlocks(scratch()) == 0, "dnn_squared_norm leaves the count at 0");

  // Enough elements for the largest grid a reduction takes here, several strides of it each.
  const int large = 1 << 22;
  const std::vector<float> y = randomFloats(large, -1.0f, 1.0f, 4);
  double largeSum = 0.0;
  double largeMagnitude = 0.0;
  for (float v : y) {
    largeSum += v;
    largeMagnitude += std::fabs(v);
  }
  check(dnn::reductionGridFor(large) == dnn::kMaxReductionBlocks, "a full reduction grid");
  check(dnn_sum(y.data(), large, &result, scratch(), nullptr) == 0 &&
            std::fabs(result - largeSum) <= 1e-5 * largeMagnitude,
        "dnn_sum over a full reduction grid");
  check(finishedBlocks(scratch()) == 0, "a full grid leaves the count at 0");
  std::vector<float> nan = x;
  nan[n / 2] = NAN;
  check(dnn_sum(nan.data(), n, &result, scratch(), nullptr) == 0 && std::isnan(result),
        "dnn_sum propagates NaN");
  result = NAN;
  check(dnn_sum(x.data(), 0, &result, scratch(), nullptr) == 0 && result == 0.0f,
        "dnn_sum of nothing is 0");
}

void testColumnSums() {
  const int rows = 1000;
  const int cols = 70;  // the last block of 32 columns is partly idle
  const std::vector<float> x = randomFloats(static_cast<size_t>(rows) * cols, -1.0f, 1.0f, 2);
  std::vector<float> out(cols, NAN);  // beta = 0 ignores the previous contents, even NaN
  check(dnn_column_sums(x.data(), rows, cols, 0.0f, out.data(), nullptr) == 0,
        "dnn_column_sums succeeds");
  bool ok = true;
  std::vector<double> expected(cols, 0.0);
  for (int j = 0; j < cols; ++j) {
    for (int i = 0; i < rows; ++i) expected[j] += x[static_cast<size_t>(i) * cols + j];
    ok = ok && std::fabs(out[j] - expected[j]) <= 1e-5 * rows;
  }
  check(ok, "dnn_column_sums with beta 0");
  check(dnn_column_sums(x.data(), rows, cols, 0.5f, out.data(), nullptr) == 0,
        "dnn_column_sums with beta succeeds");
  ok = true;
  for (int j = 0; j < cols; ++j) ok = ok && std::fabs(out[j] - 1.5 * expected[j]) <= 2e-5 * rows;
  check(ok, "dnn_column_sums with beta 0.5");
}

void testSoftmaxCrossEntropy() {
  const int rows = 100;
  const int cols = 37;
  const std::vector<float> logits = randomFloats(static_cast<size_t>(rows) * cols, -5.0f, 5.0f, 3);
  std::vector<float> labels(rows);
  for (int i = 0; i < rows; ++i) labels[i] = static_cast<float>((i * 7) % cols);
  std::vector<float> grad(logits.size(), NAN);
  float loss = 0.0f;
  int badRow = 0;
  check(dnn_softmax_cross_entropy(logits.data(), labels.data(), grad.data(), &loss, &badRow, rows,
                                  cols, scratch(), nullptr) == 0,
        "dnn_softmax_cross_entropy succeeds");
  double expectedLoss = 0.0;
  bool gradients = true;
  for (int i = 0; i < rows; ++i) {
    const float* z = logits.data() + static_cast<size_t>(i) * cols;
    double max = z[0];
    for (int j = 1; j < cols; ++j) max = std::fmax(max, z[j]);
    double sum = 0.0;
    for (int j = 0; j < cols; ++j) sum += std::exp(z[j] - max);
    const int label = static_cast<int>(labels[i]);
    expectedLoss += max + std::log(sum) - z[label];
    for (int j = 0; j < cols; ++j) {
      const double p = std::exp(z[j] - max) / sum;
      const double expected = (p - (j == label ? 1.0 : 0.0)) / rows;
      const float actual = grad[static_cast<size_t>(i) * cols + j];
      gradients = gradients && std::fabs(actual - expected) <= 1e-7;
    }
  }
  check(near(loss, expectedLoss, 1e-5), "softmax cross-entropy loss");
  check(gradients, "softmax cross-entropy gradient");
  check(badRow == 0, "softmax cross-entropy: valid labels flag no row");
  // The loss sum is added to what lossSum holds.
  const float once = loss;
  check(dnn_softmax_cross_entropy(logits.data(), labels.data(), grad.data(), &loss, &badRow, rows,
                                  cols, scratch(), nullptr) == 0 &&
            loss == once + once,
        "a second softmax cross-entropy adds the same loss sum");

  labels[41] = 2.5f;
  labels[60] = -1.0f;
  loss = 0.0f;
  check(dnn_softmax_cross_entropy(logits.data(), labels.data(), grad.data(), &loss, &badRow, rows,
                                  cols, scratch(), nullptr) == 0,
        "dnn_softmax_cross_entropy with bad labels succeeds");
  check(std::isnan(loss), "a bad label makes the loss NaN");
  check(badRow == 42, "the first bad label's row + 1 is reported");
}

// ---- float4 and scalar paths of the element-wise launchers ----

// n floats that start `offset` floats past a 16-byte boundary, standing in for a device array.
// Launchers take their float4 path only when every array they touch starts on a boundary, so
// offset 0 runs it and offset 1 runs the scalar path over every element.
class Array {
 public:
  Array(const std::vector<float>& values, int offset)
      : storage_(values.size() + 4 + offset), size_(values.size()) {
    const auto address = reinterpret_cast<uintptr_t>(storage_.data());
    data_ = storage_.data() + (16 - address % 16) % 16 / sizeof(float) + offset;
    std::copy(values.begin(), values.end(), data_);
  }
  Array(const Array&) = delete;
  Array& operator=(const Array&) = delete;

  float* data() { return data_; }
  std::vector<float> values() const { return std::vector<float>(data_, data_ + size_); }

 private:
  std::vector<float> storage_;
  float* data_;
  size_t size_;
};

// Offsets of the arrays of one launch: all aligned (float4 bulk, scalar tail), all one float off,
// or only one array off, which alone must turn the float4 path off. kLayouts[0] is the float4
// path that the others must match bit for bit.
struct Layout {
  const char* name;
  int offset;     // of every array but one
  int oneOffset;  // of that one
};
constexpr Layout kLayouts[] = {{"aligned", 0, 0}, {"offset", 1, 1}, {"one array offset", 0, 1}};

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string describe(const char* what, int kind, int rows, int cols, const char* layout) {
  return std::string(what) + ", kind " + std::to_string(kind) + ", " + std::to_string(rows) + "x" +
         std::to_string(cols) + ", " + layout;
}

// Sizes below 4 and not multiples of 4, fewer columns than lanes (a quad then spans rows), and
// enough quads for several grid strides.
struct MatrixShape {
  int rows;
  int cols;
};
constexpr MatrixShape kShapes[] = {
    {1, 1}, {1, 3}, {1, 5}, {9, 1}, {5, 2}, {2, 3}, {37, 29}, {129, 67}};

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluLambda = 1.0507009873554804934193349852946;

double referenceSigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double referenceActivate(int kind, double z, double alpha, double slope) {
  switch (kind) {
    case DNN_ACT_SIGMOID:
      return referenceSigmoid(z);
    case DNN_ACT_TANH:
      return std::tanh(z);
    case DNN_ACT_RELU:
      return z <= 0.0 ? 0.0 : z;
    case DNN_ACT_LEAKY_RELU:
    case DNN_ACT_PRELU:
    case DNN_ACT_RRELU:
      return z > 0.0 ? z : slope * z;
    case DNN_ACT_ELU:
      return z > 0.0 ? z : alpha * std::expm1(z);
    case DNN_ACT_SELU:
      return z > 0.0 ? kSeluLambda * z : kSeluLambda * kSeluAlpha * std::expm1(z);
    case DNN_ACT_SOFTPLUS:
      return std::log1p(std::exp(z));
    case DNN_ACT_SWISH:
      return z * referenceSigmoid(z);
    case DNN_ACT_ABS:
      return std::fabs(z);
    default:
      return z;
  }
}

double referenceDerivative(int kind, double z, double y, double alpha, double slope) {
  switch (kind) {
    case DNN_ACT_SIGMOID:
      return y * (1.0 - y);
    case DNN_ACT_TANH:
      return 1.0 - y * y;
    case DNN_ACT_RELU:
      return z > 0.0 ? 1.0 : 0.0;
    case DNN_ACT_LEAKY_RELU:
    case DNN_ACT_PRELU:
    case DNN_ACT_RRELU:
      return z > 0.0 ? 1.0 : slope;
    case DNN_ACT_ELU:
      return z > 0.0 ? 1.0 : alpha * std::exp(z);
    case DNN_ACT_SELU:
      return z > 0.0 ? kSeluLambda : kSeluLambda * kSeluAlpha * std::exp(z);
    case DNN_ACT_SOFTPLUS:
      return referenceSigmoid(z);
    case DNN_ACT_SWISH: {
      const double s = referenceSigmoid(z);
      return s + z * s * (1.0 - s);
    }
    case DNN_ACT_ABS:
      return z > 0.0 ? 1.0 : (z < 0.0 ? -1.0 : z);
    default:
      return 1.0;
  }
}

// Inputs of the activation launchers for one kind and shape; every 7th z is 0, a kink.
struct ActivationInputs {
  ActivationInputs(int kind, int rows, int cols) : kind(kind), rows(rows), cols(cols) {
    const size_t n = static_cast<size_t>(rows) * cols;
    z = randomFloats(n, -4.0f, 4.0f, 20 + kind);
    for (size_t i = 0; i < n; i += 7) z[i] = 0.0f;
    bias = randomFloats(cols, -1.0f, 1.0f, 21);
    if (kind == DNN_ACT_PRELU) slopes = randomFloats(cols, 0.05f, 0.5f, 22);
    if (kind == DNN_ACT_RRELU) slopes = randomFloats(n, 0.05f, 0.5f, 23);
    out.resize(n);
    for (size_t i = 0; i < n; ++i) {
      out[i] = static_cast<float>(referenceActivate(kind, z[i], alpha, slope(i)));
    }
    gradOut = randomFloats(n, -1.0f, 1.0f, 24);
  }

  double slope(size_t i) const {
    if (kind == DNN_ACT_PRELU) return slopes[i % cols];
    if (kind == DNN_ACT_RRELU) return slopes[i];
    return alpha;
  }

  const float* slopesOrNull() const { return slopes.empty() ? nullptr : slopes.data(); }

  int kind;
  int rows;
  int cols;
  float alpha = 0.2f;
  std::vector<float> z, bias, slopes, out, gradOut;
};

// z + bias and f(z + bias) from dnn_bias_activation_forward; with inPlace, out is z itself. The
// one array of the layout is out.
std::pair<std::vector<float>, std::vector<float>> runForward(const ActivationInputs& in,
                                                             bool withBias, bool inPlace,
                                                             const Layout& layout) {
  Array z(in.z, inPlace ? layout.oneOffset : layout.offset);
  Array out(std::vector<float>(in.z.size(), NAN), layout.oneOffset);
  float* outPointer = inPlace ? z.data() : out.data();
  check(dnn_bias_activation_forward(in.kind, in.alpha, in.slopesOrNull(), z.data(),
                                    withBias ? in.bias.data() : nullptr, outPointer, in.rows,
                                    in.cols, nullptr) == 0,
        "dnn_bias_activation_forward succeeds");
  return {z.values(), inPlace ? z.values() : out.values()};
}

// gradIn from dnn_activation_backward; with inPlace, gradIn is gradOut itself. The one array of
// the layout is gradIn.
std::vector<float> runBackward(const ActivationInputs& in, bool inPlace, const Layout& layout) {
  Array z(in.z, layout.offset);
  Array out(in.out, layout.offset);
  Array gradOut(in.gradOut, inPlace ? layout.oneOffset : layout.offset);
  Array gradIn(std::vector<float>(in.z.size(), NAN), layout.oneOffset);
  Array& result = inPlace ? gradOut : gradIn;
  check(dnn_activation_backward(in.kind, in.alpha, in.slopesOrNull(), z.data(), out.data(),
                                gradOut.data(), result.data(), in.rows, in.cols, nullptr) == 0,
        "dnn_activation_backward succeeds");
  return result.values();
}

// Every activation kind on every shape and layout, with and without bias, out apart from z and
// in place: z + bias exactly, f and f' close to double precision, and every layout bit for bit
// what the float4 path gives.
// A kind outside the DNN_ACT_* codes is refused by both launchers, which leave every array as it
// was, rather than computed as some other function.
void testUnknownActivationKind() {
  const int invalidValue = static_cast<int>(cudaErrorInvalidValue);
  std::vector<float> z{-1.0f, 2.0f}, out{7.0f, 7.0f}, grad{1.0f, 1.0f}, gradIn{5.0f, 5.0f};
  for (int kind : {-1, DNN_ACT_ABS + 1, 1000}) {
    const std::string what = "unknown activation kind " + std::to_string(kind);
    check(dnn_bias_activation_forward(kind, 0.0f, nullptr, z.data(), nullptr, out.data(), 1, 2,
                                      nullptr) == invalidValue,
          what + ": forward returns cudaErrorInvalidValue");
    check(dnn_activation_backward(kind, 0.0f, nullptr, z.data(), out.data(), grad.data(),
                                  gradIn.data(), 1, 2, nullptr) == invalidValue,
          what + ": backward returns cudaErrorInvalidValue");
    check(out == std::vector<float>{7.0f, 7.0f} && gradIn == std::vector<float>{5.0f, 5.0f},
          what + ": nothing written");
  }
}

void testActivations() {
  for (int kind = DNN_ACT_LINEAR; kind <= DNN_ACT_ABS; ++kind) {
    for (const MatrixShape& shape : kShapes) {
      const ActivationInputs in(kind, shape.rows, shape.cols);
      const size_t n = in.z.size();
      for (bool withBias : {false, true}) {
        std::vector<double> expectedOut(n);
        std::vector<float> expectedZ(n);
        for (size_t i = 0; i < n; ++i) {
          expectedZ[i] = withBias ? in.z[i] + in.bias[i % in.cols] : in.z[i];  // one float add
          expectedOut[i] = referenceActivate(kind, expectedZ[i], in.alpha, in.slope(i));
        }
        const std::vector<float> vectorOut = runForward(in, withBias, false, kLayouts[0]).second;
        for (bool inPlace : {false, true}) {
          for (const Layout& layout : kLayouts) {
            const std::string what = describe(
                withBias ? (inPlace ? "forward with bias in place" : "forward with bias")
                         : (inPlace ? "forward in place" : "forward"),
                kind, shape.rows, shape.cols, layout.name);
            const auto [z, out] = runForward(in, withBias, inPlace, layout);
            bool close = true;
            for (size_t i = 0; i < n; ++i) close = close && near(out[i], expectedOut[i], 1e-5);
            check(close, what + ": out");
            if (!inPlace) check(z == expectedZ, what + ": z + bias");
            check(sameBits(out, vectorOut), what + ": out as the float4 path");
          }
        }
      }
      std::vector<double> expectedGradIn(n);
      for (size_t i = 0; i < n; ++i) {
        expectedGradIn[i] =
            in.gradOut[i] * referenceDerivative(kind, in.z[i], in.out[i], in.alpha, in.slope(i));
      }
      const std::vector<float> vectorGradIn = runBackward(in, false, kLayouts[0]);
      for (bool inPlace : {false, true}) {
        for (const Layout& layout : kLayouts) {
          const std::string what = describe(inPlace ? "backward in place" : "backward", kind,
                                            shape.rows, shape.cols, layout.name);
          const std::vector<float> gradIn = runBackward(in, inPlace, layout);
          bool close = true;
          for (size_t i = 0; i < n; ++i) close = close && near(gradIn[i], expectedGradIn[i], 1e-5);
          check(close, what + ": gradIn");
          check(sameBits(gradIn, vectorGradIn), what + ": gradIn as the float4 path");
        }
      }
    }
  }
}

constexpr int kSizes[] = {1, 3, 5, 37 * 29, 129 * 67};

// One optimizer: its launcher on a parameter, gradient and up to two state arrays, and its rule
// for one element in double precision.
struct Optimizer {
  const char* name;
  std::function<int(float* p, const float* g, float* s0, float* s1, int n)> launch;
  std::function<void(double& p, double g, double& s0, double& s1)> reference;
};

std::vector<Optimizer> optimizers() {
  const float lr = 0.01f, l2 = 1e-3f, wd = 0.05f, mu = 0.9f, rho = 0.9f, eps = 1e-6f;
  const float beta1 = 0.9f, beta2 = 0.999f, bc1 = 0.271f, bc2 = 0.003f;
  const float gradStep = 0.004f, momentumStep = 0.02f;
  const auto momentum = [=](bool nesterov) {
    return Optimizer{
        nesterov ? "nesterov" : "momentum",
        [=](float* p, const float* g, float* v, float*, int n) {
          return dnn_momentum_update(p, g, v, n, lr, mu, nesterov, l2, wd, nullptr);
        },
        [=](double& p, double g, double& v, double&) {
          const double grad = g + l2 * p;
          v = mu * v + grad;
          p = p - lr * (nesterov ? grad + mu * v : v) - lr * wd * p;
        }};
  };
  return {
      {"sgd",
       [=](float* p, const float* g, float*, float*, int n) {
         return dnn_sgd_update(p, g, n, lr, l2, wd, nullptr);
       },
       [=](double& p, double g, double&, double&) { p = p - lr * (g + l2 * p) - lr * wd * p; }},
      momentum(false),
      momentum(true),
      {"adagrad",
       [=](float* p, const float* g, float* s, float*, int n) {
         return dnn_ada_grad_update(p, g, s, n, lr, eps, l2, wd, nullptr);
       },
       [=](double& p, double g, double& s, double&) {
         const double grad = g + l2 * p;
         s = s + grad * grad;
         p = p - lr * grad / (std::sqrt(s) + eps) - lr * wd * p;
       }},
      {"rmsprop",
       [=](float* p, const float* g, float* s, float*, int n) {
         return dnn_rms_prop_update(p, g, s, n, lr, rho, eps, l2, wd, nullptr);
       },
       [=](double& p, double g, double& s, double&) {
         const double grad = g + l2 * p;
         s = rho * s + (1.0 - rho) * grad * grad;
         p = p - lr * grad / (std::sqrt(s) + eps) - lr * wd * p;
       }},
      {"adam",
       [=](float* p, const float* g, float* m, float* v, int n) {
         return dnn_adam_update(p, g, m, v, n, lr, beta1, beta2, eps, bc1, bc2, l2, wd, nullptr);
       },
       [=](double& p, double g, double& m, double& v) {
         const double grad = g + l2 * p;
         m = beta1 * m + (1.0 - beta1) * grad;
         v = beta2 * v + (1.0 - beta2) * grad * grad;
         p = p - lr * (m / bc1) / (std::sqrt(v / bc2) + eps) - lr * wd * p;
       }},
      {"nadam",
       [=](float* p, const float* g, float* m, float* v, int n) {
         return dnn_nadam_update(p, g, m, v, n, lr, beta1, 1.0f - beta1, beta2, 1.0f - beta2, eps,
                                 gradStep, momentumStep, bc2, l2, wd, nullptr);
       },
       [=](double& p, double g, double& m, double& v) {
         const double grad = g + l2 * p;
         m = beta1 * m + (1.0 - beta1) * grad;
         v = beta2 * v + (1.0 - beta2) * grad * grad;
         const double d = std::sqrt(v / bc2) + eps;
         p = p - gradStep * grad / d - momentumStep * m / d - lr * wd * p;
       }},
  };
}

// Every optimizer on every size and layout: parameter and state close to double precision, and
// bit for bit what the float4 path gives.
void testOptimizers() {
  for (const Optimizer& optimizer : optimizers()) {
    for (int n : kSizes) {
      const std::vector<float> p0 = randomFloats(n, -1.0f, 1.0f, 30);
      const std::vector<float> g = randomFloats(n, -1.0f, 1.0f, 31);
      const std::vector<float> firstState = randomFloats(n, 0.0f, 0.1f, 32);
      const std::vector<float> secondState = randomFloats(n, 0.0f, 0.01f, 33);
      std::vector<double> p(p0.begin(), p0.end());
      std::vector<double> s0(firstState.begin(), firstState.end());
      std::vector<double> s1(secondState.begin(), secondState.end());
      for (int i = 0; i < n; ++i) optimizer.reference(p[i], g[i], s0[i], s1[i]);
      std::vector<float> vectorResult;
      for (const Layout& layout : kLayouts) {
        // The one array of the layout is the gradient, the only one that every optimizer takes.
        Array param(p0, layout.offset), grad(g, layout.oneOffset),
            state0(firstState, layout.offset), state1(secondState, layout.offset);
        const std::string what = std::string(optimizer.name) + ", n " + std::to_string(n) + ", " +
                                 layout.name;
        check(optimizer.launch(param.data(), grad.data(), state0.data(), state1.data(), n) == 0,
              what + ": launch succeeds");
        bool close = true;
        for (int i = 0; i < n; ++i) {
          close = close && near(param.data()[i], p[i], 1e-6) &&
                  near(state0.data()[i], s0[i], 1e-6) && near(state1.data()[i], s1[i], 1e-6);
        }
        check(close, what + ": parameter and state");
        std::vector<float> result = param.values();
        for (const Array* state : {&state0, &state1}) {
          const std::vector<float> values = state->values();
          result.insert(result.end(), values.begin(), values.end());
        }
        if (&layout == &kLayouts[0]) vectorResult = result;
        check(sameBits(result, vectorResult), what + ": as the float4 path");
      }
    }
  }
}

// Sigmoid binary cross-entropy and mean squared error on every size and layout: gradients close
// to double precision and bit for bit those of the float4 path, loss sums close.
void testElementwiseLosses() {
  for (bool bce : {true, false}) {
    for (int n : kSizes) {
      const std::vector<float> x = randomFloats(n, -4.0f, 4.0f, 40);
      const std::vector<float> t = randomFloats(n, 0.0f, 1.0f, 41);
      double expectedLoss = 0.0;
      std::vector<double> expectedGrad(n);
      for (int i = 0; i < n; ++i) {
        if (bce) {
          const double z = x[i];
          expectedLoss += std::fmax(z, 0.0) - z * t[i] + std::log1p(std::exp(-std::fabs(z)));
          expectedGrad[i] = (referenceSigmoid(z) - t[i]) / n;
        } else {
          const double d = static_cast<double>(x[i]) - t[i];
          expectedLoss += d * d;
          expectedGrad[i] = 2.0 * d / n;
        }
      }
      std::vector<float> vectorGrad;
      for (const Layout& layout : kLayouts) {
        Array input(x, layout.offset), targets(t, layout.offset),
            grad(std::vector<float>(n, NAN), layout.oneOffset);
        float loss = 0.0f;
        const std::string what =
            std::string(bce ? "sigmoid bce" : "mse") + ", n " + std::to_string(n) + ", " +
            layout.name;
        const int status =
            bce ? dnn_sigmoid_binary_cross_entropy(input.data(), targets.data(), grad.data(), &loss,
                                                   n, scratch(), nullptr)
                : dnn_mean_squared_error(input.data(), targets.data(), grad.data(), &loss, n,
                                         scratch(), nullptr);
        check(status == 0, what + ": launch succeeds");
        check(near(loss, expectedLoss, 1e-5), what + ": loss sum");
        bool close = true;
        for (int i = 0; i < n; ++i) close = close && near(grad.data()[i], expectedGrad[i], 1e-6);
        check(close, what + ": gradient");
        if (&layout == &kLayouts[0]) vectorGrad = grad.values();
        check(sameBits(grad.values(), vectorGrad), what + ": gradient as the float4 path");
      }
    }
  }
}

// Philox4x32-10 from its definition (Random123), checked here against the known answers.
std::vector<uint32_t> philox(uint64_t counterLow, uint64_t counterHigh, uint64_t key) {
  uint32_t c[4] = {static_cast<uint32_t>(counterLow), static_cast<uint32_t>(counterLow >> 32),
                   static_cast<uint32_t>(counterHigh), static_cast<uint32_t>(counterHigh >> 32)};
  uint32_t k[2] = {static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)};
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = uint64_t{0xD2511F53} * c[0];
    const uint64_t p1 = uint64_t{0xCD9E8D57} * c[2];
    const uint32_t next[4] = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0],
                              static_cast<uint32_t>(p1),
                              static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1],
                              static_cast<uint32_t>(p0)};
    for (int w = 0; w < 4; ++w) c[w] = next[w];
    k[0] += 0x9E3779B9;
    k[1] += 0xBB67AE85;
  }
  return {c[0], c[1], c[2], c[3]};
}

void testDropout() {
  check(philox(0, 0, 0) == std::vector<uint32_t>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8} &&
            philox(~0ull, ~0ull, ~0ull) ==
                std::vector<uint32_t>{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd} &&
            philox(0x85a308d3243f6a88, 0x0370734413198a2e, 0x299f31d0a4093822) ==
                std::vector<uint32_t>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
        "reference Philox gives the Random123 known answers");

  const int n = 64003;
  const float keep = 0.8f;
  const unsigned long long seed = 0x123456789abcdefull;
  const unsigned long long stream = 42;
  const std::vector<float> x = randomFloats(n, -1.0f, 1.0f, 10);
  std::vector<float> mask(n, NAN);
  std::vector<float> out(n, NAN);
  check(dnn_dropout_forward(x.data(), n, keep, seed, stream, mask.data(), out.data(), nullptr) == 0,
        "dnn_dropout_forward succeeds");
  const float scale = 1.0f / keep;
  bool ok = true;
  int kept = 0;
  for (int i = 0; i < n; ++i) {
    const uint32_t bits = philox(static_cast<uint64_t>(i) / 4, stream, seed)[i % 4];
    const float uniform = static_cast<float>(bits >> 8) / 16777216.0f;
    const float m = uniform < keep ? scale : 0.0f;
    ok = ok && mask[i] == m && out[i] == x[i] * m;
    kept += m != 0.0f;
  }
  check(ok, "dnn_dropout_forward: the mask of Philox bit for bit, out = x * mask");
  check(std::fabs(kept - keep * n) < 0.01 * n, "dropout keeps about keepProbability");
}

// ---- every launcher under fuzzed schedules ----

// Inputs of the launchers: n is 4 blocks of 256 threads (the emulation's cap) for several grid
// strides with a scalar tail; rows x cols is 4 blocks of 8 row warps, and 3 blocks of 32 columns,
// the last partly idle.
struct FuzzInputs {
  static constexpr int n = 10001;
  static constexpr int rows = 300;
  static constexpr int cols = 70;
  static constexpr int pieces = 3;
  std::vector<float> x = randomFloats(n, -1.0f, 1.0f, 50);
  std::vector<float> y = randomFloats(n, -1.0f, 1.0f, 51);
  std::vector<float> unit = randomFloats(n, 0.0f, 1.0f, 52);
  std::vector<float> matrix = randomFloats(rows * cols, -3.0f, 3.0f, 53);
  std::vector<float> gradient = randomFloats(rows * cols, -1.0f, 1.0f, 54);
  std::vector<float> slopes = randomFloats(rows * cols, 0.05f, 0.5f, 55);  // per element or column
  std::vector<float> columns = randomFloats(cols, 0.5f, 1.5f, 56);
  std::vector<float> pieceValues = randomFloats(rows * cols * pieces, -1.0f, 1.0f, 57);
  std::vector<float> labels = classLabels();

  // Every third row's label is its argmax, so that count correct counts some rows.
  std::vector<float> classLabels() const {
    std::vector<float> labels(rows);
    for (int i = 0; i < rows; ++i) {
      const float* row = matrix.data() + i * cols;
      const long best = std::max_element(row, row + cols) - row;
      labels[i] = static_cast<float>(i % 3 == 0 ? best : i * 7 % cols);
    }
    return labels;
  }
};

// What launchers produced: values that must not depend on the schedule.
struct Outcome {
  int status = 0;  // the launchers' statuses or-ed
  std::vector<float> exact;

  void add(const std::vector<float>& values) {
    exact.insert(exact.end(), values.begin(), values.end());
  }
};

Outcome runElementwise(const FuzzInputs& in) {
  const int n = in.n;
  Outcome o;
  std::vector<float> out(n);
  std::vector<float> y = in.y;
  std::vector<float> mask(n);
  o.status |= dnn_fill(out.data(), n, 0.5f, nullptr);
  o.add(out);
  o.status |= dnn_copy(in.x.data(), out.data(), n, nullptr);
  o.status |= dnn_scale(out.data(), n, 1.5f, nullptr);
  o.add(out);
  o.status |= dnn_axpy(0.25f, in.x.data(), y.data(), n, nullptr);
  o.add(y);
  o.status |= dnn_add(in.x.data(), in.y.data(), out.data(), n, nullptr);
  o.add(out);
  o.status |= dnn_multiply(in.x.data(), in.y.data(), out.data(), n, nullptr);
  o.add(out);
  o.status |= dnn_fill_uniform(out.data(), n, -2.0f, 3.0f, 77, 5, nullptr);
  o.add(out);
  o.status |= dnn_dropout_forward(in.x.data(), n, 0.7f, 77, 6, mask.data(), out.data(), nullptr);
  o.add(mask);
  o.add(out);
  o.status |= dnn_dropout_backward(in.y.data(), mask.data(), out.data(), n, nullptr);
  o.add(out);
  return o;
}

Outcome runActivations(const FuzzInputs& in) {
  const int rows = in.rows;
  const int cols = in.cols;
  Outcome o;
  std::vector<float> out(rows * cols);
  std::vector<float> grad(rows * cols);
  for (int kind = DNN_ACT_LINEAR; kind <= DNN_ACT_ABS; ++kind) {
    std::vector<float> z = in.matrix;
    o.status |= dnn_bias_activation_forward(kind, 0.2f, in.slopes.data(), z.data(),
                                            in.columns.data(), out.data(), rows, cols, nullptr);
    o.status |= dnn_activation_backward(kind, 0.2f, in.slopes.data(), z.data(), out.data(),
                                        in.gradient.data(), grad.data(), rows, cols, nullptr);
    for (const auto* values : {&z, &out, &grad}) o.add(*values);
  }
  std::vector<float> slopeGradient = in.columns;
  o.status |= dnn_prelu_slope_gradient(in.matrix.data(), in.gradient.data(), rows, cols, 0.5f,
                                       slopeGradient.data(), nullptr);
  o.add(slopeGradient);
  std::vector<float> argmax(rows * cols);
  std::vector<float> gradIn(in.pieceValues.size());
  o.status |= dnn_maxout_forward(in.pieceValues.data(), rows, cols, in.pieces, out.data(),
                                 argmax.data(), nullptr);
  o.status |= dnn_maxout_backward(in.gradient.data(), argmax.data(), rows, cols, in.pieces,
                                  gradIn.data(), nullptr);
  o.add(out);
  o.add(argmax);
  o.add(gradIn);
  return o;
}

Outcome runReductions(const FuzzInputs& in) {
  const int rows = in.rows;
  const int cols = in.cols;
  Outcome o;
  std::vector<float> columnSums = in.columns;
  o.status |= dnn_column_sums(in.matrix.data(), rows, cols, 0.5f, columnSums.data(), nullptr);
  o.add(columnSums);
  std::vector<float> argmax(rows);
  o.status |= dnn_argmax_rows(in.matrix.data(), rows, cols, argmax.data(), nullptr);
  o.add(argmax);
  // Blocks add whole numbers of rows, exactly in any order.
  std::vector<float> count{0.0f};
  o.status |= dnn_count_correct(in.matrix.data(), in.labels.data(), rows, cols, count.data(),
                                nullptr);
  o.add(count);
  float result = 0.0f;
  o.status |= dnn_sum(in.x.data(), in.n, &result, scratch(), nullptr);
  o.add({result});
  o.status |= dnn_squared_norm(in.x.data(), in.n, &result, scratch(), nullptr);
  o.add({result});
  return o;
}

Outcome runLosses(const FuzzInputs& in) {
  const int rows = in.rows;
  const int cols = in.cols;
  Outcome o;
  std::vector<float> out(rows * cols);
  o.status |= dnn_softmax(in.matrix.data(), out.data(), rows, cols, nullptr);
  o.add(out);
  float loss = 0.0f;
  int badRow = 0;
  o.status |= dnn_softmax_cross_entropy(in.matrix.data(), in.labels.data(), out.data(), &loss,
                                        &badRow, rows, cols, scratch(), nullptr);
  o.add(out);
  o.add({static_cast<float>(badRow), loss});
  // Bad labels in rows of different blocks and warps: the first is reported in any order.
  std::vector<float> labels = in.labels;
  for (int row : {rows - 1, 100, 30, 20, 17}) labels[row] = -1.0f;
  o.status |= dnn_softmax_cross_entropy(in.matrix.data(), labels.data(), out.data(), &loss,
                                        &badRow, rows, cols, scratch(), nullptr);
  o.add({static_cast<float>(badRow)});
  std::vector<float> grad(in.n);
  loss = 0.0f;
  o.status |= dnn_sigmoid_binary_cross_entropy(in.x.data(), in.unit.data(), grad.data(), &loss,
                                               in.n, scratch(), nullptr);
  o.add(grad);
  o.add({loss});
  loss = 0.0f;
  o.status |= dnn_mean_squared_error(in.x.data(), in.y.data(), grad.data(), &loss, in.n, scratch(),
                                     nullptr);
  o.add(grad);
  o.add({loss});
  return o;
}

Outcome runBatchNorm(const FuzzInputs& in) {
  const int n = in.rows;
  const int c = in.cols;
  Outcome o;
  std::vector<float> beta(in.columns.rbegin(), in.columns.rend());
  std::vector<float> runningMean(c, 0.1f);
  std::vector<float> runningVar = in.columns;
  std::vector<float> mean(c);
  std::vector<float> invStd(c);
  std::vector<float> out(n * c);
  o.status |= dnn_batch_norm_forward_training(in.matrix.data(), n, c, in.columns.data(),
                                              beta.data(), runningMean.data(), runningVar.data(),
                                              0.1f, 1e-5f, mean.data(), invStd.data(), out.data(),
                                              nullptr);
  for (const auto* values : {&runningMean, &runningVar, &mean, &invStd, &out}) o.add(*values);
  o.status |= dnn_batch_norm_forward_inference(in.matrix.data(), n, c, in.columns.data(),
                                               beta.data(), runningMean.data(), runningVar.data(),
                                               1e-5f, out.data(), nullptr);
  o.add(out);
  std::vector<float> gradGamma(c);
  std::vector<float> gradBeta(c);
  o.status |= dnn_batch_norm_backward(in.matrix.data(), in.gradient.data(), n, c,
                                      in.columns.data(), mean.data(), invStd.data(), out.data(),
                                      gradGamma.data(), gradBeta.data(), nullptr);
  for (const auto* values : {&out, &gradGamma, &gradBeta}) o.add(*values);
  return o;
}

Outcome runOptimizers(const FuzzInputs& in) {
  Outcome o;
  for (const Optimizer& optimizer : optimizers()) {
    std::vector<float> param = in.x;
    std::vector<float> first = in.unit;
    std::vector<float> second(in.unit.rbegin(), in.unit.rend());
    o.status |= optimizer.launch(param.data(), in.y.data(), first.data(), second.data(), in.n);
    for (const auto* values : {&param, &first, &second}) o.add(*values);
  }
  return o;
}

// Each thread contributes one value; gridSum combines the block totals into *result. Thread 0 of
// every block also adds its block's total to *atomicTotal in the order the blocks finish, and the
// block that gridSum finds last records its index.
__global__ void gridSumKernel(const float* values, float* result, float* atomicTotal,
                              int* lastBlock, float* scratch) {
  const float blockTotal = dnn::blockSum(values[blockIdx.x * blockDim.x + threadIdx.x]);
  if (threadIdx.x == 0) atomicAdd(atomicTotal, blockTotal);
  float total = 0.0f;
  if (dnn::gridSum(blockTotal, scratch, total)) {
    *result = total;
    atomicAdd(lastBlock, static_cast<int>(blockIdx.x) + 1);
  }
}

// gridSum on grids up to the largest a reduction may use, in order and under every fuzzed
// schedule: the same bits whichever block finishes last, where adding the block totals with
// atomicAdd in the order they finish does not; exactly one block finishes it, and it leaves the
// counter at 0 for the next launch.
void testGridSumUnderSeeds() {
  for (const unsigned blocks : {1u, 3u, 1000u, unsigned{DNN_REDUCTION_MAX_BLOCKS}}) {
    const unsigned threads = 64;
    const std::vector<float> values = randomFloats(blocks * threads, -1.0f, 1.0f, 60 + blocks);
    double expected = 0.0;
    double magnitude = 0.0;
    for (float v : values) {
      expected += v;
      magnitude += std::fabs(v);
    }
    const std::string grid = std::to_string(blocks) + " blocks";
    std::vector<float> scratchOfGrid(DNN_REDUCTION_SCRATCH_FLOATS, 0.0f);
    float inOrder = NAN;
    float inOrderAtomic = NAN;
    bool atomicVaries = false;
    bool lastVaries = false;
    for (size_t s = 0; s <= std::size(kSeeds); ++s) {
      useSchedule(s == 0 ? 0 : kSeeds[s - 1]);
      float result = NAN;
      float atomicTotal = 0.0f;
      int lastBlock = 0;
      DNN_LAUNCH(gridSumKernel, blocks, threads, nullptr)(values.data(), &result, &atomicTotal,
                                                          &lastBlock, scratchOfGrid.data());
      check(dnn_emu_last_error() == cudaSuccess, "gridSum launch succeeds, " + grid);
      check(lastBlock >= 1 && lastBlock <= static_cast<int>(blocks),
            "gridSum: one block finishes the sum, " + grid);
      check(finishedBlocks(scratchOfGrid.data()) == 0, "gridSum resets its counter, " + grid);
      check(std::fabs(result - expected) <= 1e-5 * magnitude, "gridSum is the sum, " + grid);
      if (s == 0) {
        inOrder = result;
        inOrderAtomic = atomicTotal;
        check(lastBlock == static_cast<int>(blocks), "in order the last block finishes, " + grid);
      } else {
        check(sameBits({result}, {inOrder}), "gridSum bit for bit in order, " + grid);
        atomicVaries = atomicVaries || !sameBits({atomicTotal}, {inOrderAtomic});
        lastVaries = lastVaries || lastBlock != static_cast<int>(blocks);
      }
    }
    if (blocks >= 1000) {
      check(lastVaries, "fuzzed schedules finish with other blocks, " + grid);
      check(atomicVaries, "atomicAdd of the block totals varies with the schedule, " + grid);
    }
  }
  useSchedule(0);
}

// Every launcher of the library under each fuzzed schedule against the in-order one: bit for bit,
// since no kernel's result may depend on the order of its threads or blocks, the sums of the
// reductions and losses included (gridSum adds the blocks' totals in a fixed order) and the count
// of correct rows (whole numbers, exact in any order).
void testLaunchersUnderSeeds() {
  const FuzzInputs in;
  const std::pair<const char*, Outcome (*)(const FuzzInputs&)> groups[] = {
      {"element-wise launchers", runElementwise}, {"activation launchers", runActivations},
      {"reductions", runReductions},             {"losses", runLosses},
      {"batch normalization", runBatchNorm},     {"optimizers", runOptimizers}};
  for (const auto& [name, run] : groups) {
    useSchedule(0);
    const Outcome inOrder = run(in);
    check(inOrder.status == 0, std::string(name) + " succeed");
    for (unsigned long long seed : kSeeds) {
      useSchedule(seed);
      const Outcome fuzzed = run(in);
      check(fuzzed.status == 0, std::string(name) + " succeed");
      check(sameBits(fuzzed.exact, inOrder.exact), std::string(name) + ": bit for bit in order");
    }
  }
  useSchedule(0);
}

template <class Launcher>
double bestMillis(Launcher launcher) {
  double best = 1e30;
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    launcher();
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    best = std::fmin(best, took.count());
  }
  return best;
}

void printLaunchTimes() {
  const int rows = 64;
  const int cols = 1000;
  const int n = rows * cols;
  std::vector<float> a = randomFloats(n, -1.0f, 1.0f, 11);
  std::vector<float> b = randomFloats(n, -1.0f, 1.0f, 12);
  std::vector<float> c(n);
  std::vector<float> d(n, 0.0f);
  std::vector<float> labels(rows, 1.0f);
  float scalar = 0.0f;
  int badRow = 0;
  const double adam = bestMillis([&] {
    dnn_adam_update(a.data(), b.data(), c.data(), d.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f,
                    0.001f, 0.0f, 0.0f, nullptr);
  });
  const double sum = bestMillis([&] { dnn_sum(a.data(), n, &scalar, scratch(), nullptr); });
  useSchedule(kSeeds[0]);
  const double fuzzedSum =
      bestMillis([&] { dnn_sum(a.data(), n, &scalar, scratch(), nullptr); });
  useSchedule(0);
  const double softmax = bestMillis([&] {
    dnn_softmax_cross_entropy(a.data(), labels.data(), c.data(), &scalar, &badRow, rows, cols,
                              scratch(), nullptr);
  });
  std::printf(
      "one launch of %dx%d elements: adam %.2f ms, sum %.2f ms (%.2f ms with a schedule seed), "
      "softmax cross-entropy %.2f ms\n",
      rows, cols, adam, sum, fuzzedSum, softmax);
}

}  // namespace

// The emulator's checks that hold in any schedule, under every fuzzed one.
void testEmulatorUnderSeeds() {
  for (unsigned long long seed : kSeeds) {
    useSchedule(seed);
    testBlockSum();
    testLayout();
  }
  useSchedule(0);
}

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--environment-seed") == 0) {
    return environmentSeedMain(argv[2]);
  }
  useSchedule(0);  // whatever DNN_EMU_SCHEDULE_SEED says: the checks choose their schedules
  testBlockSum();
  testLayout();
  testFailures();
  testThreads();
  testScheduleOrder();
  const std::string racesCaught = testRacesCaught();
  testEnvironmentSeed();
  testEmulatorUnderSeeds();
  testSum();
  testColumnSums();
  testSoftmaxCrossEntropy();
  testActivations();
  testUnknownActivationKind();
  testOptimizers();
  testElementwiseLosses();
  testDropout();
  testGridSumUnderSeeds();
  testLaunchersUnderSeeds();
  if (failures > 0) {
    std::printf("emulator self-test: %d checks failed\n", failures);
    return 1;
  }
  std::printf("%s\n", racesCaught.c_str());
  printLaunchTimes();
  std::printf("emulator self-test passed\n");
  return 0;
}
