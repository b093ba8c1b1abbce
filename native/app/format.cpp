// Reading the core's JSON for display (see format.hpp).
#include "format.hpp"

#include <limits>

namespace pertoken::app {

double number_of(const nlohmann::json& j) {
  return j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

double number_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::numeric_limits<double>::quiet_NaN();
  const auto it = object.find(key);
  return it == object.end() ? std::numeric_limits<double>::quiet_NaN() : number_of(*it);
}

std::string string_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace pertoken::app
