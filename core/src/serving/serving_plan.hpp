// Internal: everything derived once from a scenario before any timing is computed: the model's
// shape, the GPU layout, the precision and achievable rate of each kind of arithmetic, and the
// bytes each pipeline stage holds per GPU.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model_shape.hpp"
#include "model/parallel_layout.hpp"
#include "pertoken/model/efficiency.hpp"
#include "pertoken/scenario/scenario.hpp"

namespace pertoken::detail {

// Bytes one GPU of a stage holds, by part (weights only).
struct StageWeights {
  double non_expert_bytes = 0;  // attention, dense FFN, shared experts, routers (read every step)
  double expert_bytes = 0;      // one routed expert's slice on this GPU
  double experts_per_gpu = 0;   // routed experts held per MoE layer on this GPU
  double lm_head_bytes = 0;     // read every step on the last stage
  double embedding_bytes = 0;   // stored on the first stage; only gathered, never streamed
  double encoder_bytes = 0;     // encoder-decoder models: read once per prefill
  double total_bytes = 0;       // everything stored
  // Matmul parameters one GPU multiplies per token (routed experts excluded: those go by tokens
  // routed to this GPU), by arithmetic kind.
  double non_expert_matmul_params = 0;
  double expert_matmul_params = 0;  // one routed expert's slice on this GPU
  double lm_head_matmul_params = 0;
  double layers = 0;
  double moe_layers = 0;
  double global_attention_layers = 0;  // full-context attention layers on this stage
  double local_attention_layers = 0;   // sliding-window layers on this stage
  bool operator==(const StageWeights&) const = default;
};

struct ServingPlan {
  const Scenario* scenario = nullptr;
  EfficiencyFactors efficiency{};
  // Whether the engine profile's multipliers are in `efficiency` (engine_multipliers_apply).
  bool engine_multipliers_applied = true;
  ModelShape shape;
  ParallelLayout layout;
  Precision expert_weights = Precision::bf16;     // storage of routed experts
  Precision other_weights = Precision::bf16;      // storage of every other linear layer
  Precision embedding_weights = Precision::bf16;  // embedding and LM head
  double gemm_flop_per_s = 0;    // achievable peak for non-expert matmuls (before efficiency)
  double expert_flop_per_s = 0;  // for routed-expert matmuls
  double attention_flop_per_s = 0;
  double kv_bytes_per_element = 2;
  // Per GPU and layer, the attention weights of the heads an engine pads (ParallelLayout::
  // head_padding): zero weights it stores, reads and multiplies all the same. 0 without padding.
  double padded_head_params_per_layer = 0;
  double padded_head_bytes_per_layer = 0;
  std::vector<StageWeights> stages;
  std::vector<std::string> notes;

  // Speculative decoding. A draft model has a plan of its own on the same GPUs (same tp).
  std::shared_ptr<const Scenario> draft_scenario;
  std::shared_ptr<const ServingPlan> draft;
  // Per GPU, what the proposer adds: weights held, and KV bytes per token (MTP/EAGLE: one more
  // decoder layer; Medusa: its heads; a draft model: its own weights and cache).
  double proposer_weight_bytes = 0;
  double proposer_kv_bytes_per_token = 0;
  // MTP/EAGLE/Medusa: the proposer's cost per proposed token (Medusa: per step) as a share of
  // one target decode step, from the weights it reads against the target's.
  double proposer_step_share = 0;

  // Disaggregated serving (Scenario::prefill_gpus > 0): the prefill pool's own plan, and how the
  // KV cache of a prompt reaches the decode pool.
  std::shared_ptr<const Scenario> prefill_scenario;
  std::shared_ptr<const ServingPlan> prefill_pool;
  double kv_transfer_bytes_per_s = 0;  // into one decode instance, all its senders together
  bool kv_transfer_bandwidth_guessed = false;
};

// Builds the plan; fails (unknown_figure) when the catalog lacks a rate or link the scenario needs.
Result<ServingPlan> make_serving_plan(const Scenario& scenario,
                                      const EfficiencyFactors& efficiency);

}  // namespace pertoken::detail
