// Strategy registry: name, description, parameter schema and factory of each strategy the CLI,
// the optimiser and the API can run by name. The built-ins (docs/strategies.md) are in
// builtin_strategies(); users may build their own registry and add to it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tradeloop/core/params.hpp"
#include "tradeloop/core/result.hpp"
#include "tradeloop/engine/strategy.hpp"

namespace tradeloop {

struct StrategyInfo {
  std::string name;
  std::string description;
  std::vector<ParamSpec> params;
  // Receives a ParamSet already resolved against `params` (defaults filled, ranges checked).
  std::function<std::unique_ptr<RealtimeStrategy>(const ParamSet&)> factory;
};

class StrategyRegistry {
 public:
  void add(StrategyInfo info);
  const StrategyInfo* find(std::string_view name) const noexcept;
  const std::vector<StrategyInfo>& all() const noexcept { return items_; }
  // Resolves params against the schema, then builds; unknown names list the known ones.
  Result<std::unique_ptr<RealtimeStrategy>> create(std::string_view name, const ParamSet& params) const;

 private:
  std::vector<StrategyInfo> items_;
};

// ma_crossover, sma_cross, rsi_reversion, bollinger_reversion, macd_cross, donchian_breakout,
// supertrend, trend_following_ema, mean_reversion_lr. Thread-safe (built once, immutable).
const StrategyRegistry& builtin_strategies();

}  // namespace tradeloop
