// Numbers for people: the SI figures of the core's JSON in the units the app shows (ms, GiB,
// $/M tokens), as the web page's format.ts shows them. Display only: no figure is derived here.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pertoken::app {

// "1,234", "12.3", "0.0123" (three significant digits below 100); "-" for NaN.
std::string format_number(double v);
// "850 µs", "73.6 ms", "22.1 s".
std::string format_seconds(double seconds);
// "15.0 GiB", "320 MiB".
std::string format_bytes(double bytes);
// "$0.094", "$6.88", "$1,095".
std::string format_usd(double usd);
// "47%".
std::string format_percent(double fraction);
// "3.35 TB/s".
std::string format_bandwidth(double bytes_per_second);
// A whole number with thousands separators.
std::string format_integer(double v);

// The JSON value as a double (NaN when it is not a number: null, missing).
double number_of(const nlohmann::json& j);
double number_at(const nlohmann::json& object, const char* key);
std::string string_at(const nlohmann::json& object, const char* key);

}  // namespace pertoken::app
