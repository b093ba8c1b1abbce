// Reading the core's JSON for display: its numbers and strings, missing ones as NaN and "".
// The formatting itself is the core's (pertoken/text/figure_text.hpp).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "pertoken/text/figure_text.hpp"  // format_number, format_usd ...: found from pertoken::app

namespace pertoken::app {

// The JSON value as a double (NaN when it is not a number: null, missing).
double number_of(const nlohmann::json& j);
double number_at(const nlohmann::json& object, const char* key);
std::string string_at(const nlohmann::json& object, const char* key);

}  // namespace pertoken::app
