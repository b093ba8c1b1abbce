// Diagnostics: how the core reports bad user data (never by throwing across its API).
// Pure C++: no I/O, no platform headers.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pertoken {

// Stable error ids; front ends and tests match on these, so never renumber or rename one.
enum class ErrorCode {
  json_syntax,     // the text is not JSON
  wrong_type,      // a value has the wrong JSON type
  missing_field,   // a required key is absent
  unknown_field,   // a key the format does not define (typos are caught here)
  out_of_range,    // a number outside its allowed range (<= 0 sizes, absurd token counts...)
  invalid_value,   // a string not among the allowed values (precision, enum)
  unknown_id,      // a model or GPU id not in the catalog
  duplicate_id,    // the same id twice in one catalog document
  inconsistent,    // fields that contradict each other (tp not dividing num_gpus...)
  missing_source,  // a shipped catalog figure without a public source or date
  unknown_figure,  // a figure the estimate needs is null (unknown) in the catalog
};

std::string_view to_string(ErrorCode code);

struct Diagnostic {
  ErrorCode code;
  std::string json_path;  // RFC 6901 pointer to the offending value, "" for the document
  std::string message;    // says what must hold, e.g. "must be > 0"

  // "/gpus/3/memory_gib: must be > 0"
  std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

// Either a value or the diagnostics explaining why there is none.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Diagnostics diagnostics) : state_(std::move(diagnostics)) {}

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Diagnostics& diagnostics() const { return std::get<1>(state_); }

 private:
  std::variant<T, Diagnostics> state_;
};

// Escapes one JSON-pointer reference token ("~" -> "~0", "/" -> "~1").
std::string json_pointer_token(std::string_view key);

}  // namespace pertoken
