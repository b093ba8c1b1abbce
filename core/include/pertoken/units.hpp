// Unit conversions between catalog/display units and the SI units used inside the core.
#pragma once

namespace pertoken::units {

inline constexpr double bytes_per_gib = 1024.0 * 1024.0 * 1024.0;
inline constexpr double bytes_per_gb = 1e9;
inline constexpr double bytes_per_tb = 1e12;
inline constexpr double flop_per_tflop = 1e12;
inline constexpr double seconds_per_hour = 3600.0;
inline constexpr double seconds_per_day = 86400.0;
inline constexpr double tokens_per_million = 1e6;

}  // namespace pertoken::units
