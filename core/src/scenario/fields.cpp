// The scenario field table and the default rules (see fields.hpp).
#include "pertoken/scenario/fields.hpp"

#include <array>

#include "pertoken/model/engine_profile.hpp"
#include "scenario/preset_table.hpp"

namespace pertoken {
namespace {

constexpr std::array<std::string_view, 7> precision_words = {"fp32", "bf16", "fp16", "fp8",
                                                             "int8", "int4", "fp4"};
constexpr std::array<std::string_view, 2> batching_words = {"continuous", "static"};
constexpr std::array<std::string_view, 2> kv_layout_words = {"paged", "contiguous"};
constexpr std::array<std::string_view, 6> speculative_words = {"none",   "mtp",   "eagle",
                                                               "medusa", "ngram", "draft:MODEL"};

constexpr std::array<std::string_view, 5> engine_words = {"tensorrt-llm", "vllm", "sglang",
                                                          "vllm-0.7", "sglang-0.4"};

constexpr double int_max(int value) { return static_cast<double>(value); }

// clang-format off
// Columns: key, flag, metavar, type, unit, min, max, min_exclusive, values, default_literal,
// default_rule, help, alias.
constexpr ScenarioField fields[] = {
    {"model", "--model", "ID", FieldType::model_id, "", 0, 0, false, {}, "", "required",
     "model id from the catalog, or an inline model object", ""},
    {"gpu", "--gpu", "ID", FieldType::gpu_id, "", 0, 0, false, {}, "", "required",
     "accelerator id from the catalog, or an inline accelerator object", ""},
    {"num_gpus", "--gpus", "N", FieldType::integer, "devices", 1, int_max(max_num_gpus), false, {},
     "1", "1", "devices in the deployment", "gpus"},
    {"tp", "--tp", "N", FieldType::integer, "", 1, int_max(max_num_gpus), false, {}, "",
     "num_gpus / pp (x cores per device on AWS Neuron)",
     "tensor-parallel degree; counts cores on devices with several (AWS Neuron)", ""},
    {"pp", "--pp", "N", FieldType::integer, "", 1, int_max(max_num_gpus), false, {}, "1", "1",
     "pipeline-parallel stages", ""},
    {"ep", "--ep", "N", FieldType::integer, "", 1, int_max(max_num_gpus), false, {}, "1", "1",
     "expert-parallel degree, MoE models only; ep > 1 spans every GPU of a stage (tp=1, ep=N: "
     "attention data-parallel + expert-parallel)", ""},
    {"weights", "--weights", "P", FieldType::enumeration, "", 0, 0, false, precision_words, "",
     "the model's released checkpoint", "weight precision", ""},
    {"kv_cache", "--kv-cache", "P", FieldType::enumeration, "", 0, 0, false, precision_words, "",
     "follows fp32/fp16 weights, else bf16", "KV-cache precision", ""},
    {"preset", "--preset", "NAME", FieldType::enumeration, "", 0, 0, false, detail::preset_words,
     "\"none\"", "none",
     "a named workload (pertoken list presets): its input and output tokens unless given, and "
     "its latency target, checked in the result", ""},
    {"input_tokens", "--input-tokens", "N", FieldType::integer, "tokens", 1,
     int_max(max_tokens_per_request), false, {}, "2000", "2000",
     "prompt tokens per request", ""},
    {"output_tokens", "--output-tokens", "N", FieldType::integer, "tokens", 1,
     int_max(max_tokens_per_request), false, {}, "500", "500",
     "generated tokens per request", ""},
    {"concurrency", "--concurrency", "N|max", FieldType::integer_or_max, "requests", 1,
     int_max(max_concurrency_limit), false, {}, "\"max\"", "max",
     "requests in flight; max = the most the KV cache and the engine allow", ""},
    {"request_rate_per_s", "--request-rate", "X", FieldType::number, "requests/s", 0,
     max_request_rate_per_s, true, {}, "", "none (a fixed concurrency)",
     "open-loop arrival rate instead of a concurrency (Little's law finds the batch)", ""},
    {"num_prompts", "--num-prompts", "N", FieldType::integer, "requests", 1,
     int_max(max_prompts_per_run), false, {}, "", "none (a steady stream)",
     "a benchmark run of N requests: the first concurrency of them (all N at max or a cap of N or "
     "more) arrive at once, the rest as earlier ones end, and ttft is the run's mean", ""},
    {"usd_per_gpu_hour", "--usd-per-gpu-hour", "X", FieldType::number, "USD/device-hour", 0,
     max_usd_per_gpu_hour, false, {}, "", "the catalog's reference price",
     "price of one device-hour", ""},
    {"max_batch_size", "--max-batch-size", "N", FieldType::integer, "requests", 1,
     int_max(max_concurrency_limit), false, {}, "2048", "2048",
     "engine cap on requests per step, per batch group", ""},
    {"max_num_tokens", "--max-num-tokens", "N", FieldType::integer, "tokens", 1,
     int_max(max_tokens_per_request), false, {}, "8192", "8192",
     "engine cap on tokens per step (the prefill chunk budget)", ""},
    {"batching", "--batching", "B", FieldType::enumeration, "", 0, 0, false, batching_words,
     "\"continuous\"", "continuous",
     "continuous (in-flight) batching, or static batches that run to their end", ""},
    {"chunked_prefill", "--chunked-prefill", "on|off", FieldType::boolean, "", 0, 0, false, {},
     "true", "on",
     "split prompts into max_num_tokens chunks mixed with decodes; off: prompts stall decodes", ""},
    {"kv_layout", "--kv-layout", "L", FieldType::enumeration, "", 0, 0, false, kv_layout_words,
     "\"paged\"", "paged",
     "paged KV blocks, or contiguous reservation of the model's whole context per request", ""},
    {"prefix_cache_hit_rate", "--prefix-cache-hit", "X", FieldType::number, "fraction", 0,
     max_prefix_cache_hit_rate, false, {}, "0", "0",
     "share of each prompt already in the KV cache", ""},
    {"speculative", "--speculative", "S", FieldType::speculative, "", 0, 0, false,
     speculative_words, "\"none\"", "none",
     "speculative decoding: none, mtp, eagle, medusa, ngram or draft:MODEL", ""},
    {"draft_tokens", "--draft-tokens", "N", FieldType::integer, "tokens", 1,
     int_max(max_draft_tokens), false, {}, "", "by method: mtp 1, others 4",
     "tokens proposed per step (needs speculative)", ""},
    {"acceptance_rate", "--acceptance-rate", "X|LOW:HIGH", FieldType::number_or_range,
     "probability", 0, 1, false, {}, "",
     "by method: mtp 0.85, eagle 0.75, draft 0.7, medusa 0.6, ngram 0.5 (named guesses)",
     "chance each proposed token is accepted, or a range [low, high] that widens the bands", ""},
    {"engine", "--engine", "E", FieldType::enumeration, "", 0, 0, false, engine_words,
     "\"tensorrt-llm\"", "tensorrt-llm",
     "serving engine: selects its efficiency profile fitted on its published runs "
     "(assets/engines.json); vllm-0.7 and sglang-0.4 are those engines' early-2025 releases",
     ""},
    {"redundant_experts", "--redundant-experts", "N", FieldType::integer, "experts", 0,
     int_max(max_num_gpus), false, {}, "",
     "the fewest that make ep divide experts + redundant (0 when it already does)",
     "extra expert replicas spread over the ep ranks (EPLB), so that ep need not divide the "
     "experts", ""},
    {"prefill_gpus", "--prefill-gpus", "N", FieldType::integer, "devices", 0,
     int_max(max_num_gpus), false, {}, "0", "0 (prompts run on the decode devices)",
     "disaggregated serving: devices of a separate prefill pool that send the KV cache to the "
     "num_gpus decode devices", ""},
    {"prefill_tp", "--prefill-tp", "N", FieldType::integer, "", 1, int_max(max_num_gpus), false,
     {}, "", "tp when it divides prefill_gpus, else prefill_gpus",
     "tensor-parallel degree of the prefill pool (needs prefill_gpus)", ""},
    {"prefill_ep", "--prefill-ep", "N", FieldType::integer, "", 1, int_max(max_num_gpus), false,
     {}, "1", "1", "expert-parallel degree of the prefill pool, MoE only (needs prefill_gpus)",
     ""},
};
// clang-format on

}  // namespace

std::string_view to_string(FieldType type) {
  switch (type) {
    case FieldType::model_id: return "model_id";
    case FieldType::gpu_id: return "gpu_id";
    case FieldType::integer: return "integer";
    case FieldType::integer_or_max: return "integer_or_max";
    case FieldType::number: return "number";
    case FieldType::enumeration: return "enum";
    case FieldType::boolean: return "boolean";
    case FieldType::speculative: return "speculative";
    case FieldType::number_or_range: return "number_or_range";
    case FieldType::id_list: return "id_list";
  }
  return "number";
}

std::span<const ScenarioField> scenario_fields() { return fields; }

const ScenarioField* find_scenario_field(std::string_view key) {
  for (const ScenarioField& f : fields) {
    if (f.key == key || (!f.alias.empty() && f.alias == key)) return &f;
  }
  return nullptr;
}

std::string_view alternative_of(std::string_view key) {
  if (key == "concurrency") return "request_rate_per_s";
  if (key == "request_rate_per_s") return "concurrency";
  return "";
}

std::string value_label(const ScenarioField& field, std::string_view value) {
  if (field.key != "engine") return "";
  for (const EngineProfile& profile : engine_profiles()) {
    if (profile.id != value) continue;
    std::string label = profile.name;
    for (std::size_t i = 0; i < profile.versions.size(); ++i) {
      label += (i == 0 ? " (fitted on " : ", ") + profile.versions[i];
    }
    return profile.versions.empty() ? label : label + ")";
  }
  return "";
}

const ScenarioField* find_scenario_flag(std::string_view flag) {
  for (const ScenarioField& f : fields) {
    if (f.flag == flag) return &f;
  }
  return nullptr;
}

int default_tp(int num_gpus, int pp) { return pp > 0 && num_gpus / pp > 0 ? num_gpus / pp : 1; }

Precision default_weights(const ModelSpec& model) { return model.default_weights; }

Precision default_kv_cache(Precision weights) {
  return weights == Precision::fp32 || weights == Precision::fp16 ? weights : Precision::bf16;
}

int default_redundant_experts(const ModelSpec& model, int ep) {
  if (!model.moe || ep <= 1) return 0;
  const int experts = model.moe->num_experts;
  return (experts + ep - 1) / ep * ep - experts;
}

int default_prefill_tp(int prefill_gpus, int decode_tp) {
  if (prefill_gpus <= 0) return 1;
  return decode_tp > 0 && prefill_gpus % decode_tp == 0 ? decode_tp : prefill_gpus;
}

std::optional<double> default_usd_per_gpu_hour(const GpuSpec& gpu) {
  return gpu.reference_usd_per_hour;
}

}  // namespace pertoken
