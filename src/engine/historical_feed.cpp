#include "tradeloop/engine/historical_feed.hpp"

#include <cmath>
#include <string>

namespace tradeloop {

HistoricalFeed::HistoricalFeed(std::vector<const BarSeries*> series)
    : series_(std::move(series)), pos_(series_.size(), 0) {}

Status HistoricalFeed::check_series(const BarSeries& s) {
  const std::string name = s.source().empty() ? s.symbol() : s.source();
  const auto ts = s.timestamps();
  const auto o = s.open(), h = s.high(), l = s.low(), c = s.close();
  for (std::size_t i = 0; i < ts.size(); ++i) {
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
