// Error values and the one exception family of tradeloop.
//
// Contract (DESIGN.md §3 "Errors"): expected failures -- a bad file, a bad parameter, a venue
// reject -- are values (`Result<T>`, `Status`) or a thrown `tradeloop::Exception`, caught at one
// boundary (CLI command, API request, job) and shown to the user as one message that names the
// input and what is wrong. Broken invariants (a NaN price inside a fill, a negative quantity) are
// programming errors: `TL_ASSERT` aborts with file and line. User input never reaches an assert.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace tradeloop {

enum class ErrorCode {
  kInvalidArgument,  // a parameter or option out of range, unknown name, wrong arity
  kParse,            // text that does not parse: a CSV cell, a timestamp, a TOML value
  kIo,               // file or database I/O
  kNotFound,         // a file, series, strategy or job that does not exist
  kUnsupported,      // a feature or format not supported
  kCancelled,        // cancelled through a progress callback or a job manager
  kNetwork,          // transport failure (later layers)
  kVenue,            // a venue rejected a request (later layers)
  kInternal,         // anything else
};

const char* to_string(ErrorCode code) noexcept;

// An expected failure: what went wrong, naming the input (file:line: column: what).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  bool operator==(const Error&) const = default;
};

// The exception form of `Error`, thrown where a return value would be awkward (constructors,
// deep call chains) and caught at the user-facing boundary.
class Exception : public std::runtime_error {
 public:
  explicit Exception(Error error) : std::runtime_error(error.message), error_(std::move(error)) {}
  Exception(ErrorCode code, std::string message) : Exception(Error{code, std::move(message)}) {}
  const Error& error() const noexcept { return error_; }
  ErrorCode code() const noexcept { return error_.code; }

 private:
  Error error_;
};

// Shorthand constructors: `return invalid_argument("period must be >= 1, got 0");`
Error make_error(ErrorCode code, std::string message);
inline Error invalid_argument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error parse_error(std::string m) { return {ErrorCode::kParse, std::move(m)}; }
inline Error io_error(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
inline Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }

// Either a value or an Error. `value()` on an error throws `Exception` (never UB).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  template <class U>
  T value_or(U&& fallback) const& { return ok() ? std::get<0>(v_) : T(std::forward<U>(fallback)); }

  // Precondition: !ok().
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  void check() const {
    if (!ok()) throw Exception(std::get<1>(v_));
  }
  std::variant<T, Error> v_;
};

// Success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return {}; }

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return error_; }
  // Throws Exception when not ok.
  void check() const {
    if (!ok_) throw Exception(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

[[noreturn]] void assert_fail(const char* expr, const char* file, int line, const char* msg) noexcept;

}  // namespace tradeloop

// Invariant check, active in every build type: aborts with file and line.
#define TL_ASSERT(cond, msg)                                                     \
  do {                                                                           \
    if (!(cond)) [[unlikely]]                                                    \
      ::tradeloop::assert_fail(#cond, __FILE__, __LINE__, (msg));                \
  } while (0)

// Propagates an error from an expression returning Status or Result<T>.
#define TL_RETURN_IF_ERROR(expr)                                                 \
  do {                                                                           \
    auto&& tl_status_ = (expr);                                                  \
    if (!tl_status_.ok()) return tl_status_.error();                             \
  } while (0)
