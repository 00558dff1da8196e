// The 'native' backend's kernels: a Node-API addon that works in place on the memory of the
// JavaScript typed arrays it is given (napi_get_typedarray_info hands out the pointer; nothing
// is copied in or out). Matrix products go to OpenBLAS (cblas_sgemm / cblas_dgemm with the
// transpose flags, never a copied transpose); everything else is plain loops the compiler
// vectorizes for the machine it is built on (-O3 -march=native).
//
// The reference for every formula is src/backends/js/ (and src/optim/rules.ts for the update
// rules): scalar maps are evaluated in double precision, as JavaScript does, and stored in the
// array's type, so results agree with the reference to its rounding.
//
// Every entry point checks what it is given (types, lengths, aliasing that would be wrong) and
// throws a TypeError/RangeError naming the problem: a mistake in the TypeScript caller must
// never become a write past the end of an array.
#include <node_api.h>

#include <cblas.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

// Declared here as well: some cblas.h headers (the reference BLAS one) do not declare
// OpenBLAS's own functions, but the library we link against always has them.
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);
}

// Must stay in the order of src/backends/native/codes.ts (the loader compares both lists).
static const char *const UNARY_NAMES[] = {"neg",     "exp",  "log",  "sqrt",      "abs", "sign", "square",
                                          "reciprocal", "clip", "sigmoid", "tanh", "relu", "leakyRelu", "elu",
                                          "gelu",    "geluTanh", "swish", "softplus", "linear"};
enum Unary { NEG, EXP, LOG, SQRT, ABS, SIGN, SQUARE, RECIPROCAL, CLIP, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, GELU, GELU_TANH, SWISH, SOFTPLUS, LINEAR, UNARY_COUNT };
static const char *const BINARY_NAMES[] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum"};
enum Binary { ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, BINARY_COUNT };

// ---------------------------------------------------------------------------------------------
// Argument helpers
// ---------------------------------------------------------------------------------------------

enum DType { F32, F64, NONE };

struct Array {
  void *data = nullptr;
  size_t length = 0;
  DType type = NONE;
};

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, nullptr, "gradiente native: " #call " failed"); \
      return false;                                                   \
    }                                                                 \
  } while (0)

static bool throwType(napi_env env, const char *fn, int index, const char *what) {
  char message[200];
  snprintf(message, sizeof message, "gradiente native %s: argument %d must be %s", fn, index, what);
  napi_throw_type_error(env, nullptr, message);
  return false;
}

static bool throwRange(napi_env env, const char *fn, const char *what) {
  char message[240];
  snprintf(message, sizeof message, "gradiente native %s: %s", fn, what);
  napi_throw_range_error(env, nullptr, message);
  return false;
}

// A Float32Array or Float64Array (or null when allowNull: then type NONE).
static bool getArray(napi_env env, const char *fn, napi_value *argv, int index, Array *out, bool allowNull = false) {
  napi_valuetype vt;
  CHECK(napi_typeof(env, argv[index], &vt));
  if (allowNull && (vt == napi_null || vt == napi_undefined)) {
    *out = Array();
    return true;
  }
  bool isTyped = false;
  CHECK(napi_is_typedarray(env, argv[index], &isTyped));
  if (!isTyped) return throwType(env, fn, index, "a Float32Array or Float64Array");
  napi_typedarray_type t;
  size_t length;
  void *data;
  CHECK(napi_get_typedarray_info(env, argv[index], &t, &length, &data, nullptr, nullptr));
  if (t == napi_float32_array) out->type = F32;
  else if (t == napi_float64_array) out->type = F64;
  else return throwType(env, fn, index, "a Float32Array or Float64Array");
  out->data = data;
  out->length = length;
  return true;
}

static bool getNumber(napi_env env, const char *fn, napi_value *argv, int index, double *out) {
  if (napi_get_value_double(env, argv[index], out) != napi_ok) return throwType(env, fn, index, "a number");
  return true;
}

// A non-negative integer that fits comfortably in an int (BLAS dimensions are ints).
static bool getSize(napi_env env, const char *fn, napi_value *argv, int index, size_t *out) {
  double v;
  if (!getNumber(env, fn, argv, index, &v)) return false;
  if (!(v >= 0 && v <= 2147483647.0 && v == floor(v))) return throwType(env, fn, index, "a non-negative integer below 2^31");
  *out = (size_t)v;
  return true;
}

static bool getBool(napi_env env, const char *fn, napi_value *argv, int index, bool *out) {
  if (napi_get_value_bool(env, argv[index], out) != napi_ok) return throwType(env, fn, index, "a boolean");
  return true;
}

static bool getArgs(napi_env env, napi_callback_info info, const char *fn, size_t expected, napi_value *argv) {
  size_t argc = expected;
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < expected) {
    char message[160];
    snprintf(message, sizeof message, "gradiente native %s: expected %zu arguments, got %zu", fn, expected, argc);
    napi_throw_type_error(env, nullptr, message);
    return false;
  }
  return true;
}

static bool needLength(napi_env env, const char *fn, const Array &a, size_t n, const char *name) {
  if (a.length < n) {
    char message[200];
    snprintf(message, sizeof message, "%s holds %zu values, needs %zu", name, a.length, n);
    return throwRange(env, fn, message);
  }
  return true;
}

static bool sameType(napi_env env, const char *fn, std::initializer_list<const Array *> arrays) {
  DType t = NONE;
  for (const Array *a : arrays) {
    if (a->type == NONE) continue;
    if (t == NONE) t = a->type;
    else if (a->type != t) return throwType(env, fn, 0, "arrays of one type (all Float32Array or all Float64Array)");
  }
  return true;
}

// True when two arrays' memory overlaps (an output that overlaps an input a kernel reads at
// other positions would be read after being written).
static bool overlaps(const Array &a, size_t aBytes, const Array &b, size_t bBytes) {
  const char *pa = (const char *)a.data, *pb = (const char *)b.data;
  return a.data != nullptr && b.data != nullptr && pa < pb + bBytes && pb < pa + aBytes;
}

static napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// ---------------------------------------------------------------------------------------------
// Threads. OpenBLAS always runs on one thread here: a product large enough to share is cut into
// parts by its shape and the machine's core count alone (never by the thread count), and each
// part is one single-threaded sgemm on its rows or columns, shared out among the backend's own
// threads. Each output element is then summed in the same order whatever the thread count, so
// one thread and eight give the same bits on a machine (the tests check 1, 2, 3 and 8). Where
// the cut falls does matter: OpenBLAS blocks a call's M and N by their total, and its edge
// kernels sum some float64 columns in another order (a 37x1001x515 dgemm cut at column 192
// instead of 288 changed 78 outputs). OpenBLAS's own threading also blocks K another way when
// it runs threaded (5,972 of the 8,192 outputs of a 32x784x256 sgemm changed), which moved
// npm start's digits. And the pool's workers sleep between products instead of spin-waiting,
// so they do not take the core the JavaScript thread needs for the rest of the step.
// ---------------------------------------------------------------------------------------------

static int wantedThreads = 1;       // threads a large product may use
static double parallelFlops = 2e6;  // 2·m·n·k at and above which it uses them
static int cutParts = 1;            // parts a large product is cut into: the machine's cores, at most 8

// How a product is cut: along its larger output dimension into cutParts parts, fewer where a
// part would fall under PART_FLOPS of work or PART_ALIGN rows or columns (whole register tiles
// of OpenBLAS's kernels). No more parts than cores: every extra part packs the other operand
// once more (bench/gemm-cuts.cc: on 256x784x1024 and 1024^3, 8 parts on 2 threads ran 5-30%
// slower than 2 parts). PART_FLOPS keeps every part above OpenBLAS's small-matrix kernel
// (2·m·n·k ≤ 2·10⁶ on AVX-512), another kernel with another order of summation.
static const double PART_FLOPS = 4e6;
static const size_t PART_ALIGN = 32;

struct Cut {
  bool alongRows;  // cut M (rows of C) or N (columns of C)
  size_t chunk;    // rows or columns per part (the last part may be narrower)
  int parts;
};

static Cut cutProduct(size_t m, size_t k, size_t n) {
  const double flops = 2.0 * (double)m * (double)n * (double)k;
  const bool alongRows = m >= n;
  const size_t dim = alongRows ? m : n;
  int parts = cutParts;
  while (parts > 1 && (flops / parts < PART_FLOPS || dim < (size_t)parts * PART_ALIGN)) parts--;
  size_t chunk = (dim + parts - 1) / parts;
  chunk = (chunk + PART_ALIGN - 1) / PART_ALIGN * PART_ALIGN;
  return {alongRows, chunk, (int)((dim + chunk - 1) / chunk)};
}

// A few worker threads that claim parts of a product from a counter, the calling thread with
// them: a worker that is asleep or descheduled only claims fewer parts, and the caller never
// waits for one that has not started. Idle workers spin for ~0.1 ms (the next product of a step
// usually comes sooner), then sleep. One product at a time: a second caller (another Node
// worker thread using the addon) finds the pool busy and runs all its parts itself, with the
// same bits.
class PartPool {
 public:
  // Runs job(0) .. job(parts - 1) on up to `threads` threads; returns when all are done.
  template <typename Job>
  void run(int parts, int threads, const Job &job) {
    if (threads > parts) threads = parts;
    std::unique_lock<std::mutex> busy(useMutex, std::try_to_lock);
    if (threads <= 1 || !busy.owns_lock()) {
      for (int p = 0; p < parts; p++) job(p);
      return;
    }
    ensureWorkers(threads - 1);
    const std::function<void(int)> work = [&](int p) { job(p); };
    {
      std::lock_guard<std::mutex> lock(mutex);
      current = &work;
      partCount = parts;
      helpers = threads - 1;
      joined = 0;
      open = true;
      next.store(0, std::memory_order_relaxed);
      generation.fetch_add(1, std::memory_order_release);
    }
    wake.notify_all();
    claim(work, parts);
    // No worker may start on this job from here on; wait for those that did.
    std::unique_lock<std::mutex> lock(mutex);
    open = false;
    done.wait(lock, [&] { return running == 0; });
    current = nullptr;
  }

 private:
  void claim(const std::function<void(int)> &work, int parts) {
    for (int p; (p = next.fetch_add(1, std::memory_order_relaxed)) < parts;) work(p);
  }

  void ensureWorkers(int count) {
    while (workerCount < count) {
      // Detached: the pool lives as long as the process (it is never destroyed, so no exit-time
      // destructor has to join a thread that sleeps in wait()).
      std::thread([this] { loop(); }).detach();
      workerCount++;
    }
  }

  void loop() {
    uint64_t seen = generation.load(std::memory_order_acquire);
    for (;;) {
      // Spin a little before sleeping: the products of one training step come microseconds apart.
      for (int i = 0; i < 20000 && generation.load(std::memory_order_acquire) == seen; i++) spinPause();
      const std::function<void(int)> *work;
      int parts;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return generation.load(std::memory_order_relaxed) != seen; });
        seen = generation.load(std::memory_order_relaxed);
        if (!open || joined >= helpers) continue;  // finished already, or enough threads on it
        joined++;
        running++;
        work = current;
        parts = partCount;
      }
      claim(*work, parts);
      std::lock_guard<std::mutex> lock(mutex);
      if (--running == 0) done.notify_one();
    }
  }

  static inline void spinPause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  std::mutex useMutex;  // one product at a time
  std::mutex mutex;     // guards the fields below but `next` and `generation`
  std::condition_variable wake, done;
  const std::function<void(int)> *current = nullptr;
  std::atomic<int> next{0};
  std::atomic<uint64_t> generation{0};
  int partCount = 0, helpers = 0, joined = 0, running = 0, workerCount = 0;
  bool open = false;
};

static PartPool &partPool() {
  static PartPool *pool = new PartPool();  // never destroyed: see ensureWorkers
  return *pool;
}

// ---------------------------------------------------------------------------------------------
// matmul(a, b, out, m, k, n, transA, transB, bias|null)
// ---------------------------------------------------------------------------------------------

template <typename T>
static void gemm(const T *a, const T *b, T *c, int m, int k, int n, int lda, int ldb, int ldc, bool transA, bool transB, T beta);

template <>
void gemm<float>(const float *a, const float *b, float *c, int m, int k, int n, int lda, int ldb, int ldc, bool transA, bool transB, float beta) {
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}

template <>
void gemm<double>(const double *a, const double *b, double *c, int m, int k, int n, int lda, int ldb, int ldc, bool transA, bool transB, double beta) {
  cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
}

