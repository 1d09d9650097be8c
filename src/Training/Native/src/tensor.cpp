// lb_tensor_*: tensor lifetime, properties, creation, and the tensor ops the trainer uses.
#include "common.h"

#include <cstring>

#include <torch/utils.h>

// ---------- lifetime and properties ----------

LB_API void lb_tensor_free(lb_tensor t) {
  LB_TRY
  if (t) {
    delete t;
    lb_live_tensors.fetch_sub(1, std::memory_order_relaxed);
  }
  LB_CATCH_VOID
}

LB_API int64_t lb_tensor_live_count() { return lb_live_tensors.load(); }

LB_API int lb_tensor_dim(lb_tensor t) { LB_TRY return (int)t->dim(); LB_CATCH(-1) }

LB_API int lb_tensor_shape(lb_tensor t, int64_t* out, int cap) {
  LB_TRY
  auto s = t->sizes();
  for (size_t i = 0; i < s.size() && (int)i < cap; i++) out[i] = s[i];
  return (int)s.size();
  LB_CATCH(-1)
}

LB_API int64_t lb_tensor_numel(lb_tensor t) { LB_TRY return t->numel(); LB_CATCH(-1) }
LB_API int lb_tensor_dtype(lb_tensor t) { LB_TRY return (int)t->scalar_type(); LB_CATCH(-1) }
LB_API int lb_tensor_device_type(lb_tensor t) { LB_TRY return (int)t->device().type(); LB_CATCH(-1) }
LB_API int lb_tensor_device_index(lb_tensor t) { LB_TRY return (int)t->device().index(); LB_CATCH(-1) }
LB_API int lb_tensor_requires_grad(lb_tensor t) { LB_TRY return t->requires_grad() ? 1 : 0; LB_CATCH(-1) }
LB_API void lb_tensor_set_requires_grad(lb_tensor t, int v) { LB_TRY t->set_requires_grad(v != 0); LB_CATCH_VOID }
LB_API int lb_tensor_is_contiguous(lb_tensor t) { LB_TRY return t->is_contiguous() ? 1 : 0; LB_CATCH(-1) }

LB_API double lb_tensor_item_double(lb_tensor t) { LB_TRY return t->item<double>(); LB_CATCH(0) }
LB_API int64_t lb_tensor_item_long(lb_tensor t) { LB_TRY return t->item<int64_t>(); LB_CATCH(0) }

// Copies the elements (converted to dtype, on the CPU, row-major) into dst, which holds nbytes.
LB_API void lb_tensor_copy_out(lb_tensor t, int dtype, void* dst, int64_t nbytes) {
  LB_TRY
  at::NoGradGuard ng;
  auto c = t->to(at::kCPU, (at::ScalarType)dtype).contiguous();
  int64_t need = c.numel() * (int64_t)c.element_size();
  TORCH_CHECK(need == nbytes, "copy_out: buffer holds ", nbytes, " bytes, the tensor needs ", need);
  if (need > 0) memcpy(dst, c.data_ptr(), (size_t)need);
  LB_CATCH_VOID
}

// ---------- creation ----------

LB_API lb_tensor lb_tensor_from_data(const void* data, int dtype, const int64_t* shape, int ndim, int dev_type,
                                     int dev_index, int requires_grad) {
  LB_TRY
  auto cpu = at::empty(lb_dims(shape, ndim), at::TensorOptions().dtype((at::ScalarType)dtype));
  if (cpu.numel() > 0) memcpy(cpu.data_ptr(), data, (size_t)(cpu.numel() * cpu.element_size()));
  auto t = cpu.to(lb_device(dev_type, dev_index));
  if (requires_grad) t.set_requires_grad(true);
  return lb_wrap(t);
  LB_CATCH(nullptr)
}

enum { LB_ZEROS = 0, LB_ONES = 1, LB_EMPTY = 2, LB_RANDN = 3, LB_RAND = 4 };

