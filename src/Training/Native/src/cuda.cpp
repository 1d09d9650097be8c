// lb_cuda_*: device queries. Memory statistics exist only when this libtorch was built with CUDA (LB_WITH_CUDA).
#include "common.h"

#include <torch/cuda.h>

#ifdef LB_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

LB_API int lb_cuda_is_available() { LB_TRY return torch::cuda::is_available() ? 1 : 0; LB_CATCH(0) }
LB_API int64_t lb_cuda_device_count() { LB_TRY return (int64_t)torch::cuda::device_count(); LB_CATCH(0) }
LB_API int lb_cuda_has_cuda_build() {
#ifdef LB_WITH_CUDA
  return 1;
#else
  return 0;
#endif
}

LB_API void lb_cuda_synchronize(int64_t device) {
  LB_TRY
  if (torch::cuda::is_available()) torch::cuda::synchronize(device);
  LB_CATCH_VOID
}

// which: 0 allocated current, 1 allocated peak, 2 reserved current, 3 reserved peak (bytes). 0 without CUDA.
LB_API int64_t lb_cuda_memory_stat(int64_t device, int which) {
  LB_TRY
#ifdef LB_WITH_CUDA
  if (!torch::cuda::is_available()) return 0;
  auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats((c10::DeviceIndex)device);
  switch (which) {
    case 0: return stats.allocated_bytes[0].current;
    case 1: return stats.allocated_bytes[0].peak;
    case 2: return stats.reserved_bytes[0].current;
    case 3: return stats.reserved_bytes[0].peak;
  }
#endif
  return 0;
  LB_CATCH(0)
}

LB_API void lb_cuda_reset_peak_memory_stats(int64_t device) {
  LB_TRY
#ifdef LB_WITH_CUDA
  if (torch::cuda::is_available()) c10::cuda::CUDACachingAllocator::resetPeakStats((c10::DeviceIndex)device);
#endif
  LB_CATCH_VOID
}

LB_API void lb_cuda_empty_cache() {
  LB_TRY
#ifdef LB_WITH_CUDA
  if (torch::cuda::is_available()) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
  LB_CATCH_VOID
}

// TF32 matmuls / convolutions and the cuDNN autotuner (no effect on the CPU).
LB_API void lb_cuda_set_flags(int allow_tf32, int cudnn_benchmark) {
  LB_TRY
  at::globalContext().setAllowTF32CuBLAS(allow_tf32 != 0);
  at::globalContext().setAllowTF32CuDNN(allow_tf32 != 0);
  at::globalContext().setBenchmarkCuDNN(cudnn_benchmark != 0);
  LB_CATCH_VOID
}
