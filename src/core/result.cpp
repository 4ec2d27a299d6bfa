#include "tradeloop/core/result.hpp"

namespace tradeloop {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kParse: return "parse error";
    case ErrorCode::kIo: return "I/O error";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kNetwork: return "network error";
    case ErrorCode::kVenue: return "venue error";
    case ErrorCode::kInternal: return "internal error";
  }
  return "error";
}

Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

void assert_fail(const char* expr, const char* file, int line, const char* msg) noexcept {
  std::fprintf(stderr, "tradeloop: invariant violated at %s:%d: %s (%s)\n", file, line, msg, expr);
  std::fflush(stderr);
  std::abort();
}

}  // namespace tradeloop
