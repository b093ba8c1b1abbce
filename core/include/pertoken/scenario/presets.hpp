// Named workloads people recognise (chat, RAG, code completion, batch summarisation, reasoning):
// each sets a scenario's prompt and output lengths and carries a latency target and the reason
// for its numbers. The one table lives in core/src/scenario/preset_table.hpp; the scenario field
// "preset" (fields.hpp) names one, and every front end lists them from workload_presets_json().
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pertoken {

struct WorkloadPreset {
  std::string_view id;      // the scenario's "preset" value: "chat"
  std::string_view name;    // for people: "Chat"
  int input_tokens = 0;     // prompt tokens per request, > 0
  int output_tokens = 0;    // generated tokens per request, > 0
  double max_ttft_s = 0;    // latency target: time to first token, seconds, > 0
  double max_tpot_s = 0;    // latency target: time per output token, seconds, > 0
  std::string_view reason;  // one line: why these numbers
};

// Every preset, in the order front ends list them.
std::span<const WorkloadPreset> workload_presets();

// The preset with this id, or nullptr ("none" and unknown ids).
const WorkloadPreset* find_workload_preset(std::string_view id);

// Whether an estimate meets a preset's latency target: per figure, nullopt when the figure is not
// known (the deployment does not run).
struct LatencyTargetCheck {
  std::optional<bool> ttft_met;  // ttft_s <= max_ttft_s
  std::optional<bool> tpot_met;  // tpot_s <= max_tpot_s
};
LatencyTargetCheck check_latency_target(const WorkloadPreset& preset, std::optional<double> ttft_s,
                                        std::optional<double> tpot_s);

// [{"id", "name", "input_tokens", "output_tokens", "max_ttft_seconds", "max_tpot_seconds",
//   "reason", "scenario": {the keys the preset sets, with their values}}] (SI units).
std::string workload_presets_json();

}  // namespace pertoken
