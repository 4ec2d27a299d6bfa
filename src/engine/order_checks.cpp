#include "tradeloop/engine/order_checks.hpp"

#include <cmath>

#include "tradeloop/core/params.hpp"

namespace tradeloop {

std::string check_order_size(const Portfolio& portfolio, SymbolId symbol, Side side, double& quantity,
                             double ref_price, bool reduce_only, bool allow_short) {
  const Instrument& ins = portfolio.instrument(symbol);
  quantity = ins.round_quantity(quantity);
  if (quantity <= 0) return "quantity rounds to 0 at lot size " + format_number(ins.lot_size);
  if (ins.min_quantity > 0 && quantity < ins.min_quantity)
    return "quantity " + format_number(quantity) + " is below min_quantity " + format_number(ins.min_quantity);
  if (ins.min_notional > 0 && ref_price > 0 && ref_price * quantity * ins.multiplier < ins.min_notional)
    return "notional " + format_number(ref_price * quantity * ins.multiplier) + " is below min_notional " +
           format_number(ins.min_notional);
  if (reduce_only) return {};
  const Position& pos = portfolio.position(symbol);
  const double after = pos.quantity + (side == Side::kBuy ? quantity : -quantity);
  if (!allow_short && after < -kQuantityEpsilon * quantity) return "short selling is not allowed (allow_short = false)";
  if (std::fabs(after) > std::fabs(pos.quantity) && ref_price > 0) {
    const double mult = ins.multiplier;
    const double exposure =
        portfolio.gross_exposure() - std::fabs(pos.quantity) * pos.mark * mult + std::fabs(after) * ref_price * mult;
    const double equity = portfolio.equity();
    if (exposure / portfolio.max_leverage() > equity * (1 + 1e-9))
      return "insufficient margin: exposure " + format_number(exposure) + " would exceed " +
             format_number(portfolio.max_leverage()) + " x equity " + format_number(equity);
  }
  return {};
}

double sized_entry_quantity(const StrategyConfig& config, const Portfolio& portfolio, SymbolId symbol,
                            double price, double stop_distance) noexcept {
  if (!(price > 0) || !std::isfinite(price)) return 0;
  const Instrument& ins = portfolio.instrument(symbol);
  const double eq = portfolio.equity();
  if (!(eq > 0)) return 0;
  // Room for the fill's fee and slippage so a sized entry passes the margin check.
  const double unit_cost = price * ins.multiplier * (1 + config.commission_pct + config.slippage_pct);
  const double max_qty = eq * portfolio.max_leverage() / unit_cost;
  double q = 0;
  switch (config.sizing) {
    case Sizing::kFraction: q = config.fraction * eq / unit_cost; break;
    case Sizing::kAllIn: q = eq / unit_cost; break;
    case Sizing::kUnits: q = config.units; break;
    case Sizing::kNotional: q = config.notional / (price * ins.multiplier); break;
    case Sizing::kRisk: {
      const double dist = stop_distance > 0 ? stop_distance : price * config.stop_loss_pct;
      q = dist > 0 ? config.risk_per_trade * eq / (dist * ins.multiplier) : 0;
      break;
    }
  }
  q = std::fmin(q, max_qty);
  return ins.round_quantity(q);
}

}  // namespace tradeloop