template <typename T>
static void matmulT(const Array &A, const Array &B, const Array &C, size_t m, size_t k, size_t n, bool transA, bool transB, const Array &bias) {
  T *c = (T *)C.data;
  const T *a = (const T *)A.data, *b = (const T *)B.data;
  const T *bv = (const T *)bias.data;
  if (bv != nullptr) {
    // Start from the bias on every row; sgemm then adds A·B to it (beta = 1): the bias is fused.
    for (size_t i = 0; i < m; i++) memcpy(c + i * n, bv, n * sizeof(T));
  }
  if (k == 0) {
    if (bv == nullptr) memset(c, 0, m * n * sizeof(T));
    return;
  }
  const int lda = (int)(transA ? m : k), ldb = (int)(transB ? k : n), ldc = (int)n;
  const T beta = bv != nullptr ? 1 : 0;
  const Cut cut = cutProduct(m, k, n);
  // Part p of the output: rows [p·chunk, …) with the matching rows of A (columns where A is
  // transposed), or columns with the matching columns of B (rows where B is transposed).
  auto part = [&](int p) {
    const size_t from = (size_t)p * cut.chunk;
    const size_t to = std::min((cut.alongRows ? m : n), from + cut.chunk);
    if (cut.alongRows)
      gemm<T>(transA ? a + from : a + from * k, b, c + from * n, (int)(to - from), (int)k, (int)n, lda, ldb, ldc, transA, transB, beta);
    else
      gemm<T>(a, transB ? b + from * k : b + from, c + from, (int)m, (int)k, (int)(to - from), lda, ldb, ldc, transA, transB, beta);
  };
  const double flops = 2.0 * (double)m * (double)n * (double)k;
  partPool().run(cut.parts, flops >= parallelFlops ? wantedThreads : 1, part);
}

static napi_value Matmul(napi_env env, napi_callback_info info) {
  const char *fn = "matmul";
  napi_value argv[9];
  Array a, b, c, bias;
  size_t m, k, n;
  bool transA, transB;
  if (!getArgs(env, info, fn, 9, argv) || !getArray(env, fn, argv, 0, &a) || !getArray(env, fn, argv, 1, &b) ||
      !getArray(env, fn, argv, 2, &c) || !getSize(env, fn, argv, 3, &m) || !getSize(env, fn, argv, 4, &k) ||
      !getSize(env, fn, argv, 5, &n) || !getBool(env, fn, argv, 6, &transA) || !getBool(env, fn, argv, 7, &transB) ||
      !getArray(env, fn, argv, 8, &bias, true) || !sameType(env, fn, {&a, &b, &c, &bias}))
    return nullptr;
  if ((double)m * (double)n > 2147483647.0 || (double)m * (double)k > 2147483647.0 || (double)k * (double)n > 2147483647.0)
    return throwRange(env, fn, "matrices larger than 2^31 values are not supported"), nullptr;
  if (!needLength(env, fn, a, m * k, "a") || !needLength(env, fn, b, k * n, "b") || !needLength(env, fn, c, m * n, "out") ||
      (bias.type != NONE && !needLength(env, fn, bias, n, "bias")))
    return nullptr;
  size_t es = c.type == F32 ? 4 : 8;
  if (overlaps(c, m * n * es, a, m * k * es) || overlaps(c, m * n * es, b, k * n * es))
    return throwRange(env, fn, "out must not share memory with a or b"), nullptr;
  if (m == 0 || n == 0) return undefinedValue(env);
  if (c.type == F32) matmulT<float>(a, b, c, m, k, n, transA, transB, bias);
  else matmulT<double>(a, b, c, m, k, n, transA, transB, bias);
  return undefinedValue(env);
}

// ---------------------------------------------------------------------------------------------
// Elementwise maps, in double precision like the reference (src/backends/js/scalar.ts).
// ---------------------------------------------------------------------------------------------

static const double SQRT_2_OVER_PI = 0.7978845608028654;
static const double INV_SQRT_2 = 0.7071067811865476;
static const double INV_SQRT_2PI = 0.3989422804014327;
static const double GELU_TANH_C = 0.044715;

static inline double sigmoidD(double x) {
  // Two forms so exp() never overflows.
  if (x >= 0) return 1 / (1 + exp(-x));
  double e = exp(x);
  return e / (1 + e);
}

