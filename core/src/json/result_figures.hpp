// Internal: the pieces of the result JSON that other JSON outputs (sweeps, plans) repeat, so the
// rule "unknown is null, and a deployment that does not fit has no performance or cost" is
// written once.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pertoken/diagnostics.hpp"
#include "pertoken/scenario/scenario.hpp"
#include "pertoken/serving/result.hpp"

namespace pertoken::detail {

using OrderedJson = nlohmann::ordered_json;

// Whole numbers print without a fraction; anything not finite becomes null (never NaN on screen).
OrderedJson number_json(double value);

// The headline figures of one estimate: max_concurrency, concurrency, running_concurrency,
// ttft_seconds, tpot_seconds, e2e_latency_seconds, output_tokens_per_second(_per_gpu),
// input_tokens_per_second, tokens_per_second_per_user, requests_per_second, decode_bound,
// devices_in_deployment, usd_per_hour, usd_per_million_(input_|output_)tokens,
// joules_per_output_token. `devices` is every device paid for (a prefill pool's too).
void add_headline_json(OrderedJson& j, const std::optional<double>& usd_per_gpu_hour, int devices,
                       const Estimate& e);

// The scenario object of the result JSON: every field, as a scenario file takes it back.
OrderedJson scenario_json(const Scenario& s);

// The memory breakdown object of the result JSON.
OrderedJson memory_json(const MemoryBreakdown& m);

// Compact text; invalid UTF-8 (ids from user files) is replaced rather than thrown on.
std::string dump_json(const OrderedJson& j);

// {"errors": [{"code", "path", "message"}...]}
std::string errors_json_text(const Diagnostics& diagnostics);

// One CSV cell: empty for null, quoted when needed.
std::string csv_cell(const OrderedJson& value);

}  // namespace pertoken::detail
