// Internal: how a scenario's GPUs are arranged (replicas, tensor/pipeline/expert groups) and
// which layers each pipeline stage holds.
#pragma once

#include <vector>

#include "model/model_shape.hpp"
#include "pertoken/scenario/scenario.hpp"

namespace pertoken::detail {

struct StageLayers {
  int dense_layers = 0;  // layers with a dense FFN
  int moe_layers = 0;    // layers with routed experts
  bool first = false;    // holds the embedding (and the encoder)
  bool last = false;     // holds the LM head
  int layers() const { return dense_layers + moe_layers; }
};

struct ParallelLayout {
  int instance_gpus = 1;        // GPUs that schedule requests together (share one KV/batch domain)
  int replicas = 1;             // independent instances: num_gpus / instance_gpus
  int attention_dp = 1;         // attention data-parallel ranks inside an instance (DeepSeek "DEP")
  int moe_tp = 1;               // GPUs one expert is split over (TensorRT-LLM moe_tp)
  double kv_heads_per_gpu = 0;  // KV heads each GPU stores (>= 1: replicated when tp > kv heads)
  double kv_share_per_gpu = 1;  // fraction of a token's KV elements each GPU stores
  std::vector<StageLayers> stages;
  // Attention groups in the deployment: each runs its own batch (replicas x attention_dp).
  int batch_groups() const { return replicas * attention_dp; }
};

// Preconditions (checked by parse_scenario): tp*pp divides num_gpus, heads divisible, pp <= layers.
ParallelLayout parallel_layout(const Scenario& scenario, const ModelShape& shape);

}  // namespace pertoken::detail
