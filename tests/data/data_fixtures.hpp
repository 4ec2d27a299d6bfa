// Helpers shared by the data tests (unity builds: one definition for every file).
#pragma once

#include "tradeloop/core/time.hpp"

namespace tradeloop::testing {

// Parses an ISO timestamp in a test (throws on a typo in the test itself).
inline Timestamp at(const char* iso) { return parse_timestamp(iso).value(); }

}  // namespace tradeloop::testing
