// Efficiency factors: the few numbers that turn datasheet peaks into achieved speed.
// They live here and only here; a catalog "efficiency" overlay (pertoken calibrate) may override
// them.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace pertoken {

// The engine profiles of assets/engines.json: tensorrt-llm, vllm, sglang, and the early-2025
// releases of the last two (vllm-0.7, sglang-0.4), whose measured speed differs by 2-3x.
inline constexpr std::size_t engine_profile_count = 5;

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
  // Mixture-of-experts and engine mechanisms (issue 10):
  double prefill_layer_overhead_s;  // per layer of a step that carries prompt tokens: such steps
                                    // run eagerly (no CUDA graph) in Python-driven engines
  double moe_layer_overhead_s;      // per MoE layer per step: router, top-k, permute kernels
  double grouped_gemm_tile_rows;    // M tile each active expert's GEMM is padded to, rows
  double expert_load_skew;          // hot-expert load on the busiest EP rank beyond chance
  double a2a_message_latency_s;     // per peer message of an all-to-all (pairwise exchange)
  double a2a_fraction;              // of per-direction scale-up bandwidth reached by all-to-all
  double mla_attention_fraction;    // of peak 16-bit FLOP/s reached by MLA attention kernels
  double mla_layer_overhead_ratio;  // per-layer fixed costs of an MLA model's layer, relative to
                                    // another layer's (more kernels per layer)
  // Achieved network bytes/s per GPU between scale-up domains, per direction, for collectives
  // whose GPUs span domains; 0: they are modelled at scale-up speed (optimistic).
  double scale_out_bytes_per_s_per_gpu;
  // Per engine profile (Scenario::engine order, engine_profile_count of them), a multiplier on
  // each factor engine_scaled_fields() names; 1 = the shared fit. Loaded from
  // assets/engines.json for the shipped defaults.
  std::array<std::array<double, 4>, engine_profile_count> engine_scale{
      {{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}};
};

// The shipped defaults (see efficiency.cpp for their derivation).
const EfficiencyFactors& default_efficiency();
// The physically motivated starting values the defaults were fitted from (and pulled toward).
const EfficiencyFactors& physical_priors();

inline constexpr std::size_t num_efficiency_fields = 22;

// Same fields, each optional: a partial override from a catalog file, in efficiency_fields() order.
struct EfficiencyOverlay {
  std::array<std::optional<double>, num_efficiency_fields> values{};
  // Per engine profile (Scenario::engine order), multipliers on engine_scaled_fields().
  std::array<std::array<std::optional<double>, 4>, engine_profile_count> engine_scale{};
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

// The factors an engine profile scales, in EfficiencyFactors::engine_scale's inner order.
inline constexpr std::size_t num_engine_scaled_fields = 4;
const std::array<double EfficiencyFactors::*, num_engine_scaled_fields>& engine_scaled_fields();

// The factors one engine runs at: each scaled field times the engine's multiplier, clamped to
// the field's range. `engine` indexes Scenario::engine (0 tensorrt-llm, 1 vllm, 2 sglang).
EfficiencyFactors for_engine(const EfficiencyFactors& factors, int engine);

}  // namespace pertoken
