// lb_optim_*: optimizer steps over lists of parameters (one native call per parameter group),
// gradient clipping and the mixed-precision unscale. All updates run in place, without autograd.
#include "common.h"

// AdamW (decoupled weight decay), as torch.optim.AdamW (amsgrad off), with libtorch's multi-tensor (_foreach_)
// kernels as torch's foreach implementation: a handful of kernel launches per group instead of several per
// parameter. State slots that are null are created (zeros) and handed back through the same arrays; steps[i]
// counts this parameter's steps and is incremented. Parameters without a gradient are skipped.
LB_API void lb_optim_adamw_step(const lb_tensor* params, lb_tensor* exp_avg, lb_tensor* exp_avg_sq, int64_t* steps,
                                int64_t n, double lr, double beta1, double beta2, double eps, double weight_decay,
                                int maximize) {
  LB_TRY
  at::NoGradGuard ng;
  std::vector<at::Tensor> ps, gs, ms, vs;
  std::vector<at::Scalar> step_sizes, bc2_sqrt;
  for (int64_t i = 0; i < n; i++) {
    at::Tensor& p = *params[i];
    at::Tensor g = p.grad();
    if (!g.defined()) continue;
    if (maximize) g = g.neg();
    if (exp_avg[i] == nullptr) exp_avg[i] = lb_wrap(at::zeros_like(p, at::MemoryFormat::Preserve));
    if (exp_avg_sq[i] == nullptr) exp_avg_sq[i] = lb_wrap(at::zeros_like(p, at::MemoryFormat::Preserve));
    int64_t step = ++steps[i];
    ps.push_back(p);
    gs.push_back(g);
    ms.push_back(*exp_avg[i]);
    vs.push_back(*exp_avg_sq[i]);
    step_sizes.emplace_back(-lr / (1 - std::pow(beta1, (double)step)));
    bc2_sqrt.emplace_back(std::sqrt(1 - std::pow(beta2, (double)step)));
  }
  if (ps.empty()) return;
  if (weight_decay != 0) at::_foreach_mul_(ps, at::Scalar(1 - lr * weight_decay));
  at::_foreach_mul_(ms, at::Scalar(beta1));
  at::_foreach_add_(ms, gs, at::Scalar(1 - beta1));
  at::_foreach_mul_(vs, at::Scalar(beta2));
  at::_foreach_addcmul_(vs, gs, gs, at::Scalar(1 - beta2));
  auto denom = at::_foreach_sqrt(vs);
  at::_foreach_div_(denom, bc2_sqrt);
  at::_foreach_add_(denom, at::Scalar(eps));
  at::_foreach_addcdiv_(ps, ms, denom, step_sizes);
  LB_CATCH_VOID
}

// SGD with momentum / dampening / Nesterov and L2 weight decay, as torch.optim.SGD.
LB_API void lb_optim_sgd_step(const lb_tensor* params, lb_tensor* momentum_buffers, int64_t n, double lr,
                              double momentum, double dampening, double weight_decay, int nesterov, int maximize) {
  LB_TRY
  at::NoGradGuard ng;
  for (int64_t i = 0; i < n; i++) {
    at::Tensor& p = *params[i];
    at::Tensor d = p.grad();
    if (!d.defined()) continue;
    if (maximize) d = d.neg();
    if (weight_decay != 0) d = d.add(p, weight_decay);
    if (momentum != 0) {
      if (momentum_buffers[i] == nullptr) {
        momentum_buffers[i] = lb_wrap(d.clone().detach());
      } else {
        momentum_buffers[i]->mul_(momentum).add_(d, 1 - dampening);
      }
      at::Tensor& buf = *momentum_buffers[i];
      d = nesterov ? d.add(buf, momentum) : buf;
    }
    p.add_(d, -lr);
  }
  LB_CATCH_VOID
}

// Scales all gradients so that their joint norm is at most max_norm; returns the joint norm before clipping.
LB_API double lb_optim_clip_grad_norm(const lb_tensor* params, int64_t n, double max_norm, double norm_type) {
  LB_TRY
  at::NoGradGuard ng;
  std::vector<at::Tensor> grads;
  for (int64_t i = 0; i < n; i++) {
    auto g = params[i]->grad();
    if (g.defined()) grads.push_back(g);
  }
  if (grads.empty()) return 0.0;
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  at::Tensor total;
  if (std::isinf(norm_type)) {
    for (auto& g : grads) norms.push_back(g.detach().abs().max().to(at::kFloat));
    total = at::stack(norms).max();
  } else {
    for (auto& g : grads) norms.push_back(g.detach().norm(norm_type).to(at::kFloat));
    total = at::stack(norms).norm(norm_type);
  }
  auto coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
  for (auto& g : grads) g.mul_(coef.to(g.device(), g.scalar_type()));
  return total.item<double>();
  LB_CATCH(0.0)
}

// Multiplies every gradient by inv_scale; returns 1 when any gradient holds an inf or NaN (GradScaler).
LB_API int lb_optim_unscale_grads(const lb_tensor* params, int64_t n, double inv_scale) {
  LB_TRY
  at::NoGradGuard ng;
  at::Tensor found;
  for (int64_t i = 0; i < n; i++) {
    auto g = params[i]->grad();
    if (!g.defined()) continue;
    auto bad = g.isfinite().logical_not().any();
    found = found.defined() ? found.logical_or(bad) : bad;
    g.mul_(inv_scale);
  }
  if (!found.defined()) return 0;
  return found.item<bool>() ? 1 : 0;
  LB_CATCH(-1)
}
