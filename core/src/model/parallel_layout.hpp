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
  double moe_tp = 1;            // GPUs one expert is split over (TensorRT-LLM moe_tp)
  double kv_heads_per_gpu = 0;  // KV heads each GPU stores (>= 1: replicated when tp > kv heads)
  double kv_share_per_gpu = 1;  // fraction of a token's KV elements each GPU stores
  // Devices with several tensor-parallel cores (AWS Neuron, GpuSpec::tp_cores_per_device): tp
  // counts cores, so one device holds ranks_per_gpu ranks and a tp group spans tp_gpus devices
  // (< 1 when groups share a device). Per-GPU figures are the ranks' sum. 1 and tp on GPUs.
  int ranks_per_gpu = 1;
  double tp_gpus = 1;
  // Where the engine pads heads up to a multiple of tp (GpuSpec::pads_attention_heads): query
  // heads computed / the model's, and KV heads stored per rank / an unpadded split's
  // max(1, kv_heads / tp). 1 without padding.
  double head_padding = 1;
  double kv_head_padding = 1;
  int padded_heads = 0;     // query heads after padding (the model's when not padded)
  int padded_kv_heads = 0;  // KV heads after padding and replication (NxD Inference's count)
  std::vector<StageLayers> stages;
  // Attention groups in the deployment: each runs its own batch (replicas x attention_dp).
  int batch_groups() const { return replicas * attention_dp; }
};

// Preconditions (checked by parse_scenario): tp*pp divides num_gpus, heads divisible, pp <= layers.
// Attention data-parallel ranks of a layout: with expert parallelism the deployment is one instance
// whose num_gpus/pp GPUs per stage hold attention tp-way (DeepSeek's "DEP" when more than one).
int attention_dp_ranks(int num_gpus, int tp, int pp, int ep);

ParallelLayout parallel_layout(const Scenario& scenario, const ModelShape& shape);

}  // namespace pertoken::detail
