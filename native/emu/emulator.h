/*
 * The scheduler of the host emulation of the dnn kernels: runs every thread of every block of a
 * launch on the calling thread, the threads of a block as coroutines that switch at barriers.
 * The emulated library exports these next to the dnn_* launchers (and nothing else), so that a
 * test program can launch kernels of its own through cuda_emulation.h.
 */
#ifndef DNN_EMULATOR_H
#define DNN_EMULATOR_H

#include <vector_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The built-in variables of the emulated thread that runs now, set before it resumes. */
extern uint3 dnn_emu_thread_idx;
extern uint3 dnn_emu_block_idx;
extern dim3 dnn_emu_block_dim;
extern dim3 dnn_emu_grid_dim;

/* Runs body(args) as every thread of a grid x block launch of `kernel` (a name for messages) and
   returns its cudaError_t, which also becomes the calling thread's last error. A bad
   configuration or a failed launch (a deadlock, a misused intrinsic) prints one line to stderr and
   returns non-zero; the process goes on. Launches from several threads run one at a time. */
int dnn_emu_launch(const char* kernel, dim3 grid, dim3 block, void (*body)(const void*),
                   const void* args);

/* Schedule fuzzing, for finding races that the in-order schedule hides: with a seed other than 0,
   threads resume in a random order at every barrier, shuffle and block start, and blocks run in a
   random order; 0, the default, runs threads and blocks in index order. The same seed replays the
   same schedules for the same sequence of launches. The library starts with the seed in the
   environment variable DNN_EMU_SCHEDULE_SEED (decimal or 0x hex), if any. Waits for a launch in
   progress. */
void dnn_emu_set_schedule_seed(unsigned long long seed);

/* Returns the calling thread's last error and resets it to cudaSuccess (cudaGetLastError). */
int dnn_emu_last_error(void);

/* __syncthreads(): waits until every live thread of the block has arrived. */
void dnn_emu_syncthreads(void);

/* Fails the launch unless p is a multiple of `bytes`: a GPU faults on a misaligned vector access,
   where the host would go on or crash. */
void dnn_emu_check_aligned(const void* p, unsigned bytes);

/* Ways a lane names the lane it reads in dnn_emu_shuffle, as __shfl_sync, __shfl_down_sync and
   __shfl_xor_sync with the default width of 32. */
enum dnn_emu_shuffle_kind { DNN_EMU_SHFL_IDX, DNN_EMU_SHFL_DOWN, DNN_EMU_SHFL_XOR };

/* Warp shuffle: every lane of the warp contributes `value` and receives the value of the lane
   that `kind` and `operand` name (its own where that lane is past the end of the warp). `mask`
   must name every lane of the warp. */
unsigned long long dnn_emu_shuffle(unsigned mask, unsigned long long value, int kind,
                                   int operand);

#ifdef __cplusplus
}
#endif

#endif /* DNN_EMULATOR_H */
