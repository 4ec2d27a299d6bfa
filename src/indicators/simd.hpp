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

#pragma GCC diagnostic pop
