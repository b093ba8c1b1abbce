// Efficiency factors: the few numbers that turn datasheet peaks into achieved speed.
// They live here and only here; a catalog "efficiency" overlay (pertoken calibrate) may override
// them.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace pertoken {

// Defaults and how they were chosen are documented in efficiency.cpp next to their values.
struct EfficiencyFactors {
  double memory_bandwidth_fraction;  // of peak DRAM bandwidth reached streaming weights/KV, (0,1]
  double compute_fraction;           // of peak dense tensor FLOP/s reached by large GEMMs, (0,1]
  double roofline_sharpness;         // p of the p-norm that joins memory and compute time, >= 1
  double step_overhead_s;            // fixed cost of one engine step (launch, sampling, scheduling)
  double layer_overhead_s;           // extra per layer per step (kernel boundaries, norms)
  double expert_compute_fraction;    // of peak reached by routed-expert (grouped) GEMMs, (0,1]
  double non_tensor_work_share;      // per GEMM FLOP, work at 16-bit speed that low precision
                                     // does not speed up (epilogues, activation quantization)
  double dequant_work_share;         // extra such work per FLOP for weight-only formats (W4A16)
  double request_overhead_s;      // per request before its first token (API, tokenizer, admission)
  double interconnect_fraction;   // of per-direction scale-up bandwidth reached by all-reduce
  double collective_latency_s;    // fixed latency of one all-reduce / send on the scale-up link
  double runtime_reserved_bytes;  // per GPU: CUDA context, graphs, communication buffers
  double kv_cache_memory_fraction;  // of memory left after weights/activations/runtime, (0,1]
};

// The shipped defaults (see efficiency.cpp for their derivation).
const EfficiencyFactors& default_efficiency();
// The physically motivated starting values the defaults were fitted from (and pulled toward).
const EfficiencyFactors& physical_priors();

inline constexpr std::size_t num_efficiency_fields = 13;

// Same fields, each optional: a partial override from a catalog file, in efficiency_fields() order.
struct EfficiencyOverlay {
  std::array<std::optional<double>, num_efficiency_fields> values{};
};

struct EfficiencyField {
  std::string_view name;  // JSON key
  double EfficiencyFactors::*member;
  double min;          // inclusive
  double max;          // inclusive
  bool min_exclusive;  // true: value must be > min
  std::string_view meaning;
};

// Every factor with its JSON key and valid range, in a fixed order (EfficiencyOverlay::values).
const std::array<EfficiencyField, num_efficiency_fields>& efficiency_fields();

EfficiencyFactors apply_overlay(EfficiencyFactors base, const EfficiencyOverlay& overlay);

}  // namespace pertoken
