// Diagnostics: stable error ids and their one-line rendering.
#include "pertoken/diagnostics.hpp"

namespace pertoken {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::json_syntax: return "json_syntax";
    case ErrorCode::wrong_type: return "wrong_type";
    case ErrorCode::missing_field: return "missing_field";
    case ErrorCode::unknown_field: return "unknown_field";
    case ErrorCode::out_of_range: return "out_of_range";
    case ErrorCode::invalid_value: return "invalid_value";
    case ErrorCode::unknown_id: return "unknown_id";
    case ErrorCode::duplicate_id: return "duplicate_id";
    case ErrorCode::inconsistent: return "inconsistent";
    case ErrorCode::missing_source: return "missing_source";
    case ErrorCode::unknown_figure: return "unknown_figure";
  }
  return "unknown_error";
}

std::string Diagnostic::to_string() const {
  return (json_path.empty() ? std::string("/") : json_path) + ": " + message;
}

std::string json_pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace pertoken
