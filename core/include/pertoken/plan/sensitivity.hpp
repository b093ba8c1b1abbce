// Sensitivity: how far $ per million tokens moves when each input moves (a tornado), and the
// inverse questions: what price, utilization or daily volume reaches a target $ per million.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/model/efficiency.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/scenario/scenario.hpp"

namespace pertoken {

struct SensitivityRequest {
  Scenario scenario;
  // Share of the hours the deployment is busy at the scenario's load: the bill runs around the
  // clock, so $ per million tokens is the full-load figure over this.
  double utilization = 1;
  // Each input moves by this share of its value down and up (fractions that start at zero, the
  // prefix-cache hit rate, move by this many points instead).
  double relative_step = 0.2;
  std::optional<double> target_usd_per_million_tokens;
};

// One bar of the tornado: the input at its low and high value, and $ per million tokens at each
// (nullopt where the scenario no longer fits or no longer parses, with the reason in `note`).
struct SensitivityBar {
  std::string input;  // a scenario key, "utilization", or an efficiency factor's key
  std::string meaning;
  bool is_guess = false;  // the input is a modelling assumption, not a figure the user gives
  double base_value = 0;
  double low_value = 0;
  double high_value = 0;
  std::optional<double> usd_per_million_tokens_at_low;
  std::optional<double> usd_per_million_tokens_at_high;
  double swing_usd_per_million_tokens = 0;  // |at_high - at_low| (0 when one side is unknown)
  std::string note;
};

// An inverse question answered: the value of `input` that gives the target, other inputs fixed.
struct InverseAnswer {
  std::string input;            // usd_per_gpu_hour, utilization, tokens_per_day
  std::optional<double> value;  // nullopt: no value of this input alone reaches the target
  std::string answer;           // one sentence with the numbers
};

struct Sensitivity {
  bool ok = false;  // false: no base cost (does not fit, or no price); see notes
  double base_usd_per_million_tokens = 0;  // at the request's utilization
  double utilization = 1;
  double relative_step = 0.2;
  double capacity_tokens_per_day = 0;  // input + output tokens a day at full load
  std::vector<SensitivityBar> bars;    // widest swing first
  std::optional<double> target_usd_per_million_tokens;
  std::vector<InverseAnswer> inverse;
  std::vector<std::string> notes;
};

Sensitivity run_sensitivity(const SensitivityRequest& request, const EfficiencyFactors& efficiency);

// The request's own keys beside the scenario's (utilization, relative_step,
// target_usd_per_million_tokens): the same columns as the scenario field table, so the CLI's
// flags and help come from here.
std::span<const ScenarioField> sensitivity_fields();
const ScenarioField* find_sensitivity_flag(std::string_view flag);

// A request document (scenario keys plus the fields above) -> a checked request; diagnostics
// name the JSON field ("/utilization: must be > 0").
Result<SensitivityRequest> parse_sensitivity_request(std::string_view json_text,
                                                     const Catalog& catalog);

// {"scenario", "utilization", "relative_step", "usd_per_million_tokens",
// "capacity_tokens_per_day", "tornado": [{"input", "meaning", "is_guess", "base", "low", "high",
// "usd_per_million_tokens_at_low", "usd_per_million_tokens_at_high",
// "swing_usd_per_million_tokens", "note"}], "target_usd_per_million_tokens",
// "inverse": [{"input", "value", "answer"}], "notes"}
std::string sensitivity_to_json(const SensitivityRequest& request, const Sensitivity& result);

// Request JSON in, sensitivity JSON out (or {"errors": [...]}).
std::string evaluate_sensitivity_json(std::string_view request_json, const Catalog& catalog);

}  // namespace pertoken
