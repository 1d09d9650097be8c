// lb_nn_*: the functional neural-network ops (torch.nn.functional).
#include "common.h"

LB_API lb_tensor lb_nn_linear(lb_tensor x, lb_tensor w, lb_tensor b) {
  LB_TRY return lb_wrap(at::linear(*x, *w, lb_opt(b))); LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_layer_norm(lb_tensor x, const int64_t* shape, int n, lb_tensor w, lb_tensor b, double eps) {
  LB_TRY return lb_wrap(at::layer_norm(*x, lb_dims(shape, n), lb_opt(w), lb_opt(b), eps)); LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_batch_norm(lb_tensor x, lb_tensor w, lb_tensor b, lb_tensor running_mean, lb_tensor running_var,
                                  int training, double momentum, double eps) {
  LB_TRY
  return lb_wrap(at::batch_norm(*x, lb_opt(w), lb_opt(b), lb_opt(running_mean), lb_opt(running_var), training != 0,
                                momentum, eps, true));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_dropout(lb_tensor x, double p, int training) {
  LB_TRY return lb_wrap(at::dropout(*x, p, training != 0)); LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_conv2d(lb_tensor x, lb_tensor w, lb_tensor b, const int64_t* stride, const int64_t* padding,
                              const int64_t* dilation, int64_t groups) {
  LB_TRY
  return lb_wrap(at::conv2d(*x, *w, lb_opt(b), lb_dims(stride, 2), lb_dims(padding, 2), lb_dims(dilation, 2), groups));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_avg_pool2d(lb_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                  int ceil_mode, int count_include_pad) {
  LB_TRY
  return lb_wrap(at::avg_pool2d(*x, lb_dims(kernel, 2), lb_dims(stride, 2), lb_dims(padding, 2), ceil_mode != 0,
                                count_include_pad != 0));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_max_pool2d(lb_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding) {
  LB_TRY
  return lb_wrap(at::max_pool2d(*x, lb_dims(kernel, 2), lb_dims(stride, 2), lb_dims(padding, 2)));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_adaptive_avg_pool2d(lb_tensor x, int64_t oh, int64_t ow) {
  LB_TRY
  int64_t s[2] = {oh, ow};
  return lb_wrap(at::adaptive_avg_pool2d(*x, lb_dims(s, 2)));
  LB_CATCH(nullptr)
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction).
LB_API lb_tensor lb_nn_cross_entropy(lb_tensor logits, lb_tensor target, lb_tensor weight, int64_t reduction,
                                     int64_t ignore_index, double label_smoothing) {
  LB_TRY
  return lb_wrap(at::cross_entropy_loss(*logits, *target, lb_opt(weight), reduction, ignore_index, label_smoothing));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_nn_mse_loss(lb_tensor x, lb_tensor y, int64_t reduction) {
  LB_TRY return lb_wrap(at::mse_loss(*x, *y, reduction)); LB_CATCH(nullptr)
}

// mode: 0 constant, 1 reflect, 2 replicate, 3 circular.
LB_API lb_tensor lb_nn_pad(lb_tensor x, const int64_t* pad, int n, int mode, double value) {
  LB_TRY
  static const char* modes[] = {"constant", "reflect", "replicate", "circular"};
  TORCH_CHECK(mode >= 0 && mode < 4, "pad: unknown mode ", mode);
  c10::optional<double> v;
  if (mode == 0) v = value;
  return lb_wrap(at::pad(*x, lb_dims(pad, n), modes[mode], v));
  LB_CATCH(nullptr)
}

// mode: 0 nearest, 1 bilinear, 2 bicubic. Scales are NaN when the caller gave a size, not a factor.
LB_API lb_tensor lb_nn_interpolate(lb_tensor x, int64_t oh, int64_t ow, double scale_h, double scale_w, int mode,
                                   int align_corners) {
  LB_TRY
  int64_t s[2] = {oh, ow};
  auto size = lb_dims(s, 2);
  auto sh = lb_opt_double(scale_h), sw = lb_opt_double(scale_w);
  switch (mode) {
    case 0: return lb_wrap(at::upsample_nearest2d(*x, size, sh, sw));
    case 1: return lb_wrap(at::upsample_bilinear2d(*x, size, align_corners != 0, sh, sw));
    case 2: return lb_wrap(at::upsample_bicubic2d(*x, size, align_corners != 0, sh, sw));
  }
  TORCH_CHECK(false, "interpolate: unknown mode ", mode);
  LB_CATCH(nullptr)
}

// softmax(q kᵀ · scale + mask) v, the reference form (libtorch 1.13 has no fused attention).
static at::Tensor sdpa_math(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            const c10::optional<at::Tensor>& mask, double dropout_p, bool is_causal,
                            c10::optional<double> scale) {
  double s = scale.has_value() ? *scale : 1.0 / std::sqrt((double)q.size(-1));
  auto attn = at::matmul(q, k.transpose(-2, -1)) * s;
  if (is_causal) {
    auto L = q.size(-2), S = k.size(-2);
    auto causal = at::ones({L, S}, q.options().dtype(at::kBool)).tril();
    attn = attn.masked_fill(causal.logical_not(), -std::numeric_limits<double>::infinity());
  }
  if (mask.has_value()) {
    if (mask->scalar_type() == at::kBool)
      attn = attn.masked_fill(mask->logical_not(), -std::numeric_limits<double>::infinity());
    else
      attn = attn + *mask;
  }
  attn = attn.softmax(-1);
  if (dropout_p > 0) attn = at::dropout(attn, dropout_p, true);
  return at::matmul(attn, v);
}

// force_math: 1 uses the reference form even where libtorch has a fused kernel (for comparisons).
LB_API lb_tensor lb_nn_scaled_dot_product_attention(lb_tensor q, lb_tensor k, lb_tensor v, lb_tensor mask,
                                                    double dropout_p, int is_causal, double scale, int force_math) {
  LB_TRY
  auto sc = lb_opt_double(scale);
#if TORCH_VERSION_MAJOR >= 2 && (TORCH_VERSION_MAJOR > 2 || TORCH_VERSION_MINOR >= 1)
  if (!force_math) return lb_wrap(at::scaled_dot_product_attention(*q, *k, *v, lb_opt(mask), dropout_p, is_causal != 0, sc));
#elif TORCH_VERSION_MAJOR >= 2
  if (!force_math && !sc.has_value())
    return lb_wrap(at::scaled_dot_product_attention(*q, *k, *v, lb_opt(mask), dropout_p, is_causal != 0));
#endif
  return lb_wrap(sdpa_math(*q, *k, *v, lb_opt(mask), dropout_p, is_causal != 0, sc));
  LB_CATCH(nullptr)
}

LB_API int lb_nn_has_fused_attention() {
#if TORCH_VERSION_MAJOR >= 2
  return 1;
#else
  return 0;
#endif
}
