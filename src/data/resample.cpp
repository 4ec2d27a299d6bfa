#include "tradeloop/data/resample.hpp"

#include <algorithm>

namespace tradeloop {
namespace detail_resample {

std::optional<Timeframe> source_timeframe(const BarSeries& s) {
  return s.timeframe() ? s.timeframe() : s.detect_timeframe();
}

// A target a source can be aggregated into without splitting source bars across buckets.
Status check_target(const std::optional<Timeframe>& from, Timeframe to) {
  if (!from) return Status::Ok();  // unknown spacing (a single bar): any target works
  const std::string msg = "cannot resample " + from->to_string() + " bars to " + to.to_string() + ": ";
  if (to.nominal_duration() < from->nominal_duration() || (to == *from))
    return invalid_argument(msg + "the target timeframe must be coarser than the data's");
  if (from->is_calendar() && !(to.is_calendar() && to.count() % from->count() == 0))
    return invalid_argument(msg + "monthly bars only resample to a multiple of their months");
  if (to.is_calendar() && !from->is_calendar() && kNanosPerDay % from->nominal_duration() != 0)
    return invalid_argument(msg + "month buckets need bars that divide a day");
  if (!to.is_calendar() && to.nominal_duration() % from->nominal_duration() != 0)
    return invalid_argument(msg + "the target must be a whole multiple of the data's step");
  return Status::Ok();
}

}  // namespace detail_resample

Result<Resampled> resample(const BarSeries& in, Timeframe target) {
  const auto from = detail_resample::source_timeframe(in);
  TL_RETURN_IF_ERROR(detail_resample::check_target(from, target));
  const auto ts = in.timestamps();
  for (std::size_t i = 1; i < ts.size(); ++i)
    if (ts[i] < ts[i - 1])
      return parse_error((in.source().empty() ? std::string("the series") : in.source()) + ": row " +
                         std::to_string(i + 1) + " is earlier than the previous row; sort the data first "
                                                 "(tradeloop data validate --fix)");
  Resampled r;
  r.source_rows = in.size();
  BarSeries& out = r.series;
  out.set_symbol(in.symbol());
  out.set_source(in.source());
  out.set_timeframe(target);
  if (in.empty()) return r;

  const auto o = in.open(), h = in.high(), l = in.low(), c = in.close(), v = in.volume();
  const auto& extras_in = in.extra_columns();
  std::vector<std::vector<double>> extras(extras_in.size());
  // Output size estimate: the input span divided by the target's length.
  const double span = static_cast<double>(ts.back()) - static_cast<double>(ts.front());
  out.reserve(std::min<std::size_t>(in.size(), static_cast<std::size_t>(span / static_cast<double>(target.nominal_duration())) + 2));

  Bar cur;
  Timestamp end = 0;
  std::size_t last_row = 0;
  auto flush = [&] {
    out.push_back(cur);
    for (std::size_t k = 0; k < extras.size(); ++k) extras[k].push_back(extras_in[k].second[last_row]);
  };
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (i == 0 || ts[i] >= end) {
      if (i > 0) flush();
      cur.ts = target.bucket_start(ts[i]);
      end = target.next_bucket(cur.ts);
      cur.open = o[i], cur.high = h[i], cur.low = l[i], cur.close = c[i], cur.volume = v[i];
    } else {
      cur.high = std::max(cur.high, h[i]);
      cur.low = std::min(cur.low, l[i]);
      cur.close = c[i];
      cur.volume += v[i];
    }
    last_row = i;
  }
  flush();
  for (std::size_t k = 0; k < extras.size(); ++k)
    TL_RETURN_IF_ERROR(out.set_column(extras_in[k].first, std::move(extras[k])));

  // A bucket is complete when the source bars cover it from its start to its end.
  const Duration step = from ? from->nominal_duration() : 0;
  r.first_partial = ts.front() > out.timestamps().front();
  r.last_partial = from && (from->is_calendar() ? from->next_bucket(ts.back()) < end : ts.back() + step < end);
  return r;
}

GapReport find_gaps(const BarSeries& s, std::optional<Timeframe> tf) {
  GapReport g;
  g.timeframe = tf ? tf : detail_resample::source_timeframe(s);
  g.expected_bars = static_cast<std::int64_t>(s.size());
  if (!g.timeframe) return g;
  const Timeframe grid = *g.timeframe;
  const Duration step = grid.nominal_duration();
  const auto ts = s.timestamps();
  for (std::size_t i = 1; i < ts.size(); ++i) {
    Duration d = 0;
    // A series built by hand may hold any int64 times: an overflowing difference is no gap we
    // can count, and is skipped like an out-of-order pair.
    if (__builtin_sub_overflow(ts[i], ts[i - 1], &d) || d <= 0) continue;
    std::int64_t missing = 0;
    if (grid.is_calendar()) {
      Timestamp t = grid.next_bucket(grid.bucket_start(ts[i - 1]));
      while (t < grid.bucket_start(ts[i])) t = grid.next_bucket(t), ++missing;
    } else if (d > step) {
      missing = (d + step - 1) / step - 1;  // grid points strictly between
    }
    if (missing <= 0) continue;
    g.gaps.push_back(Gap{ts[i - 1], ts[i], missing, i});
    g.missing_bars += missing;
    g.largest = std::max(g.largest, d);
  }
  g.expected_bars += g.missing_bars;
  return g;
}

}  // namespace tradeloop
