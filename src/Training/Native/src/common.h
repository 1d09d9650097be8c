// Shared plumbing of the lbtorch shim: exports, error capture, tensor handles.
// Every export runs its body inside LB_TRY / LB_CATCH: a C++ exception never crosses into managed code;
// its message goes to a thread-local slot that the managed side reads (lb_error_take) after each call.
#pragma once

#include <ATen/ATen.h>
#include <torch/version.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#define LB_API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* lb_tensor;

void lb_set_error(const char* message);

#define LB_TRY try {
// Every export: LB_TRY ... LB_CATCH(fallback) (or LB_CATCH_VOID); the message goes to the thread-local error that
// the managed side turns into a TorchException.
#define LB_CATCH_VOID                                        \
  }                                                          \
  catch (const c10::Error& e) {                              \
    lb_set_error(e.what_without_backtrace());                \
  }                                                          \
  catch (const std::exception& e) {                          \
    lb_set_error(e.what());                                  \
  }                                                          \
  catch (...) {                                              \
    lb_set_error("unknown native error in lbtorch");         \
  }

#define LB_CATCH(fallback)                                   \
  LB_CATCH_VOID                                              \
  return fallback;

extern std::atomic<int64_t> lb_live_tensors;

// Moves a tensor to the heap and hands ownership to the caller; an undefined tensor becomes null.
inline lb_tensor lb_wrap(at::Tensor t) {
  if (!t.defined()) return nullptr;
  lb_live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}

inline c10::optional<at::Tensor> lb_opt(lb_tensor t) {
  if (t == nullptr) return c10::nullopt;
  return *t;
}

inline at::IntArrayRef lb_dims(const int64_t* p, int n) { return at::IntArrayRef(p, (size_t)n); }

// A scalar from managed code: integral when is_int, else floating (as Python's int vs float).
inline at::Scalar lb_scalar(double v, int is_int) {
  if (is_int) return at::Scalar((int64_t)v);
  return at::Scalar(v);
}

inline c10::optional<double> lb_opt_double(double v) {
  if (std::isnan(v)) return c10::nullopt;
  return v;
}

inline at::Device lb_device(int type, int index) {
  return at::Device((c10::DeviceType)type, (c10::DeviceIndex)index);
}

inline at::TensorOptions lb_options(int dtype, int dev_type, int dev_index) {
  return at::TensorOptions().dtype((at::ScalarType)dtype).device(lb_device(dev_type, dev_index));
}

// at:: factories ignore TensorOptions::requires_grad (only torch:: ones honour it): set it afterwards.
inline lb_tensor lb_wrap_leaf(at::Tensor t, int requires_grad) {
  if (requires_grad) t.set_requires_grad(true);
  return lb_wrap(std::move(t));
}

// Hands a list of tensors back as a malloc'd array of handles (freed by the caller with lb_free).
inline lb_tensor* lb_wrap_list(const std::vector<at::Tensor>& ts, int64_t* count) {
  auto* out = (lb_tensor*)malloc(sizeof(lb_tensor) * (ts.empty() ? 1 : ts.size()));
  for (size_t i = 0; i < ts.size(); i++) out[i] = lb_wrap(ts[i]);
  *count = (int64_t)ts.size();
  return out;
}

inline std::vector<at::Tensor> lb_list(const lb_tensor* hs, int64_t n) {
  std::vector<at::Tensor> v;
  v.reserve((size_t)n);
  for (int64_t i = 0; i < n; i++) v.push_back(*hs[i]);
  return v;
}
