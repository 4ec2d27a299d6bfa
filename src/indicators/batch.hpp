// Internal: runs a streaming indicator over spans, so that batch and streaming share one kernel
// (they agree bit for bit by construction; the tests compare both with naive references).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>

#include "tradeloop/core/result.hpp"
#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind::detail {

// Every output span has the input's length n; with `optional`, an empty one is allowed too (a
// batch form that skips the outputs it is not given).
inline Status check_outputs(const char* name, std::size_t n, std::initializer_list<std::span<double>> outs,
                            bool optional = false) {
  for (const auto& out : outs)
    if (out.size() != n && !(optional && out.empty()))
      return invalid_argument(std::string(name) + ": output size " + std::to_string(out.size()) +
                              " != input size " + std::to_string(n));
  return Status::Ok();
}

// Checks that every input and output span has the same length as the first input, builds the
// indicator with `make()` (whose constructor validates parameters and may throw
// tradeloop::Exception), then calls `step(ind, i)` for every row.
template <class Make, class Step>
Status run_batch(const char* name, std::initializer_list<std::span<const double>> ins,
                 std::initializer_list<std::span<double>> outs, Make&& make, Step&& step) {
  const std::size_t n = ins.begin()->size();
  for (const auto& in : ins)
    if (in.size() != n)
      return invalid_argument(std::string(name) + ": input columns differ in length (" +
                              std::to_string(in.size()) + " vs " + std::to_string(n) + ")");
  TL_RETURN_IF_ERROR(check_outputs(name, n, outs));
  try {
    const auto made = make();
    // A fresh local copy whose address never escapes (the constructor above is out of line):
    // the compiler can then keep the state in registers instead of reloading it after every
    // output store (which it must otherwise assume may alias).
    auto ind = made;
    for (std::size_t i = 0; i < n; ++i) step(ind, i);
  } catch (const Exception& e) {
    return e.error();
  }
  return Status::Ok();
}

// run_batch's checks alone (column lengths; parameters, through `make()`), for a batch form that
// then runs its own loop instead of the streaming class.
template <class Make>
Status check_batch(const char* name, std::initializer_list<std::span<const double>> ins,
                   std::initializer_list<std::span<double>> outs, Make&& make) {
  return run_batch(name, ins, outs, std::forward<Make>(make), [](auto&, std::size_t) {});
}

// NaN in the first `count` rows of every output (all rows when shorter): the warm-up of a batch
// form that runs its own loop instead of the streaming class.
inline void fill_warm_up(std::initializer_list<std::span<double>> outs, std::size_t count) {
  for (std::span<double> out : outs) std::fill_n(out.begin(), std::min(count, out.size()), kNaN);
}

// The batch form of a single-input, single-output indicator T(args...).
template <class T, class... A>
Status run_simple(const char* name, std::span<const double> in, std::span<double> out, A... args) {
  return run_batch(name, {in}, {out}, [&] { return T(args...); },
                   [&](T& ind, std::size_t i) { out[i] = ind.update(in[i]); });
}

// The batch form of a single-input T(args...) that has a faster form once started(ind) holds:
// update() bar by bar until then, then rest(ind, x, y, n) over the n bars left (the same
// arithmetic without the warm-up tests).
template <class T, class Started, class Rest, class... A>
Status run_then(const char* name, std::span<const double> in, std::span<double> out, Started&& started,
                Rest&& rest, A... args) {
  TL_RETURN_IF_ERROR(check_batch(name, {in}, {out}, [&] { return T(args...); }));
  const T made(args...);  // valid: checked above
  T ind = made;           // a non-escaping copy, as in run_batch
  const double* x = in.data();
  double* y = out.data();
  const std::size_t n = in.size();
  std::size_t i = 0;
  for (; i < n && !started(ind); ++i) y[i] = ind.update(x[i]);
  rest(ind, x + i, y + i, n - i);
  return Status::Ok();
}
// For a T with update_ready(): update() until ready(), then update_ready().
template <class T, class... A>
Status run_simple_ready(const char* name, std::span<const double> in, std::span<double> out, A... args) {
  return run_then<T>(
      name, in, out, [](const T& ind) { return ind.ready(); },
      [](T& ind, const double* x, double* y, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) y[i] = ind.update_ready(x[i]);
      },
      args...);
}
// For a T with pairs() (Dema, Tema): update() until the indicator is ready at a pair start,
// then whole pairs of bars, then update() for an odd last bar.
template <class T, class... A>
Status run_simple_pairs(const char* name, std::span<const double> in, std::span<double> out, A... args) {
  return run_then<T>(
      name, in, out, [](const T& ind) { return ind.at_pair_start(); },
      [](T& ind, const double* x, double* y, std::size_t n) {
        const std::size_t pairs = n & ~std::size_t{1};
        ind.pairs(x, y, pairs);
        for (std::size_t i = pairs; i < n; ++i) y[i] = ind.update(x[i]);
      },
      args...);
}

}  // namespace tradeloop::ind::detail
