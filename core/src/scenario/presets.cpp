// The workload presets (presets.hpp): lookup, the latency-target check, and their JSON.
#include "pertoken/scenario/presets.hpp"

#include <nlohmann/json.hpp>

#include "scenario/preset_table.hpp"

namespace pertoken {

std::span<const WorkloadPreset> workload_presets() { return detail::preset_table; }

const WorkloadPreset* find_workload_preset(std::string_view id) {
  for (const WorkloadPreset& p : detail::preset_table) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

LatencyTargetCheck check_latency_target(const WorkloadPreset& preset, std::optional<double> ttft_s,
                                        std::optional<double> tpot_s) {
  LatencyTargetCheck check;
  if (ttft_s) check.ttft_met = *ttft_s <= preset.max_ttft_s;
  if (tpot_s) check.tpot_met = *tpot_s <= preset.max_tpot_s;
  return check;
}

std::string workload_presets_json() {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const WorkloadPreset& p : detail::preset_table) {
    list.push_back({{"id", p.id},
                    {"name", p.name},
                    {"input_tokens", p.input_tokens},
                    {"output_tokens", p.output_tokens},
                    {"max_ttft_seconds", p.max_ttft_s},
                    {"max_tpot_seconds", p.max_tpot_s},
                    {"reason", p.reason},
                    {"scenario",
                     {{"preset", p.id},
                      {"input_tokens", p.input_tokens},
                      {"output_tokens", p.output_tokens}}}});
  }
  return list.dump();
}

}  // namespace pertoken
