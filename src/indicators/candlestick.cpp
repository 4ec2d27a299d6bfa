// Candlestick pattern rules (Nison 1991), thresholds in docs/indicators.md.
#include "tradeloop/indicators/candlestick.hpp"

#include <algorithm>
#include <cmath>

#include "batch.hpp"

namespace tradeloop::ind {

const char* to_string(CandlePattern p) noexcept {
  switch (p) {
    case CandlePattern::kDoji: return "doji";
    case CandlePattern::kHammer: return "hammer";
    case CandlePattern::kInvertedHammer: return "inverted_hammer";
    case CandlePattern::kHangingMan: return "hanging_man";
    case CandlePattern::kShootingStar: return "shooting_star";
    case CandlePattern::kEngulfing: return "engulfing";
    case CandlePattern::kHarami: return "harami";
    case CandlePattern::kPiercing: return "piercing";
    case CandlePattern::kDarkCloudCover: return "dark_cloud_cover";
    case CandlePattern::kMorningStar: return "morning_star";
    case CandlePattern::kEveningStar: return "evening_star";
    case CandlePattern::kThreeWhiteSoldiers: return "three_white_soldiers";
    case CandlePattern::kThreeBlackCrows: return "three_black_crows";
    case CandlePattern::kMarubozu: return "marubozu";
  }
  return "?";
}

double CandleDetector::update(double open, double high, double low, double close) noexcept {
  bars_[static_cast<std::size_t>(pos_)] = Candle{open, high, low, close, std::fabs(close - open), high - low};
  if (++pos_ == kSize) pos_ = 0;
  ++count_;
  return count_ > kAvgPeriod ? detect() : kNaN;
}

namespace detail_candle {
struct Shape {
  double body, range, upper, lower, top, bottom;
  bool white, black;
};
template <class C>
Shape shape(const C& b) {
  const double top = std::max(b.o, b.c), bottom = std::min(b.o, b.c);
  return {top - bottom, b.h - b.l, b.h - top, bottom - b.l, top, bottom, b.c > b.o, b.c < b.o};
}
}  // namespace detail_candle

double CandleDetector::detect() const noexcept {
  // Averages over the 10 bars before the current one.
  double avg_body = 0, avg_range = 0;
  for (int k = 1; k <= kAvgPeriod; ++k) {
    avg_body += at(k).body;
    avg_range += at(k).range;
  }
  avg_body /= kAvgPeriod;
  avg_range /= kAvgPeriod;
  const Candle& c0 = at(0);
  const Candle& c1 = at(1);
  const Candle& c2 = at(2);
  using detail_candle::Shape;
  const Shape s0 = detail_candle::shape(c0), s1 = detail_candle::shape(c1), s2 = detail_candle::shape(c2);
  // Trend context for one-bar reversal shapes: the previous close against the close 5 bars earlier.
  const bool down_before = at(1).c < at(6).c;
  const bool up_before = at(1).c > at(6).c;
  const auto is_long = [&](const Shape& s) { return s.body > avg_body; };
  const auto is_small = [&](const Shape& s) { return s.body < 0.5 * avg_body; };
  // Hammer-like: small body at the top, lower shadow >= 2 bodies, almost no upper shadow.
  const bool hammer_shape = s0.range > 0 && s0.body <= avg_body && s0.lower >= 2 * s0.body &&
                            s0.upper <= 0.1 * s0.range && s0.lower > 0;
  const bool inverted_shape = s0.range > 0 && s0.body <= avg_body && s0.upper >= 2 * s0.body &&
                              s0.lower <= 0.1 * s0.range && s0.upper > 0;
  switch (pattern_) {
    case CandlePattern::kDoji:
      return s0.body <= 0.1 * avg_range ? 100.0 : 0.0;
    case CandlePattern::kHammer:
      return hammer_shape && down_before ? 100.0 : 0.0;
    case CandlePattern::kHangingMan:
      return hammer_shape && up_before ? -100.0 : 0.0;
    case CandlePattern::kInvertedHammer:
      return inverted_shape && down_before ? 100.0 : 0.0;
    case CandlePattern::kShootingStar:
      return inverted_shape && up_before ? -100.0 : 0.0;
    case CandlePattern::kEngulfing:
      // The current body covers the previous, opposite-coloured body (one side may be equal).
      if (s1.black && s0.white && c0.o <= c1.c && c0.c >= c1.o && (c0.o < c1.c || c0.c > c1.o)) return 100.0;
      if (s1.white && s0.black && c0.o >= c1.c && c0.c <= c1.o && (c0.o > c1.c || c0.c < c1.o)) return -100.0;
      return 0.0;
    case CandlePattern::kHarami:
      // A long body followed by a small body inside it.
      if (!is_long(s1) || !is_small(s0) || s0.top >= s1.top || s0.bottom <= s1.bottom) return 0.0;
      return s1.black ? 100.0 : (s1.white ? -100.0 : 0.0);
    case CandlePattern::kPiercing:
      // Long black, then a white opening below its low and closing above its body midpoint.
      return is_long(s1) && s1.black && s0.white && c0.o < c1.l && c0.c > c1.c + 0.5 * s1.body && c0.c < c1.o
                 ? 100.0 : 0.0;
    case CandlePattern::kDarkCloudCover:
      return is_long(s1) && s1.white && s0.black && c0.o > c1.h && c0.c < c1.c - 0.5 * s1.body && c0.c > c1.o
                 ? -100.0 : 0.0;
    case CandlePattern::kMorningStar:
      // Long black, a small body gapping below it, a white closing 30 % into the first body.
      return is_long(s2) && s2.black && is_small(s1) && s1.top < c2.c && s0.white &&
                     c0.c > c2.c + 0.3 * s2.body
                 ? 100.0 : 0.0;
    case CandlePattern::kEveningStar:
      return is_long(s2) && s2.white && is_small(s1) && s1.bottom > c2.c && s0.black &&
                     c0.c < c2.c - 0.3 * s2.body
                 ? -100.0 : 0.0;
    case CandlePattern::kThreeWhiteSoldiers: {
      // Three white bodies closing higher, each opening inside the previous body, short upper shadows.
      const bool ok = s2.white && s1.white && s0.white && c1.c > c2.c && c0.c > c1.c && c1.o > c2.o &&
                      c1.o <= c2.c && c0.o > c1.o && c0.o <= c1.c && s0.upper <= 0.25 * s0.range &&
                      s1.upper <= 0.25 * s1.range && s2.upper <= 0.25 * s2.range && s0.body > 0.5 * avg_body;
      return ok ? 100.0 : 0.0;
    }
    case CandlePattern::kThreeBlackCrows: {
      const bool ok = s2.black && s1.black && s0.black && c1.c < c2.c && c0.c < c1.c && c1.o < c2.o &&
                      c1.o >= c2.c && c0.o < c1.o && c0.o >= c1.c && s0.lower <= 0.25 * s0.range &&
                      s1.lower <= 0.25 * s1.range && s2.lower <= 0.25 * s2.range && s0.body > 0.5 * avg_body;
      return ok ? -100.0 : 0.0;
    }
    case CandlePattern::kMarubozu:
      // A long body with shadows of at most 5 % of the range on each side.
      if (!is_long(s0) || s0.upper > 0.05 * s0.range || s0.lower > 0.05 * s0.range) return 0.0;
      return s0.white ? 100.0 : -100.0;
  }
  return 0.0;
}

Status candle_pattern(std::span<const double> open, std::span<const double> high, std::span<const double> low,
                      std::span<const double> close, CandlePattern pattern, std::span<double> out) {
  return detail::run_batch("candle", {open, high, low, close}, {out}, [&] { return CandleDetector(pattern); },
                           [&](CandleDetector& d, std::size_t i) { out[i] = d.update(open[i], high[i], low[i], close[i]); });
}

}  // namespace tradeloop::ind
