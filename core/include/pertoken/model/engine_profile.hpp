// Engine profiles: what each serving engine (TensorRT-LLM, vLLM, SGLang) does differently, as
// shipped data (assets/engines.json, embedded): how it schedules prompts against decodes, and the
// multipliers on the shared efficiency factors fitted on that engine's published runs.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pertoken/model/efficiency.hpp"
#include "pertoken/validation/regime_runs.hpp"

namespace pertoken {

struct EngineProfile {
  std::string id;                      // "tensorrt-llm", "vllm", "sglang" (Scenario::engine order)
  std::string name;                    // display name
  std::string as_of;                   // date of the newest run the profile was fitted on
  std::vector<std::string> versions;   // engine versions of the runs fitted on
  std::vector<std::string> fitted_on;  // ids of the calibration rows that justify the profile
  // How many of those rows are dense models (the rest are MoE). The multipliers apply to every
  // layer, so a profile fitted on MoE runs alone carries their overheads into dense models.
  int dense_runs_fitted_on = 0;
  // How many of those rows ran on each GPU vendor (the catalog's `vendor`, e.g. "NVIDIA": 38).
  // Kernels differ by vendor (CUDA against ROCm builds of one engine), so a profile fitted on
  // another vendor's runs alone carries their overheads to this one.
  std::vector<std::pair<std::string, int>> runs_fitted_on_by_vendor;
  // true: prompt chunks ride in the same iteration as the running decodes (TensorRT-LLM
  // in-flight batching, vLLM V1); false: prompts run in iterations of their own that stall the
  // decodes (SGLang's default scheduler: mixed chunks need --enable-mixed-chunk).
  bool prefill_mixed_with_decode = true;
  std::string schedule_source;  // where the scheduling behaviour is documented (native only)
  std::array<double, num_engine_scaled_fields> scale{1, 1, 1, 1};  // engine_scaled_fields() order
  // Not fitted: the rate the engine's FP8 fused-MoE kernels were timed at on prompt-sized steps, as
  // a multiplier on the experts' modelled fraction of peak (vLLM's, from its pull requests'
  // kernel timings on the H100: MOE_SOURCES.md, candidate F), on the GPUs listed (the timed
  // chip's). 1, and no GPU, where the profile has none.
  double fp8_expert_compute_scale = 1;
  std::vector<std::string> fp8_expert_gpus;  // catalog ids
  std::string fp8_expert_note;               // what the estimate says where the rate applies
};

// The shipped profiles in Scenario::engine order, parsed once from the embedded JSON.
const std::vector<EngineProfile>& engine_profiles();
// The embedded assets/engines.json text.
std::string_view embedded_engines_json();
// Fewer dense runs than this under a profile, and its overheads on a dense model are a guess (the
// same count the uncertainty bands ask of a regime before using its own residuals).
inline constexpr int min_dense_runs_fitted_on = min_runs_per_regime;
// The note a dense model's estimate carries under a profile fitted on fewer dense runs than
// min_dense_runs_fitted_on; empty when the profile has enough, or the model is MoE.
std::string dense_model_caveat(const EngineProfile& profile, bool model_is_moe);
// Whether engine `engine`'s multipliers apply on a GPU of `gpu_vendor` (any case). Where the
// vendor ran none of the profile's fitted runs they do not: those runs measured another vendor's
// kernels (CUDA against ROCm builds of one engine), so the shared factors, fitted on every
// engine's runs, stand in. The default profile (tensorrt-llm) keeps them everywhere, since rows
// naming no engine (Intel Gaudi's) were fitted under it; so does a GPU that names no vendor, or a
// profile that counts none.
bool engine_multipliers_apply(int engine, std::string_view gpu_vendor);
// The note an estimate carries when its GPU's vendor (any case) ran none of the profile's fitted
// runs (the vLLM profile: 10 runs, all on AMD MI300X), or the GPU names no vendor; empty when the
// vendor ran some, or the profile counts none. `multipliers_apply`: engine_multipliers_apply's
// answer, which the note states.
std::string vendor_caveat(const EngineProfile& profile, std::string_view gpu_vendor,
                          bool multipliers_apply);
// Engine `engine`'s profile where its FP8 expert kernels were timed on the GPU with catalog id
// `gpu_id` (it lists the GPU in fp8_expert_gpus), else null.
const EngineProfile* fp8_expert_kernels_timed_on(int engine, std::string_view gpu_id);
// The shipped multipliers of engine index 0..engine_profile_count-1 (engine_profiles()[i].scale).
std::array<double, num_engine_scaled_fields> engine_scale_of(int engine);
// The engine profile a measurement's "framework" text names, as a scenario word: "SGLang v0.5.6"
// sglang, "SGLang v0.4.3" sglang-0.4, "vLLM 0.7.3" vllm-0.7, "TensorRT-LLM v0.17" and MLPerf
// NVIDIA submissions tensorrt-llm; "" when it names none of them. The engine named first counts:
// a harness named after it may be another engine's client.
std::string_view engine_of_framework(std::string_view framework);

}  // namespace pertoken
