#include "common.h"

#include <cstdlib>
#include <cstring>

#include <ATen/Parallel.h>

std::atomic<int64_t> lb_live_tensors{0};

static thread_local std::string lb_error;
static thread_local bool lb_has_error = false;

void lb_set_error(const char* message) {
  lb_error = message ? message : "unknown native error in lbtorch";
  lb_has_error = true;
}

// The pending error of this thread as a malloc'd string (free with lb_free), or null; clears it.
LB_API char* lb_error_take() {
  if (!lb_has_error) return nullptr;
  lb_has_error = false;
  char* s = (char*)malloc(lb_error.size() + 1);
  if (s) memcpy(s, lb_error.c_str(), lb_error.size() + 1);
  lb_error.clear();
  return s;
}

LB_API void lb_free(void* p) { free(p); }

LB_API const char* lb_torch_version() { return TORCH_VERSION; }

LB_API int lb_torch_version_major() { return TORCH_VERSION_MAJOR; }

// Intra-op threads of libtorch's CPU kernels (process-wide).
LB_API void lb_set_num_threads(int n) {
  LB_TRY
  TORCH_CHECK(n > 0, "set_num_threads: expected a positive number of threads, got ", n);
  at::set_num_threads(n);
  LB_CATCH_VOID
}

LB_API int lb_get_num_threads() { LB_TRY return at::get_num_threads(); LB_CATCH(-1) }
