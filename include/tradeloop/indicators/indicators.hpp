// Umbrella header: every indicator family of tradeloop::ind (batch functions over spans and
// streaming classes with O(1) update). Conventions: common.hpp and docs/indicators.md.
#pragma once

#include "tradeloop/indicators/common.hpp"
#include "tradeloop/indicators/momentum.hpp"
#include "tradeloop/indicators/moving_average.hpp"
#include "tradeloop/indicators/statistics.hpp"
#include "tradeloop/indicators/trend.hpp"
#include "tradeloop/indicators/volatility.hpp"
#include "tradeloop/indicators/volume.hpp"
#include "tradeloop/indicators/pivots.hpp"
#include "tradeloop/indicators/candlestick.hpp"
#include "tradeloop/indicators/technical.hpp"
