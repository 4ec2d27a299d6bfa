// Internal: four doubles per GCC vector-extension value, for the batch kernels that work on four
// bars at once (Aroon, the rolling highest high / lowest low). Plain SSE2 pairs in the default
// build; one AVX2 register in the functions compiled with [[gnu::target_clones("avx2", "default")]].
// No FMA anywhere (the AVX2 clone does not enable it), so a kernel gives the bits of the scalar
// streaming code it replaces.
#pragma once

// The vector type's ABI differs with and without AVX: harmless here (every use is inlined).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace tradeloop::ind::detail::simd {

using V4 = double __attribute__((vector_size(32)));

[[gnu::always_inline]] inline V4 load(const double* p) noexcept {
  V4 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
[[gnu::always_inline]] inline void store(double* p, const V4& v) noexcept {
  __builtin_memcpy(p, &v, sizeof v);
}

}  // namespace tradeloop::ind::detail::simd

// Declares `out` (a V4) as the inclusive prefix sums of the lanes of `x`, by two shift-and-add
// steps with −0 (the identity of +) shifted in: lane k gets GroupedSum's P_k (common.hpp), so a
// kernel that adds it to the base of the group gives the bits of the streaming step.
// TL_SIMD_LAST(x): lane 3 of x in every lane. Macros: a function returning a vector trips
// -Wpsabi in the default (non-AVX) build.
#define TL_SIMD_SCAN(x, out)                                                                               \
  const ::tradeloop::ind::detail::simd::V4 out##_1 =                                                       \
      (x) + __builtin_shufflevector((x), ::tradeloop::ind::detail::simd::V4{-0.0, -0.0, -0.0, -0.0}, 4, 0, 1, 2); \
  const ::tradeloop::ind::detail::simd::V4 out =                                                           \
      out##_1 + __builtin_shufflevector(out##_1, ::tradeloop::ind::detail::simd::V4{-0.0, -0.0, -0.0, -0.0}, 4, 5, 0, 1)
// TL_SIMD_SPLAT(s): {s, s, s, s}, the exact value in every lane (`zero + s` adds: −0 → +0);
// `s` is evaluated four times.
#define TL_SIMD_SPLAT(s) (::tradeloop::ind::detail::simd::V4{(s), (s), (s), (s)})
#define TL_SIMD_LAST(x) __builtin_shufflevector((x), (x), 3, 3, 3, 3)

#pragma GCC diagnostic pop
