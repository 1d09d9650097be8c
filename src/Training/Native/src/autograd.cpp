// lb_autograd_*: gradient mode, backward, gradients.
#include "common.h"

LB_API int lb_autograd_is_grad_enabled() { LB_TRY return at::GradMode::is_enabled() ? 1 : 0; LB_CATCH(-1) }

// Sets this thread's grad mode and returns the previous one.
LB_API int lb_autograd_set_grad_enabled(int enabled) {
  LB_TRY
  bool prev = at::GradMode::is_enabled();
  at::GradMode::set_enabled(enabled != 0);
  return prev ? 1 : 0;
  LB_CATCH(-1)
}

LB_API void lb_autograd_backward(lb_tensor t, lb_tensor grad, int retain_graph) {
  LB_TRY
  t->backward(grad ? *grad : at::Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt);
  LB_CATCH_VOID
}

// The gradient (a new handle sharing storage), or null when there is none.
LB_API lb_tensor lb_autograd_grad(lb_tensor t) { LB_TRY return lb_wrap(t->grad()); LB_CATCH(nullptr) }

LB_API void lb_autograd_set_grad(lb_tensor t, lb_tensor g) {
  LB_TRY
  if (g) t->mutable_grad() = *g;
  else t->mutable_grad().reset();
  LB_CATCH_VOID
}

LB_API int lb_autograd_is_leaf(lb_tensor t) { LB_TRY return t->is_leaf() ? 1 : 0; LB_CATCH(-1) }
