// Pivot point levels (StockCharts ChartSchool "Pivot Points"; Camarilla after Nick Scott).
#include "tradeloop/indicators/pivots.hpp"

#include "batch.hpp"

namespace tradeloop::ind {

PivotValue PivotPoints::compute(double h, double l, double c) const noexcept {
  const double range = h - l;
  PivotValue v;
  switch (method_) {
    case PivotMethod::kClassic:
    case PivotMethod::kWoodie:
      v.pp = method_ == PivotMethod::kClassic ? (h + l + c) / 3.0 : (h + l + 2 * c) / 4.0;
      v.r1 = 2 * v.pp - l;
      v.s1 = 2 * v.pp - h;
      v.r2 = v.pp + range;
      v.s2 = v.pp - range;
      v.r3 = h + 2 * (v.pp - l);
      v.s3 = l - 2 * (h - v.pp);
      break;
    case PivotMethod::kFibonacci:
      v.pp = (h + l + c) / 3.0;
      v.r1 = v.pp + 0.382 * range;
      v.r2 = v.pp + 0.618 * range;
      v.r3 = v.pp + range;
      v.s1 = v.pp - 0.382 * range;
      v.s2 = v.pp - 0.618 * range;
      v.s3 = v.pp - range;
      break;
    case PivotMethod::kCamarilla:
      v.pp = (h + l + c) / 3.0;
      v.r1 = c + range * 1.1 / 12.0;
      v.r2 = c + range * 1.1 / 6.0;
      v.r3 = c + range * 1.1 / 4.0;
      v.s1 = c - range * 1.1 / 12.0;
      v.s2 = c - range * 1.1 / 6.0;
      v.s3 = c - range * 1.1 / 4.0;
      break;
  }
  return v;
}

Status pivot_points(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                    PivotMethod method, std::span<double> pp, std::span<double> r1, std::span<double> r2,
                    std::span<double> r3, std::span<double> s1, std::span<double> s2, std::span<double> s3) {
  return detail::run_batch("pivots", {high, low, close}, {pp, r1, r2, r3, s1, s2, s3},
                           [&] { return PivotPoints(method); },
                           [&](PivotPoints& p, std::size_t i) {
                             const PivotValue v = p.update(high[i], low[i], close[i]);
                             pp[i] = v.pp;
                             r1[i] = v.r1;
                             r2[i] = v.r2;
                             r3[i] = v.r3;
                             s1[i] = v.s1;
                             s2[i] = v.s2;
                             s3[i] = v.s3;
                           });
}

}  // namespace tradeloop::ind
