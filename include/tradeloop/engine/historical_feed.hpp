// DataFeed over in-memory history: a time-ordered merge of pre-sorted BarSeries.
//
// Historical runs need no priority queue: each series is already sorted, so the next event is
// the smallest head timestamp (ties: lower SymbolId). With one series this is a plain index
// walk over the columns (the hot path of a single-symbol backtest). The series are borrowed and
// must outlive the feed; each must be sorted by time (checked by `check_series`).
#pragma once

#include <vector>

#include "tradeloop/core/result.hpp"
#include "tradeloop/engine/interfaces.hpp"

namespace tradeloop {

class HistoricalFeed final : public DataFeed {
 public:
  explicit HistoricalFeed(std::vector<const BarSeries*> series);

  // kInvalidArgument naming the series and row if timestamps are not strictly increasing or a
  // price is not finite and > 0 (bad data must be an error, never a NaN fill that asserts).
  static Status check_series(const BarSeries& s);
  // The same checks for rows [start, end) (row `start` is compared with the row before it).
  // The kernel's one-series loop checks each block of kCheckBlock rows just before it delivers
  // it, while the block is in cache, instead of reading the whole series once more up front.
  static Status check_rows(const BarSeries& s, std::size_t start, std::size_t end);
  static constexpr std::size_t kCheckBlock = 4096;
  // The earlier name (the optimiser's sweep calls it); the same checks.
  static Status check_sorted(const BarSeries& s) { return check_series(s); }

  std::size_t symbol_count() const noexcept override { return series_.size(); }
  const BarSeries& history(SymbolId symbol) const noexcept override { return *series_[symbol]; }
  bool next(MarketEvent& out) override {
    if (series_.size() != 1) return next_merged(out);
    const std::size_t k = pos_[0];  // one series: a plain walk over the columns
    if (k >= series_[0]->size()) return false;
    pos_[0] = k + 1;
    out.symbol = 0;
    out.index = k;
    out.bar = series_[0]->bar(k);
    return true;
  }
  // Marks every bar as delivered (the kernel walked the columns itself).
  void skip_to_end() noexcept {
    for (std::size_t i = 0; i < series_.size(); ++i) pos_[i] = series_[i]->size();
  }

 private:
  bool next_merged(MarketEvent& out);
  std::vector<const BarSeries*> series_;
  std::vector<std::size_t> pos_;
};

}  // namespace tradeloop