LB_API lb_tensor lb_tensor_new(int kind, const int64_t* shape, int ndim, int dtype, int dev_type, int dev_index,
                               int requires_grad) {
  LB_TRY
  auto o = lb_options(dtype, dev_type, dev_index);
  auto s = lb_dims(shape, ndim);
  switch (kind) {
    case LB_ZEROS: return lb_wrap_leaf(at::zeros(s, o), requires_grad);
    case LB_ONES: return lb_wrap_leaf(at::ones(s, o), requires_grad);
    case LB_EMPTY: return lb_wrap_leaf(at::empty(s, o), requires_grad);
    case LB_RANDN: return lb_wrap_leaf(at::randn(s, o), requires_grad);
    case LB_RAND: return lb_wrap_leaf(at::rand(s, o), requires_grad);
  }
  TORCH_CHECK(false, "lb_tensor_new: unknown kind ", kind);
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_full(const int64_t* shape, int ndim, double v, int is_int, int dtype, int dev_type,
                                int dev_index, int requires_grad) {
  LB_TRY
  return lb_wrap_leaf(at::full(lb_dims(shape, ndim), lb_scalar(v, is_int), lb_options(dtype, dev_type, dev_index)), requires_grad);
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype, int dev_type,
                                   int dev_index) {
  LB_TRY
  return lb_wrap(at::randint(low, high, lb_dims(shape, ndim), lb_options(dtype, dev_type, dev_index)));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_arange(double start, double end, double step, int dtype, int dev_type, int dev_index) {
  LB_TRY
  return lb_wrap(at::arange(start, end, step, lb_options(dtype, dev_type, dev_index)));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_linspace(double start, double end, int64_t steps, int dtype, int dev_type, int dev_index) {
  LB_TRY
  return lb_wrap(at::linspace(start, end, steps, lb_options(dtype, dev_type, dev_index)));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_eye(int64_t n, int64_t m, int dtype, int dev_type, int dev_index) {
  LB_TRY
  return lb_wrap(at::eye(n, m, lb_options(dtype, dev_type, dev_index)));
  LB_CATCH(nullptr)
}

LB_API void lb_tensor_manual_seed(int64_t seed) { LB_TRY torch::manual_seed((uint64_t)seed); LB_CATCH_VOID }

// ---------- conversion and copies ----------

LB_API lb_tensor lb_tensor_to_device(lb_tensor t, int dev_type, int dev_index, int non_blocking) {
  LB_TRY return lb_wrap(t->to(lb_device(dev_type, dev_index), non_blocking != 0)); LB_CATCH(nullptr)
}
LB_API lb_tensor lb_tensor_to_dtype(lb_tensor t, int dtype) { LB_TRY return lb_wrap(t->to((at::ScalarType)dtype)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_clone(lb_tensor t) { LB_TRY return lb_wrap(t->clone()); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_detach(lb_tensor t) { LB_TRY return lb_wrap(t->detach()); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_contiguous(lb_tensor t) { LB_TRY return lb_wrap(t->contiguous()); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_alias(lb_tensor t) { LB_TRY return lb_wrap(*t); LB_CATCH(nullptr) }

// ---------- shape ----------

LB_API lb_tensor lb_tensor_view(lb_tensor t, const int64_t* s, int n) { LB_TRY return lb_wrap(t->view(lb_dims(s, n))); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_reshape(lb_tensor t, const int64_t* s, int n) { LB_TRY return lb_wrap(t->reshape(lb_dims(s, n))); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_permute(lb_tensor t, const int64_t* s, int n) { LB_TRY return lb_wrap(t->permute(lb_dims(s, n))); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_expand(lb_tensor t, const int64_t* s, int n) { LB_TRY return lb_wrap(t->expand(lb_dims(s, n))); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_repeat(lb_tensor t, const int64_t* s, int n) { LB_TRY return lb_wrap(t->repeat(lb_dims(s, n))); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_flip(lb_tensor t, const int64_t* s, int n) { LB_TRY return lb_wrap(t->flip(lb_dims(s, n))); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_transpose(lb_tensor t, int64_t a, int64_t b) { LB_TRY return lb_wrap(t->transpose(a, b)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_flatten(lb_tensor t, int64_t a, int64_t b) { LB_TRY return lb_wrap(t->flatten(a, b)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_unsqueeze(lb_tensor t, int64_t d) { LB_TRY return lb_wrap(t->unsqueeze(d)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_squeeze(lb_tensor t, int64_t d, int all) {
  LB_TRY return lb_wrap(all ? t->squeeze() : t->squeeze(d)); LB_CATCH(nullptr)
}
LB_API lb_tensor lb_tensor_narrow(lb_tensor t, int64_t dim, int64_t start, int64_t len) {
  LB_TRY return lb_wrap(t->narrow(dim, start, len)); LB_CATCH(nullptr)
}
LB_API lb_tensor lb_tensor_slice(lb_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  LB_TRY return lb_wrap(t->slice(dim, start, end, step)); LB_CATCH(nullptr)
}
LB_API lb_tensor lb_tensor_select(lb_tensor t, int64_t dim, int64_t idx) { LB_TRY return lb_wrap(t->select(dim, idx)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_index_select(lb_tensor t, int64_t dim, lb_tensor idx) {
  LB_TRY return lb_wrap(t->index_select(dim, *idx)); LB_CATCH(nullptr)
}
LB_API lb_tensor lb_tensor_gather(lb_tensor t, int64_t dim, lb_tensor idx) { LB_TRY return lb_wrap(t->gather(dim, *idx)); LB_CATCH(nullptr) }
LB_API lb_tensor* lb_tensor_chunk(lb_tensor t, int64_t chunks, int64_t dim, int64_t* count) {
  LB_TRY return lb_wrap_list(t->chunk(chunks, dim), count); LB_CATCH(nullptr)
}
LB_API lb_tensor* lb_tensor_split(lb_tensor t, const int64_t* sizes, int n, int64_t dim, int64_t* count) {
  LB_TRY
  if (n == 1) return lb_wrap_list(t->split(sizes[0], dim), count);
  return lb_wrap_list(t->split_with_sizes(lb_dims(sizes, n), dim), count);
  LB_CATCH(nullptr)
}
LB_API lb_tensor lb_tensor_cat(const lb_tensor* ts, int64_t n, int64_t dim) { LB_TRY return lb_wrap(at::cat(lb_list(ts, n), dim)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_stack(const lb_tensor* ts, int64_t n, int64_t dim) { LB_TRY return lb_wrap(at::stack(lb_list(ts, n), dim)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_roll(lb_tensor t, const int64_t* shifts, const int64_t* dims, int n) {
  LB_TRY return lb_wrap(t->roll(lb_dims(shifts, n), lb_dims(dims, n))); LB_CATCH(nullptr)
}

// ---------- elementwise ----------

enum LbUnary {
  U_NEG, U_SQRT, U_EXP, U_LOG, U_ABS, U_SIGN, U_RELU, U_SIGMOID, U_TANH, U_RSQRT, U_SIN, U_COS, U_FLOOR, U_CEIL,
  U_ROUND, U_ISFINITE, U_ISNAN, U_LOGICAL_NOT, U_RECIPROCAL, U_SQUARE, U_ERF, U_SILU, U_HARDSWISH, U_GELU,
  U_GELU_TANH, U_ISINF
};

static at::Tensor unary(const at::Tensor& t, int op) {
  switch (op) {
    case U_NEG: return t.neg();
    case U_SQRT: return t.sqrt();
    case U_EXP: return t.exp();
    case U_LOG: return t.log();
    case U_ABS: return t.abs();
    case U_SIGN: return t.sign();
    case U_RELU: return t.relu();
    case U_SIGMOID: return t.sigmoid();
    case U_TANH: return t.tanh();
    case U_RSQRT: return t.rsqrt();
    case U_SIN: return t.sin();
    case U_COS: return t.cos();
    case U_FLOOR: return t.floor();
    case U_CEIL: return t.ceil();
    case U_ROUND: return t.round();
    case U_ISFINITE: return t.isfinite();
    case U_ISNAN: return t.isnan();
    case U_LOGICAL_NOT: return t.logical_not();
    case U_RECIPROCAL: return t.reciprocal();
    case U_SQUARE: return t.square();
    case U_ERF: return t.erf();
    case U_SILU: return at::silu(t);
    case U_HARDSWISH: return at::hardswish(t);
    case U_GELU: return at::gelu(t, "none");
    case U_GELU_TANH: return at::gelu(t, "tanh");
    case U_ISINF: return t.isinf();
  }
  TORCH_CHECK(false, "unknown unary op ", op);
}

static void unary_(at::Tensor& t, int op) {
  switch (op) {
    case U_NEG: t.neg_(); return;
    case U_SQRT: t.sqrt_(); return;
    case U_EXP: t.exp_(); return;
    case U_LOG: t.log_(); return;
    case U_ABS: t.abs_(); return;
    case U_SIGN: t.sign_(); return;
    case U_RELU: t.relu_(); return;
    case U_SIGMOID: t.sigmoid_(); return;
    case U_TANH: t.tanh_(); return;
    case U_RECIPROCAL: t.reciprocal_(); return;
    case U_FLOOR: t.floor_(); return;
    case U_ROUND: t.round_(); return;
  }
  TORCH_CHECK(false, "unary op ", op, " has no in-place form");
}

LB_API lb_tensor lb_tensor_unary(lb_tensor t, int op) { LB_TRY return lb_wrap(unary(*t, op)); LB_CATCH(nullptr) }
LB_API void lb_tensor_unary_(lb_tensor t, int op) { LB_TRY unary_(*t, op); LB_CATCH_VOID }

enum LbBinary {
  B_ADD, B_SUB, B_MUL, B_DIV, B_MATMUL, B_BMM, B_EQ, B_NE, B_GT, B_LT, B_GE, B_LE, B_POW, B_MAXIMUM, B_MINIMUM,
  B_LOGICAL_AND, B_LOGICAL_OR, B_COPY, B_REMAINDER
};

static at::Tensor binary(const at::Tensor& a, const at::Tensor& b, int op, double alpha) {
  switch (op) {
    case B_ADD: return alpha == 1.0 ? a.add(b) : a.add(b, alpha);
    case B_SUB: return alpha == 1.0 ? a.sub(b) : a.sub(b, alpha);
    case B_MUL: return a.mul(b);
    case B_DIV: return a.div(b);
    case B_MATMUL: return a.matmul(b);
    case B_BMM: return a.bmm(b);
    case B_EQ: return a.eq(b);
    case B_NE: return a.ne(b);
    case B_GT: return a.gt(b);
    case B_LT: return a.lt(b);
    case B_GE: return a.ge(b);
    case B_LE: return a.le(b);
    case B_POW: return a.pow(b);
    case B_MAXIMUM: return at::maximum(a, b);
    case B_MINIMUM: return at::minimum(a, b);
    case B_LOGICAL_AND: return a.logical_and(b);
    case B_LOGICAL_OR: return a.logical_or(b);
    case B_REMAINDER: return a.remainder(b);
  }
  TORCH_CHECK(false, "unknown binary op ", op);
}

LB_API lb_tensor lb_tensor_binary(lb_tensor a, lb_tensor b, int op, double alpha) {
  LB_TRY return lb_wrap(binary(*a, *b, op, alpha)); LB_CATCH(nullptr)
}

LB_API void lb_tensor_binary_(lb_tensor a, lb_tensor b, int op, double alpha) {
  LB_TRY
  switch (op) {
    case B_ADD: a->add_(*b, alpha); return;
    case B_SUB: a->sub_(*b, alpha); return;
    case B_MUL: a->mul_(*b); return;
    case B_DIV: a->div_(*b); return;
    case B_POW: a->pow_(*b); return;
    case B_COPY: a->copy_(*b); return;
  }
  TORCH_CHECK(false, "binary op ", op, " has no in-place form");
  LB_CATCH_VOID
}

enum LbScalarOp { S_ADD, S_SUB, S_MUL, S_DIV, S_POW, S_EQ, S_NE, S_GT, S_LT, S_GE, S_LE, S_RSUB, S_RDIV, S_FILL, S_REMAINDER, S_RPOW };

LB_API lb_tensor lb_tensor_scalar_op(lb_tensor t, double v, int is_int, int op) {
  LB_TRY
  auto s = lb_scalar(v, is_int);
  const auto& a = *t;
  switch (op) {
    case S_ADD: return lb_wrap(a.add(s));
    case S_SUB: return lb_wrap(a.sub(s));
    case S_MUL: return lb_wrap(a.mul(s));
    case S_DIV: return lb_wrap(a.div(s));
    case S_POW: return lb_wrap(a.pow(s));
    case S_EQ: return lb_wrap(a.eq(s));
    case S_NE: return lb_wrap(a.ne(s));
    case S_GT: return lb_wrap(a.gt(s));
    case S_LT: return lb_wrap(a.lt(s));
    case S_GE: return lb_wrap(a.ge(s));
    case S_LE: return lb_wrap(a.le(s));
    case S_RSUB: return lb_wrap(at::rsub(a, s));
    case S_RDIV: return lb_wrap(a.reciprocal().mul(s));
    case S_REMAINDER: return lb_wrap(a.remainder(s));
    case S_RPOW: return lb_wrap(at::pow(s, a));
  }
  TORCH_CHECK(false, "unknown scalar op ", op);
  LB_CATCH(nullptr)
}

LB_API void lb_tensor_scalar_op_(lb_tensor t, double v, int is_int, int op) {
  LB_TRY
  auto s = lb_scalar(v, is_int);
  switch (op) {
    case S_ADD: t->add_(s); return;
    case S_SUB: t->sub_(s); return;
    case S_MUL: t->mul_(s); return;
    case S_DIV: t->div_(s); return;
    case S_POW: t->pow_(s); return;
    case S_FILL: t->fill_(s); return;
  }
  TORCH_CHECK(false, "scalar op ", op, " has no in-place form");
  LB_CATCH_VOID
}

LB_API void lb_tensor_zero_(lb_tensor t) { LB_TRY t->zero_(); LB_CATCH_VOID }

LB_API void lb_tensor_addcmul_(lb_tensor t, lb_tensor a, lb_tensor b, double value) {
  LB_TRY t->addcmul_(*a, *b, value); LB_CATCH_VOID
}
LB_API void lb_tensor_addcdiv_(lb_tensor t, lb_tensor a, lb_tensor b, double value) {
  LB_TRY t->addcdiv_(*a, *b, value); LB_CATCH_VOID
}
LB_API void lb_tensor_lerp_(lb_tensor t, lb_tensor end, double weight) { LB_TRY t->lerp_(*end, weight); LB_CATCH_VOID }

// min/max: NaN means no bound.
LB_API lb_tensor lb_tensor_clamp(lb_tensor t, double lo, double hi) {
  LB_TRY
  c10::optional<at::Scalar> l, h;
  if (!std::isnan(lo)) l = lo;
  if (!std::isnan(hi)) h = hi;
  return lb_wrap(t->clamp(l, h));
  LB_CATCH(nullptr)
}
LB_API void lb_tensor_clamp_(lb_tensor t, double lo, double hi) {
  LB_TRY
  c10::optional<at::Scalar> l, h;
  if (!std::isnan(lo)) l = lo;
  if (!std::isnan(hi)) h = hi;
  t->clamp_(l, h);
  LB_CATCH_VOID
}

LB_API lb_tensor lb_tensor_where(lb_tensor cond, lb_tensor a, lb_tensor b) { LB_TRY return lb_wrap(at::where(*cond, *a, *b)); LB_CATCH(nullptr) }
LB_API lb_tensor lb_tensor_masked_fill(lb_tensor t, lb_tensor mask, double v) { LB_TRY return lb_wrap(t->masked_fill(*mask, v)); LB_CATCH(nullptr) }
LB_API void lb_tensor_masked_fill_(lb_tensor t, lb_tensor mask, double v) { LB_TRY t->masked_fill_(*mask, v); LB_CATCH_VOID }

// ---------- reductions ----------

enum LbReduce { R_SUM, R_MEAN, R_MAX, R_MIN, R_ALL, R_ANY, R_PROD, R_VAR, R_STD };

LB_API lb_tensor lb_tensor_reduce_all(lb_tensor t, int op) {
  LB_TRY
  switch (op) {
    case R_SUM: return lb_wrap(t->sum());
    case R_MEAN: return lb_wrap(t->mean());
    case R_MAX: return lb_wrap(t->max());
    case R_MIN: return lb_wrap(t->min());
    case R_ALL: return lb_wrap(t->all());
    case R_ANY: return lb_wrap(t->any());
    case R_PROD: return lb_wrap(t->prod());
    case R_VAR: return lb_wrap(t->var());
    case R_STD: return lb_wrap(t->std());
  }
  TORCH_CHECK(false, "unknown reduction ", op);
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_reduce_dims(lb_tensor t, int op, const int64_t* dims, int n, int keepdim) {
  LB_TRY
  auto d = lb_dims(dims, n);
  bool k = keepdim != 0;
  switch (op) {
    case R_SUM: return lb_wrap(t->sum(d, k));
    case R_MEAN: return lb_wrap(t->mean(d, k));
    case R_MAX: return lb_wrap(t->amax(d, k));
    case R_MIN: return lb_wrap(t->amin(d, k));
    case R_VAR: return lb_wrap(t->var(d, true, k));
    case R_STD: return lb_wrap(t->std(d, true, k));
  }
  TORCH_CHECK(false, "reduction ", op, " has no form over dims");
  LB_CATCH(nullptr)
}

// max/min over one dim: values and indices.
LB_API void lb_tensor_max_dim(lb_tensor t, int64_t dim, int keepdim, int is_min, lb_tensor* values, lb_tensor* indices) {
  LB_TRY
  auto r = is_min ? t->min(dim, keepdim != 0) : t->max(dim, keepdim != 0);
  *values = lb_wrap(std::get<0>(r));
  *indices = lb_wrap(std::get<1>(r));
  LB_CATCH_VOID
}

LB_API lb_tensor lb_tensor_argmax(lb_tensor t, int64_t dim, int has_dim, int keepdim) {
  LB_TRY
  c10::optional<int64_t> d;
  if (has_dim) d = dim;
  return lb_wrap(t->argmax(d, keepdim != 0));
  LB_CATCH(nullptr)
}

LB_API void lb_tensor_topk(lb_tensor t, int64_t k, int64_t dim, int largest, int sorted, lb_tensor* values, lb_tensor* indices) {
  LB_TRY
  auto r = t->topk(k, dim, largest != 0, sorted != 0);
  *values = lb_wrap(std::get<0>(r));
  *indices = lb_wrap(std::get<1>(r));
  LB_CATCH_VOID
}

LB_API lb_tensor lb_tensor_norm(lb_tensor t, double p, const int64_t* dims, int n, int keepdim) {
  LB_TRY
  if (n == 0) return lb_wrap(t->norm(p));
  return lb_wrap(t->norm(p, lb_dims(dims, n), keepdim != 0));
  LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_softmax(lb_tensor t, int64_t dim, int log) {
  LB_TRY return lb_wrap(log ? t->log_softmax(dim) : t->softmax(dim)); LB_CATCH(nullptr)
}

LB_API lb_tensor lb_tensor_cumsum(lb_tensor t, int64_t dim) { LB_TRY return lb_wrap(t->cumsum(dim)); LB_CATCH(nullptr) }

// ---------- in-place initialisation (nn.init) ----------

enum { I_NORMAL = 0, I_UNIFORM = 1, I_TRUNC_NORMAL = 2 };

// normal: mean a, std b. uniform: [a, b). trunc_normal: mean a, std b, cut to [lo, hi] (as torch.nn.init.trunc_normal_).
LB_API void lb_tensor_init_(lb_tensor t, int kind, double a, double b, double lo, double hi) {
  LB_TRY
  at::NoGradGuard ng;
  switch (kind) {
    case I_NORMAL: t->normal_(a, b); return;
    case I_UNIFORM: t->uniform_(a, b); return;
    case I_TRUNC_NORMAL: {
      auto cdf = [](double x) { return (1.0 + std::erf(x / std::sqrt(2.0))) / 2.0; };
      double l = cdf((lo - a) / b), u = cdf((hi - a) / b);
      t->uniform_(2 * l - 1, 2 * u - 1);
      t->erfinv_();
      t->mul_(b * std::sqrt(2.0));
      t->add_(a);
      t->clamp_(lo, hi);
      return;
    }
  }
  TORCH_CHECK(false, "unknown init kind ", kind);
  LB_CATCH_VOID
}

LB_API lb_tensor lb_tensor_randperm(int64_t n, int dtype, int dev_type, int dev_index) {
  LB_TRY return lb_wrap(at::randperm(n, lb_options(dtype, dev_type, dev_index))); LB_CATCH(nullptr)
}

// Page-locked host memory (for asynchronous host-to-GPU copies); needs a CUDA libtorch and a GPU.
LB_API lb_tensor lb_tensor_pin_memory(lb_tensor t) { LB_TRY return lb_wrap(t->pin_memory()); LB_CATCH(nullptr) }
LB_API int lb_tensor_is_pinned(lb_tensor t) { LB_TRY return t->is_pinned() ? 1 : 0; LB_CATCH(-1) }
