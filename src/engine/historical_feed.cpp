#include "tradeloop/engine/historical_feed.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tradeloop {

HistoricalFeed::HistoricalFeed(std::vector<const BarSeries*> series)
    : series_(std::move(series)), pos_(series_.size(), 0) {}

namespace detail_feed {
// The row-by-row check of rows [start, end) that names the first bad row.
Status first_bad_row(const BarSeries& s, std::size_t start, std::size_t end) {
  const std::string name = s.source().empty() ? s.symbol() : s.source();
  const auto ts = s.timestamps();
  const auto o = s.open(), h = s.high(), l = s.low(), c = s.close();
  for (std::size_t i = start; i < end; ++i) {
    if (i > 0 && ts[i] <= ts[i - 1])
      return invalid_argument(name + ": row " + std::to_string(i + 1) + ": timestamp " + format_timestamp(ts[i]) +
                              " is not after the previous row's " + format_timestamp(ts[i - 1]) +
                              " (sort and de-duplicate the data)");
    const bool ok = o[i] > 0 && h[i] > 0 && l[i] > 0 && c[i] > 0 && std::isfinite(o[i]) && std::isfinite(h[i]) &&
                    std::isfinite(l[i]) && std::isfinite(c[i]);
    if (!ok)
      return invalid_argument(name + ": row " + std::to_string(i + 1) + " (" + format_timestamp(ts[i]) +
                              "): prices must be finite and > 0 (run 'tradeloop data validate')");
  }
  return Status::Ok();
}

// True when every price of rows [start, end) is finite and > 0 and every timestamp is after the
// previous row's (false may be a false alarm: the caller then checks the rows one by one). x > 0 && x < inf is false for NaN, so two comparisons cover it all; on x86-64
// the prices are compared two rows at a time with SSE2 (part of the x86-64 baseline), elsewhere
// one at a time. Branch-free: this runs before every backtest over every bar.
bool rows_ok(const BarSeries& s, std::size_t start, std::size_t end) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const double* cols[4] = {s.open().data(), s.high().data(), s.low().data(), s.close().data()};
  std::size_t i = start;
  bool good = true;
#if defined(__SSE2__)
  // Per row, o + h + l + c is finite iff all four are (NaN and inf propagate; a false alarm from
  // an overflowing sum only sends the block to the exact row-by-row check), and min(o, h, l, c)
  // > 0 checks the signs.
  const __m128d zero = _mm_setzero_pd(), inf = _mm_set1_pd(kInf);
  __m128d all = _mm_castsi128_pd(_mm_set1_epi32(-1));
  auto pair = [&](std::size_t r, __m128d& sum, __m128d& low) {
    const __m128d o = _mm_loadu_pd(cols[0] + r), h = _mm_loadu_pd(cols[1] + r);
    const __m128d l = _mm_loadu_pd(cols[2] + r), c = _mm_loadu_pd(cols[3] + r);
    sum = _mm_add_pd(_mm_add_pd(o, h), _mm_add_pd(l, c));
    low = _mm_min_pd(_mm_min_pd(o, h), _mm_min_pd(l, c));
  };
  for (; i + 4 <= end; i += 4) {  // four rows: the two pairs' sums and minima are combined
    __m128d sa, la, sb, lb;
    pair(i, sa, la);
    pair(i + 2, sb, lb);
    const __m128d sum = _mm_add_pd(sa, sb), low = _mm_min_pd(la, lb);
    all = _mm_and_pd(all, _mm_and_pd(_mm_cmplt_pd(sum, inf), _mm_cmpgt_pd(low, zero)));
  }
  for (; i + 2 <= end; i += 2) {
    __m128d sum, low;
    pair(i, sum, low);
    all = _mm_and_pd(all, _mm_and_pd(_mm_cmplt_pd(sum, inf), _mm_cmpgt_pd(low, zero)));
  }
  good = _mm_movemask_pd(all) == 3;
#endif
  for (; i < end; ++i)
    for (const double* col : cols) good &= col[i] > 0 && col[i] < kInf;
  const Timestamp* ts = s.timestamps().data();
  std::size_t k = std::max<std::size_t>(start, 1);
  bool sorted = true;
#if defined(__SSE2__)
  // ts[k] > ts[k-1] iff ts[k] - ts[k-1] - 1 >= 0, exact when both have the same sign (no
  // overflow); a sign change is flagged too (rare: it only sends the block to the exact check).
  const __m128i one = _mm_set1_epi64x(1);
  __m128i flags = _mm_setzero_si128();
  for (; k + 2 <= end; k += 2) {
    const __m128i cur = _mm_loadu_si128(reinterpret_cast<const __m128i*>(ts + k));
    const __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(ts + k - 1));
    flags = _mm_or_si128(flags, _mm_or_si128(_mm_sub_epi64(_mm_sub_epi64(cur, prev), one), _mm_xor_si128(cur, prev)));
  }
  sorted = _mm_movemask_pd(_mm_castsi128_pd(flags)) == 0;
#endif
  for (; k < end; ++k) sorted &= ts[k] > ts[k - 1];
  return good && sorted;
}
}  // namespace detail_feed

Status HistoricalFeed::check_rows(const BarSeries& s, std::size_t start, std::size_t end) {
  if (detail_feed::rows_ok(s, start, end)) return Status::Ok();
  return detail_feed::first_bad_row(s, start, end);  // the exact walk (the fast scan may be a false alarm)
}

// Runs before every backtest over every bar, so the common case (good data) is the fast scan;
// only a block that fails is walked again row by row for the message.
Status HistoricalFeed::check_series(const BarSeries& s) {
  const std::size_t n = s.size();
  for (std::size_t start = 0; start < n; start += kCheckBlock)
    TL_RETURN_IF_ERROR(check_rows(s, start, std::min(n, start + kCheckBlock)));
  return Status::Ok();
}

bool HistoricalFeed::next_merged(MarketEvent& out) {
  std::size_t best = series_.size();
  Timestamp best_ts = 0;
  for (std::size_t i = 0; i < series_.size(); ++i) {
    if (pos_[i] >= series_[i]->size()) continue;
    const Timestamp t = series_[i]->timestamps()[pos_[i]];
    if (best == series_.size() || t < best_ts) {
      best = i;
      best_ts = t;
    }
  }
  if (best == series_.size()) return false;
  const std::size_t k = pos_[best]++;
  out.symbol = static_cast<SymbolId>(best);
  out.index = k;
  out.bar = series_[best]->bar(k);
  return true;
}

}  // namespace tradeloop