static inline double applyUnary(int op, double x, double alpha, double beta) {
  switch (op) {
    case NEG: return -x;
    case EXP: return exp(x);
    case LOG: return log(x);
    case SQRT: return sqrt(x);
    case ABS: return fabs(x);
    case SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case SQUARE: return x * x;
    case RECIPROCAL: return 1 / x;
    case CLIP: return x < alpha ? alpha : x > beta ? beta : x;
    case SIGMOID: return sigmoidD(x);
    case TANH: return tanh(x);
    case RELU: return x > 0 ? x : 0;
    case LEAKY_RELU: return x > 0 ? x : alpha * x;
    case ELU: return x > 0 ? x : alpha * expm1(x);
    case GELU: return 0.5 * x * (1 + erf(x * INV_SQRT_2));
    case GELU_TANH: return 0.5 * x * (1 + tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
    case SWISH: return x * sigmoidD(x);
    case SOFTPLUS: return fmax(x, 0) + log1p(exp(-fabs(x)));
    default: return x;  // LINEAR
  }
}

// f'(x) given x and y = f(x).
static inline double applyDerivative(int op, double x, double y, double alpha, double beta) {
  switch (op) {
    case NEG: return -1;
    case EXP: return y;
    case LOG: return 1 / x;
    case SQRT: return 0.5 / y;
    case ABS: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case SIGN: return 0;
    case SQUARE: return 2 * x;
    case RECIPROCAL: return -y * y;
    case CLIP: return x >= alpha && x <= beta ? 1 : 0;
    case SIGMOID: return y * (1 - y);
    case TANH: return 1 - y * y;
    case RELU: return x > 0 ? 1 : 0;
    case LEAKY_RELU: return x > 0 ? 1 : alpha;
    case ELU: return x > 0 ? 1 : alpha * exp(x);
    case GELU: return 0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * exp(-0.5 * x * x);
    case GELU_TANH: {
      double u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
      double t = tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
    }
    case SWISH: {
      double s = sigmoidD(x);
      return s + x * s * (1 - s);
    }
    case SOFTPLUS: return sigmoidD(x);
    default: return 1;  // LINEAR
  }
}

template <typename T>
static void unaryT(int op, const T *x, T *out, size_t n, double alpha, double beta) {
  // The hot activations get loops of their own, in the array's type, so they vectorize.
  switch (op) {
    case RELU:
      for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : (T)0;
      return;
    case LINEAR:
      if (out != x) memmove(out, x, n * sizeof(T));
      return;
    case NEG:
      for (size_t i = 0; i < n; i++) out[i] = -x[i];
      return;
    case SQUARE:
      for (size_t i = 0; i < n; i++) out[i] = (T)((double)x[i] * (double)x[i]);
      return;
    default:
      for (size_t i = 0; i < n; i++) out[i] = (T)applyUnary(op, (double)x[i], alpha, beta);
  }
}

template <typename T>
static void unaryGradT(int op, const T *x, const T *y, const T *dy, T *out, size_t n, double alpha, double beta) {
  switch (op) {
    case RELU:
      for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? dy[i] : (T)0;
      return;
    case SIGMOID:
      for (size_t i = 0; i < n; i++) {
        double s = y[i];
        out[i] = (T)((double)dy[i] * s * (1 - s));
      }
      return;
    case TANH:
      for (size_t i = 0; i < n; i++) {
        double t = y[i];
        out[i] = (T)((double)dy[i] * (1 - t * t));
      }
      return;
    default:
      for (size_t i = 0; i < n; i++) out[i] = (T)((double)dy[i] * applyDerivative(op, (double)x[i], (double)y[i], alpha, beta));
  }
}

static bool getOp(napi_env env, const char *fn, napi_value *argv, int index, int count, int *op) {
  double v;
  if (!getNumber(env, fn, argv, index, &v)) return false;
  if (!(v >= 0 && v < count && v == floor(v))) return throwRange(env, fn, "unknown op code");
  *op = (int)v;
  return true;
}

// unary(op, x, out, alpha, beta)
static napi_value Unary(napi_env env, napi_callback_info info) {
  const char *fn = "unary";
  napi_value argv[5];
  int op;
  Array x, out;
  double alpha, beta;
  if (!getArgs(env, info, fn, 5, argv) || !getOp(env, fn, argv, 0, UNARY_COUNT, &op) || !getArray(env, fn, argv, 1, &x) ||
      !getArray(env, fn, argv, 2, &out) || !getNumber(env, fn, argv, 3, &alpha) || !getNumber(env, fn, argv, 4, &beta) ||
      !sameType(env, fn, {&x, &out}) || !needLength(env, fn, out, x.length, "out"))
    return nullptr;
  if (x.type == F32) unaryT<float>(op, (const float *)x.data, (float *)out.data, x.length, alpha, beta);
  else unaryT<double>(op, (const double *)x.data, (double *)out.data, x.length, alpha, beta);
  return undefinedValue(env);
}

// unaryGrad(op, x, y, dy, out, alpha, beta)
static napi_value UnaryGrad(napi_env env, napi_callback_info info) {
  const char *fn = "unaryGrad";
  napi_value argv[7];
  int op;
  Array x, y, dy, out;
  double alpha, beta;
  if (!getArgs(env, info, fn, 7, argv) || !getOp(env, fn, argv, 0, UNARY_COUNT, &op) || !getArray(env, fn, argv, 1, &x) ||
      !getArray(env, fn, argv, 2, &y) || !getArray(env, fn, argv, 3, &dy) || !getArray(env, fn, argv, 4, &out) ||
      !getNumber(env, fn, argv, 5, &alpha) || !getNumber(env, fn, argv, 6, &beta) || !sameType(env, fn, {&x, &y, &dy, &out}) ||
      !needLength(env, fn, y, x.length, "y") || !needLength(env, fn, dy, x.length, "dy") || !needLength(env, fn, out, x.length, "out"))
    return nullptr;
  if (x.type == F32)
    unaryGradT<float>(op, (const float *)x.data, (const float *)y.data, (const float *)dy.data, (float *)out.data, x.length, alpha, beta);
  else
    unaryGradT<double>(op, (const double *)x.data, (const double *)y.data, (const double *)dy.data, (double *)out.data, x.length, alpha, beta);
  return undefinedValue(env);
}

// ---------------------------------------------------------------------------------------------
// binary(op, a, b, out, outShape, aStrides, bStrides): out = a (op) b with broadcasting. The
// caller passes the output's shape and each input's strides read as that shape (0 on
// broadcast axes) as Float64Arrays; it also collapses the usual cases (same size, a scalar, a
// row repeated on every row) to rank 1 or 2, so the innermost loop has unit or zero strides.
// ---------------------------------------------------------------------------------------------

// Math.pow differs from C's pow on two edges: pow(1, NaN) and pow(±1, ±Infinity) are NaN in
// JavaScript and 1 in C.
static inline double powLikeJs(double a, double b) {
  if (b != b || (fabs(a) == 1 && isinf(b))) return NAN;
  return pow(a, b);
}

// The reference's formulas exactly (src/backends/js/scalar.ts binaryFunction), NaN behaviour included.
template <typename T, int OP>
static inline T binaryRef(T a, T b) {
  if (OP == ADD) return a + b;
  if (OP == SUB) return a - b;
  if (OP == MUL) return a * b;
  if (OP == DIV) return a / b;
  if (OP == POW) return (T)powLikeJs((double)a, (double)b);
  if (OP == MAXIMUM) return a >= b ? a : b;
  return a <= b ? a : b;
}

// Innermost run of `len` outputs with input strides sa, sb (each 0 or 1 in the common cases).
template <typename T, int OP>
static inline void binaryRun(const T *a, ptrdiff_t sa, const T *b, ptrdiff_t sb, T *out, size_t len) {
  if (sa == 1 && sb == 1) {
    for (size_t i = 0; i < len; i++) out[i] = binaryRef<T, OP>(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const T bv = b[0];
    for (size_t i = 0; i < len; i++) out[i] = binaryRef<T, OP>(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const T av = a[0];
    for (size_t i = 0; i < len; i++) out[i] = binaryRef<T, OP>(av, b[i]);
  } else {
    for (size_t i = 0; i < len; i++) out[i] = binaryRef<T, OP>(a[i * sa], b[i * sb]);
  }
}

template <typename T, int OP>
static void binaryWalk(const T *a, const T *b, T *out, const std::vector<size_t> &shape, const std::vector<ptrdiff_t> &as,
                       const std::vector<ptrdiff_t> &bs) {
  const size_t rank = shape.size();
  const size_t len = shape[rank - 1];
  size_t outer = 1;
  for (size_t d = 0; d + 1 < rank; d++) outer *= shape[d];
  std::vector<size_t> index(rank, 0);
  ptrdiff_t ai = 0, bi = 0;
  for (size_t o = 0; o < outer; o++) {
    binaryRun<T, OP>(a + ai, as[rank - 1], b + bi, bs[rank - 1], out + o * len, len);
    // Advance the multi-index over all but the last axis.
    for (ptrdiff_t d = (ptrdiff_t)rank - 2; d >= 0; d--) {
      index[d]++;
      ai += as[d];
      bi += bs[d];
      if (index[d] < shape[d]) break;
      ai -= as[d] * (ptrdiff_t)shape[d];
      bi -= bs[d] * (ptrdiff_t)shape[d];
      index[d] = 0;
    }
  }
}

template <typename T>
static void binaryT(int op, const T *a, const T *b, T *out, const std::vector<size_t> &shape, const std::vector<ptrdiff_t> &as,
                    const std::vector<ptrdiff_t> &bs) {
  switch (op) {
    case ADD: return binaryWalk<T, ADD>(a, b, out, shape, as, bs);
    case SUB: return binaryWalk<T, SUB>(a, b, out, shape, as, bs);
    case MUL: return binaryWalk<T, MUL>(a, b, out, shape, as, bs);
    case DIV: return binaryWalk<T, DIV>(a, b, out, shape, as, bs);
    case POW: return binaryWalk<T, POW>(a, b, out, shape, as, bs);
    case MAXIMUM: return binaryWalk<T, MAXIMUM>(a, b, out, shape, as, bs);
    default: return binaryWalk<T, MINIMUM>(a, b, out, shape, as, bs);
  }
}

// The largest index an input is read at, +1 (0 strides read one value).
static size_t extent(const std::vector<size_t> &shape, const std::vector<ptrdiff_t> &strides) {
  size_t last = 0;
  for (size_t d = 0; d < shape.size(); d++) last += (shape[d] - 1) * (size_t)strides[d];
  return last + 1;
}

static napi_value Binary(napi_env env, napi_callback_info info) {
  const char *fn = "binary";
  napi_value argv[7];
  int op;
  Array a, b, out, shapeArr, asArr, bsArr;
  if (!getArgs(env, info, fn, 7, argv) || !getOp(env, fn, argv, 0, BINARY_COUNT, &op) || !getArray(env, fn, argv, 1, &a) ||
      !getArray(env, fn, argv, 2, &b) || !getArray(env, fn, argv, 3, &out) || !getArray(env, fn, argv, 4, &shapeArr) ||
      !getArray(env, fn, argv, 5, &asArr) || !getArray(env, fn, argv, 6, &bsArr) || !sameType(env, fn, {&a, &b, &out}))
    return nullptr;
  if (shapeArr.type != F64 || asArr.type != F64 || bsArr.type != F64 || shapeArr.length == 0 || asArr.length != shapeArr.length ||
      bsArr.length != shapeArr.length)
    return throwType(env, fn, 4, "outShape, aStrides and bStrides: Float64Arrays of one non-zero length"), nullptr;
  const size_t rank = shapeArr.length;
  std::vector<size_t> shape(rank);
  std::vector<ptrdiff_t> as(rank), bs(rank);
  size_t total = 1;
  for (size_t d = 0; d < rank; d++) {
    double s = ((double *)shapeArr.data)[d], sa = ((double *)asArr.data)[d], sb = ((double *)bsArr.data)[d];
    if (!(s >= 0 && s < 2147483648.0 && s == floor(s)) || !(sa >= 0 && sa < 2147483648.0 && sa == floor(sa)) ||
        !(sb >= 0 && sb < 2147483648.0 && sb == floor(sb)))
      return throwRange(env, fn, "shape and strides must be non-negative integers"), nullptr;
    shape[d] = (size_t)s;
    as[d] = (ptrdiff_t)sa;
    bs[d] = (ptrdiff_t)sb;
    total *= shape[d];
  }
  if (!needLength(env, fn, out, total, "out")) return nullptr;
  if (total == 0) return undefinedValue(env);
  if (!needLength(env, fn, a, extent(shape, as), "a") || !needLength(env, fn, b, extent(shape, bs), "b")) return nullptr;
  if (a.type == F32) binaryT<float>(op, (const float *)a.data, (const float *)b.data, (float *)out.data, shape, as, bs);
  else binaryT<double>(op, (const double *)a.data, (const double *)b.data, (double *)out.data, shape, as, bs);
  return undefinedValue(env);
}

// ---------------------------------------------------------------------------------------------
// reduce(isMax, x, out, outer, reduced, inner): x seen as [outer, reduced, inner], out as
// [outer, inner]. Sums accumulate in double (the reference's single-value sum does too).
// ---------------------------------------------------------------------------------------------

// Sum in double with 32 independent partial sums: each lane is its own chain, so the compiler
// vectorizes it without reassociating (no -ffast-math) and the adds are not bound by their
// latency. This is also fit's NaN/Inf gradient check (a sum over every gradient, every step),
// which a single chain made a tenth of a batch-size-1 step.
template <typename T>
static double sumDouble(const T *x, size_t n) {
  enum { LANES = 32 };
  double acc[LANES] = {0};
  size_t r = 0;
  for (; r + LANES <= n; r += LANES)
    for (int j = 0; j < LANES; j++) acc[j] += (double)x[r + j];
  for (; r < n; r++) acc[0] += (double)x[r];
  for (int width = LANES / 2; width > 0; width /= 2)
    for (int j = 0; j < width; j++) acc[j] += acc[j + width];
  return acc[0];
}

template <typename T>
static void reduceT(bool isMax, const T *x, T *out, size_t outer, size_t reduced, size_t inner) {
  if (inner == 1) {
    for (size_t o = 0; o < outer; o++) {
      const T *row = x + o * reduced;
      if (isMax) {
        double acc = -INFINITY;
        for (size_t r = 0; r < reduced; r++) {
          double v = row[r];
          if (v > acc || v != v) acc = v;
        }
        out[o] = (T)acc;
      } else {
        out[o] = (T)sumDouble(row, reduced);
      }
    }
    return;
  }
  std::vector<double> acc(inner);
  for (size_t o = 0; o < outer; o++) {
    for (size_t i = 0; i < inner; i++) acc[i] = isMax ? -INFINITY : 0;
    for (size_t r = 0; r < reduced; r++) {
      const T *row = x + (o * reduced + r) * inner;
      if (isMax) {
        for (size_t i = 0; i < inner; i++) {
          double v = row[i];
          if (v > acc[i] || v != v) acc[i] = v;
        }
      } else {
        for (size_t i = 0; i < inner; i++) acc[i] += row[i];
      }
    }
    for (size_t i = 0; i < inner; i++) out[o * inner + i] = (T)acc[i];
  }
}

static napi_value Reduce(napi_env env, napi_callback_info info) {
  const char *fn = "reduce";
  napi_value argv[6];
  bool isMax;
  Array x, out;
  size_t outer, reduced, inner;
  if (!getArgs(env, info, fn, 6, argv) || !getBool(env, fn, argv, 0, &isMax) || !getArray(env, fn, argv, 1, &x) ||
      !getArray(env, fn, argv, 2, &out) || !getSize(env, fn, argv, 3, &outer) || !getSize(env, fn, argv, 4, &reduced) ||
      !getSize(env, fn, argv, 5, &inner) || !sameType(env, fn, {&x, &out}))
    return nullptr;
  if ((double)outer * (double)reduced * (double)inner > 9007199254740992.0) return throwRange(env, fn, "too large"), nullptr;
  if (!needLength(env, fn, x, outer * reduced * inner, "x") || !needLength(env, fn, out, outer * inner, "out")) return nullptr;
  size_t es = x.type == F32 ? 4 : 8;
  if (overlaps(out, outer * inner * es, x, outer * reduced * inner * es))
    return throwRange(env, fn, "out must not share memory with x"), nullptr;
  if (x.type == F32) reduceT<float>(isMax, (const float *)x.data, (float *)out.data, outer, reduced, inner);
  else reduceT<double>(isMax, (const double *)x.data, (double *)out.data, outer, reduced, inner);
  return undefinedValue(env);
}

// ---------------------------------------------------------------------------------------------
// softmax(x, out, rows, cols, log) and softmaxGrad(y, dy, out, rows, cols, log), row-wise, in
// double, with the reference's precise forms (log1p of the other entries' sum; expm1 where the
// probability is near 1).
// ---------------------------------------------------------------------------------------------

template <typename T>
static void softmaxT(const T *x, T *out, size_t rows, size_t cols, bool logForm) {
  for (size_t r = 0; r < rows; r++) {
    const T *xr = x + r * cols;
    T *orow = out + r * cols;
    double max = -INFINITY;
    for (size_t j = 0; j < cols; j++) max = fmax(max, (double)xr[j]);
    // Math.max propagates NaN, fmax does not: a NaN anywhere makes the row NaN, as in the reference.
    for (size_t j = 0; j < cols; j++)
      if (xr[j] != xr[j]) max = NAN;
    if (logForm) {
      ptrdiff_t argmax = -1;
      for (size_t j = 0; j < cols; j++)
        if ((double)xr[j] == max) {
          argmax = (ptrdiff_t)j;
          break;
        }
      double rest = 0;
      for (size_t j = 0; j < cols; j++)
        if ((ptrdiff_t)j != argmax) rest += exp((double)xr[j] - max);
      double logSum = log1p(rest);
      for (size_t j = 0; j < cols; j++) orow[j] = (T)((double)xr[j] - max - logSum);
    } else {
      double sum = 0;
      for (size_t j = 0; j < cols; j++) sum += exp((double)xr[j] - max);
      for (size_t j = 0; j < cols; j++) orow[j] = (T)(exp((double)xr[j] - max) / sum);
    }
  }
}

template <typename T>
static void softmaxGradT(const T *y, const T *dy, T *out, size_t rows, size_t cols, bool logForm) {
  for (size_t r = 0; r < rows; r++) {
    const T *yr = y + r * cols;
    const T *dr = dy + r * cols;
    T *orow = out + r * cols;
    double s = 0;
    if (logForm) {
      for (size_t j = 0; j < cols; j++) s += dr[j];
      for (size_t j = 0; j < cols; j++) {
        double yv = yr[j], dv = dr[j];
        orow[j] = (T)(yv > -M_LN2 ? dv - s - expm1(yv) * s : dv - exp(yv) * s);
      }
    } else {
      for (size_t j = 0; j < cols; j++) s += (double)dr[j] * (double)yr[j];
      for (size_t j = 0; j < cols; j++) orow[j] = (T)((double)yr[j] * ((double)dr[j] - s));
    }
  }
}

static napi_value Softmax(napi_env env, napi_callback_info info) {
  const char *fn = "softmax";
  napi_value argv[5];
  Array x, out;
  size_t rows, cols;
  bool logForm;
  if (!getArgs(env, info, fn, 5, argv) || !getArray(env, fn, argv, 0, &x) || !getArray(env, fn, argv, 1, &out) ||
      !getSize(env, fn, argv, 2, &rows) || !getSize(env, fn, argv, 3, &cols) || !getBool(env, fn, argv, 4, &logForm) ||
      !sameType(env, fn, {&x, &out}) || !needLength(env, fn, x, rows * cols, "x") || !needLength(env, fn, out, rows * cols, "out"))
    return nullptr;
  if (x.type == F32) softmaxT<float>((const float *)x.data, (float *)out.data, rows, cols, logForm);
  else softmaxT<double>((const double *)x.data, (double *)out.data, rows, cols, logForm);
  return undefinedValue(env);
}

static napi_value SoftmaxGrad(napi_env env, napi_callback_info info) {
  const char *fn = "softmaxGrad";
  napi_value argv[6];
  Array y, dy, out;
  size_t rows, cols;
  bool logForm;
  if (!getArgs(env, info, fn, 6, argv) || !getArray(env, fn, argv, 0, &y) || !getArray(env, fn, argv, 1, &dy) ||
      !getArray(env, fn, argv, 2, &out) || !getSize(env, fn, argv, 3, &rows) || !getSize(env, fn, argv, 4, &cols) ||
      !getBool(env, fn, argv, 5, &logForm) || !sameType(env, fn, {&y, &dy, &out}) || !needLength(env, fn, y, rows * cols, "y") ||
      !needLength(env, fn, dy, rows * cols, "dy") || !needLength(env, fn, out, rows * cols, "out"))
    return nullptr;
  if (y.type == F32) softmaxGradT<float>((const float *)y.data, (const float *)dy.data, (float *)out.data, rows, cols, logForm);
  else softmaxGradT<double>((const double *)y.data, (const double *)dy.data, (double *)out.data, rows, cols, logForm);
  return undefinedValue(env);
}

// ---------------------------------------------------------------------------------------------
// Optimizer update rules, one fused pass per parameter tensor, in double per element exactly as
// src/optim/rules.ts writes them (the reference). Float32 parameters and state only (the
// rules' state is always Float32Array).
// ---------------------------------------------------------------------------------------------

// The loops below take their loop-invariant choices (momentum or not, Nesterov, the kind of
// weight decay) as template parameters: one branch-free loop per case, which the compiler
// vectorizes (in double: float→double, sqrt and division are exact IEEE operations in a
// vector lane as in a scalar one, so the results are bit for bit those of a scalar loop).
// With the branches inside, gcc left the Adam and RMSprop loops scalar.

template <bool MOMENTUM, bool NESTEROV>
static void sgdLoop(float *wp, const float *gp, float *vp, size_t n, double lr, double momentum,
                    double weightDecay) {
  for (size_t i = 0; i < n; i++) {
    double d = (double)gp[i] + weightDecay * (double)wp[i];
    if (MOMENTUM) {
      const float vi = (float)(momentum * (double)vp[i] + d);
      vp[i] = vi;
      d = NESTEROV ? d + momentum * (double)vi : (double)vi;
    }
    wp[i] = (float)((double)wp[i] - lr * d);
  }
}

// sgd(w, g, velocity|null, lr, momentum, nesterov, weightDecay)
static napi_value Sgd(napi_env env, napi_callback_info info) {
  const char *fn = "sgd";
  napi_value argv[7];
  Array w, g, v;
  double lr, momentum, weightDecay;
  bool nesterov;
  if (!getArgs(env, info, fn, 7, argv) || !getArray(env, fn, argv, 0, &w) || !getArray(env, fn, argv, 1, &g) ||
      !getArray(env, fn, argv, 2, &v, true) || !getNumber(env, fn, argv, 3, &lr) || !getNumber(env, fn, argv, 4, &momentum) ||
      !getBool(env, fn, argv, 5, &nesterov) || !getNumber(env, fn, argv, 6, &weightDecay))
    return nullptr;
  if (w.type != F32 || g.type != F32 || (v.type != NONE && v.type != F32)) return throwType(env, fn, 0, "Float32Arrays"), nullptr;
  const size_t n = w.length;
  if (!needLength(env, fn, g, n, "grad")) return nullptr;
  float *wp = (float *)w.data;
  const float *gp = (const float *)g.data;
  if (momentum == 0 && weightDecay == 0) {
    for (size_t i = 0; i < n; i++) wp[i] = (float)((double)wp[i] - lr * (double)gp[i]);
    return undefinedValue(env);
  }
  if (v.type == NONE || !needLength(env, fn, v, n, "velocity")) {
    if (v.type == NONE) throwType(env, fn, 2, "a Float32Array (the velocity) when momentum or weight decay is set");
    return nullptr;
  }
  float *vp = (float *)v.data;
  if (momentum == 0) sgdLoop<false, false>(wp, gp, vp, n, lr, momentum, weightDecay);
  else if (nesterov) sgdLoop<true, true>(wp, gp, vp, n, lr, momentum, weightDecay);
  else sgdLoop<true, false>(wp, gp, vp, n, lr, momentum, weightDecay);
  return undefinedValue(env);
}

enum Decay { NO_DECAY, L2_DECAY, DECOUPLED_DECAY };

struct AdamConstants {
  double beta1, beta2, epsilon, weightDecay, decay, stepSize, sqrtCorrection2;
};

template <Decay DECAY>
static void adamLoop(float *wp, const float *gp, float *mp, float *vp, size_t n,
                     const AdamConstants c) {
  for (size_t i = 0; i < n; i++) {
    double gi = gp[i];
    // The decoupled decay is stored as float before the update reads it, as the reference does.
    float wi = wp[i];
    if (DECAY == DECOUPLED_DECAY) wi = (float)((double)wi * c.decay);
    if (DECAY == L2_DECAY) gi += c.weightDecay * (double)wi;
    const float mi = (float)(c.beta1 * (double)mp[i] + (1 - c.beta1) * gi);
    const float vi = (float)(c.beta2 * (double)vp[i] + (1 - c.beta2) * gi * gi);
    mp[i] = mi;
    vp[i] = vi;
    wp[i] = (float)((double)wi - (c.stepSize * (double)mi) / (sqrt((double)vi) / c.sqrtCorrection2 + c.epsilon));
  }
}

// adam(w, g, m, v, lr, beta1, beta2, epsilon, weightDecay, decoupled, step)
static napi_value Adam(napi_env env, napi_callback_info info) {
  const char *fn = "adam";
  napi_value argv[11];
  Array w, g, m, v;
  double lr, beta1, beta2, epsilon, weightDecay, step;
  bool decoupled;
  if (!getArgs(env, info, fn, 11, argv) || !getArray(env, fn, argv, 0, &w) || !getArray(env, fn, argv, 1, &g) ||
      !getArray(env, fn, argv, 2, &m) || !getArray(env, fn, argv, 3, &v) || !getNumber(env, fn, argv, 4, &lr) ||
      !getNumber(env, fn, argv, 5, &beta1) || !getNumber(env, fn, argv, 6, &beta2) || !getNumber(env, fn, argv, 7, &epsilon) ||
      !getNumber(env, fn, argv, 8, &weightDecay) || !getBool(env, fn, argv, 9, &decoupled) || !getNumber(env, fn, argv, 10, &step))
    return nullptr;
  if (w.type != F32 || g.type != F32 || m.type != F32 || v.type != F32) return throwType(env, fn, 0, "Float32Arrays"), nullptr;
  const size_t n = w.length;
  if (!needLength(env, fn, g, n, "grad") || !needLength(env, fn, m, n, "m") || !needLength(env, fn, v, n, "v")) return nullptr;
  float *wp = (float *)w.data, *mp = (float *)m.data, *vp = (float *)v.data;
  const float *gp = (const float *)g.data;
  const double correction1 = 1 - pow(beta1, step);
  const double sqrtCorrection2 = sqrt(1 - pow(beta2, step));
  const double stepSize = lr / correction1;
  const double decay = 1 - lr * weightDecay;
  const AdamConstants c = {beta1, beta2, epsilon, weightDecay, decay, stepSize, sqrtCorrection2};
  if (weightDecay == 0) adamLoop<NO_DECAY>(wp, gp, mp, vp, n, c);
  else if (decoupled) adamLoop<DECOUPLED_DECAY>(wp, gp, mp, vp, n, c);
  else adamLoop<L2_DECAY>(wp, gp, mp, vp, n, c);
  return undefinedValue(env);
}

template <bool MOMENTUM>
static void rmspropLoop(float *wp, const float *gp, float *sp, float *bp, size_t n, double lr,
                        double rho, double momentum, double epsilon, double weightDecay) {
  for (size_t i = 0; i < n; i++) {
    const double gi = (double)gp[i] + weightDecay * (double)wp[i];
    const float si = (float)(rho * (double)sp[i] + (1 - rho) * gi * gi);
    sp[i] = si;
    const double d = gi / (sqrt((double)si) + epsilon);
    if (MOMENTUM) {
      const float bi = (float)(momentum * (double)bp[i] + d);
      bp[i] = bi;
      wp[i] = (float)((double)wp[i] - lr * (double)bi);
    } else {
      wp[i] = (float)((double)wp[i] - lr * d);
    }
  }
}

// rmsprop(w, g, meanSquare, velocity, lr, rho, momentum, epsilon, weightDecay)
static napi_value Rmsprop(napi_env env, napi_callback_info info) {
  const char *fn = "rmsprop";
  napi_value argv[9];
  Array w, g, s, buf;
  double lr, rho, momentum, epsilon, weightDecay;
  if (!getArgs(env, info, fn, 9, argv) || !getArray(env, fn, argv, 0, &w) || !getArray(env, fn, argv, 1, &g) ||
      !getArray(env, fn, argv, 2, &s) || !getArray(env, fn, argv, 3, &buf) || !getNumber(env, fn, argv, 4, &lr) ||
      !getNumber(env, fn, argv, 5, &rho) || !getNumber(env, fn, argv, 6, &momentum) || !getNumber(env, fn, argv, 7, &epsilon) ||
      !getNumber(env, fn, argv, 8, &weightDecay))
    return nullptr;
  if (w.type != F32 || g.type != F32 || s.type != F32 || buf.type != F32) return throwType(env, fn, 0, "Float32Arrays"), nullptr;
  const size_t n = w.length;
  if (!needLength(env, fn, g, n, "grad") || !needLength(env, fn, s, n, "meanSquare") || !needLength(env, fn, buf, n, "velocity"))
    return nullptr;
  float *wp = (float *)w.data, *sp = (float *)s.data, *bp = (float *)buf.data;
  const float *gp = (const float *)g.data;
  if (momentum != 0) rmspropLoop<true>(wp, gp, sp, bp, n, lr, rho, momentum, epsilon, weightDecay);
  else rmspropLoop<false>(wp, gp, sp, bp, n, lr, rho, momentum, epsilon, weightDecay);
  return undefinedValue(env);
}

// ---------------------------------------------------------------------------------------------
// Configuration: setThreads(threads, parallelFlops), info()
// ---------------------------------------------------------------------------------------------

static napi_value SetThreads(napi_env env, napi_callback_info info) {
  const char *fn = "setThreads";
  napi_value argv[3];
  size_t threads, parts;
  double flops;
  if (!getArgs(env, info, fn, 3, argv) || !getSize(env, fn, argv, 0, &threads) || !getNumber(env, fn, argv, 1, &flops) || !getSize(env, fn, argv, 2, &parts)) return nullptr;
  if (threads < 1 || threads > 256) return throwRange(env, fn, "threads must be between 1 and 256"), nullptr;
  if (!(flops >= 0)) return throwRange(env, fn, "parallelFlops must be a number >= 0"), nullptr;
  if (parts < 1 || parts > 8) return throwRange(env, fn, "parts must be between 1 and 8"), nullptr;
  wantedThreads = (int)threads;
  parallelFlops = flops;
  cutParts = (int)parts;
  return undefinedValue(env);
}

static bool setString(napi_env env, napi_value obj, const char *key, const char *value) {
  napi_value v;
  CHECK(napi_create_string_utf8(env, value != nullptr ? value : "", NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, key, v));
  return true;
}

static bool setStrings(napi_env env, napi_value obj, const char *key, const char *const *names, int count) {
  napi_value arr;
  CHECK(napi_create_array_with_length(env, count, &arr));
  for (int i = 0; i < count; i++) {
    napi_value s;
    CHECK(napi_create_string_utf8(env, names[i], NAPI_AUTO_LENGTH, &s));
    CHECK(napi_set_element(env, arr, i, s));
  }
  CHECK(napi_set_named_property(env, obj, key, arr));
  return true;
}

static napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, num;
  if (napi_create_object(env, &obj) != napi_ok) return nullptr;
  if (!setString(env, obj, "blasConfig", openblas_get_config()) || !setString(env, obj, "blasCore", openblas_get_corename()) ||
      !setStrings(env, obj, "unaryOps", UNARY_NAMES, UNARY_COUNT) || !setStrings(env, obj, "binaryOps", BINARY_NAMES, BINARY_COUNT))
    return nullptr;
  napi_create_int32(env, wantedThreads, &num);
  napi_set_named_property(env, obj, "threads", num);
  napi_create_double(env, parallelFlops, &num);
  napi_set_named_property(env, obj, "parallelFlops", num);
  return obj;
}

static napi_value Init(napi_env env, napi_value exports) {
  // OpenBLAS computes every part on the thread that calls it (see PartPool).
  openblas_set_num_threads(1);
  napi_property_descriptor props[] = {
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unaryGrad", nullptr, UnaryGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, Softmax, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxGrad", nullptr, SoftmaxGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgd", nullptr, Sgd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, Adam, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmsprop", nullptr, Rmsprop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return nullptr;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
