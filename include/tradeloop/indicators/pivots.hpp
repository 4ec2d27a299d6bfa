// Pivot points (floor-trader pivots) from the previous bar's high, low and close: classic,
// Fibonacci, Woodie and Camarilla. Use them on daily bars for daily pivots (resample first).
// Formulas: docs/indicators.md (sources: StockCharts ChartSchool "Pivot Points";
// Camarilla: Nick Scott 1989). Outputs in price units; the value at bar t uses bar t−1.
#pragma once

#include <span>

#include "tradeloop/indicators/common.hpp"

namespace tradeloop::ind {

enum class PivotMethod { kClassic, kFibonacci, kWoodie, kCamarilla };

struct PivotValue {
  double pp = kNaN, r1 = kNaN, r2 = kNaN, r3 = kNaN, s1 = kNaN, s2 = kNaN, s3 = kNaN;
};

class PivotPoints {
 public:
  explicit PivotPoints(PivotMethod method = PivotMethod::kClassic) : method_(method) {}
  PivotValue update(double high, double low, double close) noexcept {
    const PivotValue v = has_prev_ ? compute(prev_h_, prev_l_, prev_c_) : PivotValue{};
    prev_h_ = high;
    prev_l_ = low;
    prev_c_ = close;
    has_prev_ = true;
    return v;
  }
  int lookback() const noexcept { return 1; }
  void reset() noexcept { has_prev_ = false; }
  // The levels from one bar's high, low and close.
  PivotValue compute(double high, double low, double close) const noexcept;

 private:
  PivotMethod method_;
  double prev_h_ = 0, prev_l_ = 0, prev_c_ = 0;
  bool has_prev_ = false;
};

Status pivot_points(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                    PivotMethod method, std::span<double> pp, std::span<double> r1, std::span<double> r2,
                    std::span<double> r3, std::span<double> s1, std::span<double> s2, std::span<double> s3);

}  // namespace tradeloop::ind
