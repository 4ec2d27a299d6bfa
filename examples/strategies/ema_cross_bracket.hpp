// An event-driven strategy written as a user would (user guide §8.2, in C++): an EMA crossover
// that enters with a bracket (stop-loss 2 % below, take-profit 4 % above the decision close)
// and closes everything on the opposite crossover.
//
// Build it against an installed tradeloop (see CMakeLists.txt next to this file) or include it
// in your own program; tests/backtest/example_strategy_test.cpp runs it on the bundled data.
#pragma once

#include <tradeloop/engine/strategy.hpp>
#include <tradeloop/indicators/indicators.hpp>

namespace example {

class EmaCrossBracket final : public tradeloop::RealtimeStrategy {
 public:
  EmaCrossBracket(int fast, int slow, double quantity) : fast_(fast), slow_(slow), quantity_(quantity) {}

  void on_start() override { prev_diff_ = 0; }

  void on_candle(const tradeloop::Candle& candle) override {
    const double f = fast_.update(candle.close);  // streaming indicators: O(1) per bar
    const double s = slow_.update(candle.close);
    if (!slow_.ready() || !fast_.ready()) return;
    const double diff = f - s;
    if (diff > 0 && prev_diff_ <= 0 && position() == 0) {
      // Market entry (fills at the next open) with an OCO stop-loss / take-profit pair.
      buy(quantity_, /*price=*/0, /*stop_loss=*/candle.close * 0.98, /*take_profit=*/candle.close * 1.04);
    } else if (diff < 0 && prev_diff_ >= 0) {
      close_all_positions("signal");
    }
    prev_diff_ = diff;
  }

  void on_fill(const tradeloop::Fill& fill) override { ++fills_; (void)fill; }
  int fills() const noexcept { return fills_; }

 private:
  tradeloop::ind::Ema fast_, slow_;
  double quantity_;
  double prev_diff_ = 0;
  int fills_ = 0;
};

}  // namespace example
