// lb_amp_*: autocast regions (mixed precision), per thread, as torch.autocast.
#include "common.h"

#include <ATen/autocast_mode.h>

// The device-generic autocast API (is_autocast_enabled(DeviceType), …) replaced the CUDA/CPU-specific one in
// libtorch 2.4, which kept the old one as deprecated; 2.5 and later use the new one, earlier versions the old.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
#define LB_AUTOCAST_DEVICE_API 1
#else
#define LB_AUTOCAST_DEVICE_API 0
#endif

LB_API int lb_amp_autocast_is_enabled(int dev_type) {
  LB_TRY
#if LB_AUTOCAST_DEVICE_API
  return at::autocast::is_autocast_enabled((c10::DeviceType)dev_type) ? 1 : 0;
#else
  if ((c10::DeviceType)dev_type == c10::DeviceType::CUDA) return at::autocast::is_enabled() ? 1 : 0;
  return at::autocast::is_cpu_enabled() ? 1 : 0;
#endif
  LB_CATCH(-1)
}

LB_API int lb_amp_autocast_get_dtype(int dev_type) {
  LB_TRY
#if LB_AUTOCAST_DEVICE_API
  return (int)at::autocast::get_autocast_dtype((c10::DeviceType)dev_type);
#else
  if ((c10::DeviceType)dev_type == c10::DeviceType::CUDA) return (int)at::autocast::get_autocast_gpu_dtype();
  return (int)at::autocast::get_autocast_cpu_dtype();
#endif
  LB_CATCH(-1)
}

// Enters (enabled=1) or restores an autocast state for a device type; the managed guard keeps the previous state.
LB_API void lb_amp_autocast_set(int dev_type, int enabled, int dtype) {
  LB_TRY
  auto dt = (c10::DeviceType)dev_type;
  TORCH_CHECK(dt == c10::DeviceType::CUDA || dt == c10::DeviceType::CPU, "autocast supports cpu and cuda only");
#if LB_AUTOCAST_DEVICE_API
  at::autocast::set_autocast_dtype(dt, (at::ScalarType)dtype);
  at::autocast::set_autocast_enabled(dt, enabled != 0);
#else
  if (dt == c10::DeviceType::CUDA) {
    at::autocast::set_autocast_gpu_dtype((at::ScalarType)dtype);
    at::autocast::set_enabled(enabled != 0);
  } else {
    at::autocast::set_autocast_cpu_dtype((at::ScalarType)dtype);
    at::autocast::set_cpu_enabled(enabled != 0);
  }
#endif
  LB_CATCH_VOID
}

LB_API int lb_amp_autocast_increment_nesting() { LB_TRY return at::autocast::increment_nesting(); LB_CATCH(-1) }

// Leaves one nesting level; at the outermost level the cast cache is cleared (as torch.autocast.__exit__).
LB_API void lb_amp_autocast_decrement_nesting() {
  LB_TRY
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  LB_CATCH_VOID
}
