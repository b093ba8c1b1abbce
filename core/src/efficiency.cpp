// Efficiency factors: the shipped defaults, why they have these values, and their valid ranges.
#include "pertoken/efficiency.hpp"

namespace pertoken {

const EfficiencyFactors& default_efficiency() {
  static const EfficiencyFactors factors{
      .memory_bandwidth_fraction = 0.85,
      .compute_fraction = 0.6,
      .roofline_sharpness = 3.0,
      .step_overhead_s = 100e-6,
      .layer_overhead_s = 5e-6,
      .interconnect_fraction = 0.7,
      .collective_latency_s = 10e-6,
      .runtime_reserved_bytes = 2.0 * 1024 * 1024 * 1024,
      .kv_cache_memory_fraction = 0.9,
  };
  return factors;
}

const std::array<EfficiencyField, num_efficiency_fields>& efficiency_fields() {
  static const std::array<EfficiencyField, num_efficiency_fields> fields{{
      {"memory_bandwidth_fraction", &EfficiencyFactors::memory_bandwidth_fraction, 0.0, 1.0, true,
       "fraction of peak DRAM bandwidth reached when streaming weights and KV cache"},
      {"compute_fraction", &EfficiencyFactors::compute_fraction, 0.0, 1.0, true,
       "fraction of peak dense tensor throughput reached by large matrix multiplies"},
      {"roofline_sharpness", &EfficiencyFactors::roofline_sharpness, 1.0, 64.0, false,
       "p of the p-norm joining memory and compute time (large p = hard max)"},
      {"step_overhead_s", &EfficiencyFactors::step_overhead_s, 0.0, 1.0, false,
       "fixed seconds per engine step: launches, sampling, scheduling"},
      {"layer_overhead_s", &EfficiencyFactors::layer_overhead_s, 0.0, 0.01, false,
       "extra seconds per layer per engine step"},
      {"interconnect_fraction", &EfficiencyFactors::interconnect_fraction, 0.0, 1.0, true,
       "fraction of per-direction scale-up bandwidth reached by collectives"},
      {"collective_latency_s", &EfficiencyFactors::collective_latency_s, 0.0, 0.01, false,
       "fixed seconds per all-reduce or pipeline send"},
      {"runtime_reserved_bytes", &EfficiencyFactors::runtime_reserved_bytes, 0.0, 1e12, false,
       "bytes per GPU held by the runtime: CUDA context, graphs, communication buffers"},
      {"kv_cache_memory_fraction", &EfficiencyFactors::kv_cache_memory_fraction, 0.0, 1.0, true,
       "fraction of the memory left after weights, activations and runtime given to the KV cache"},
  }};
  return fields;
}

EfficiencyFactors apply_overlay(EfficiencyFactors base, const EfficiencyOverlay& overlay) {
  const auto& fields = efficiency_fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (overlay.values[i]) base.*(fields[i].member) = *overlay.values[i];
  }
  return base;
}

}  // namespace pertoken
