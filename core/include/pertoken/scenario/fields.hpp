// The one table of scenario fields: every key a scenario document may hold, with its type, unit,
// range, default (or the rule that derives it) and help text. It drives the scenario parser, the
// CLI's flags and --help, the fields JSON the web form grows from, and the scenario JSON Schema,
// so none of them can list a field, a range or a default the others do not.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/catalog/precision.hpp"

namespace pertoken {

enum class FieldType {
  model_id,         // a catalog model id, or an inline model object
  gpu_id,           // a catalog accelerator id, or an inline accelerator object
  integer,          // a whole number within [min, max]
  integer_or_max,   // a whole number, or "max"
  number,           // a real number within [min, max] (or (min, max] when min_exclusive)
  enumeration,      // one of values
  boolean,          // true or false (the CLI also takes on/off)
  speculative,      // none | mtp | eagle | medusa | ngram | draft:MODEL
  number_or_range,  // a number, or [low, high] (the CLI writes LOW:HIGH)
  id_list,          // ids or words: "a,b,c" or ["a", "b", "c"] (plan fields)
};

std::string_view to_string(FieldType type);

struct ScenarioField {
  std::string_view key;      // the JSON contract's key; fixed once published
  std::string_view flag;     // the CLI flag that sets it
  std::string_view metavar;  // the flag's value in --help (N, X, P...)
  FieldType type;
  std::string_view unit;  // display unit ("" for none)
  double min = 0;         // integer, number, integer_or_max, number_or_range
  double max = 0;
  bool min_exclusive = false;
  std::span<const std::string_view> values;  // enumeration and speculative: the accepted words
  // The default as a literal JSON value ("1", "\"paged\"", "true"), or empty when the default is
  // derived from other fields by a rule (default_rule says which, in words).
  std::string_view default_literal;
  std::string_view default_rule;  // the default in words, for --help and the form
  std::string_view help;          // what the field means
  std::string_view alias;         // another key accepted in documents ("gpus" for num_gpus)
};

// Every field, in the order forms and --help list them.
std::span<const ScenarioField> scenario_fields();

// The field for a key (or its alias), or nullptr.
const ScenarioField* find_scenario_field(std::string_view key);

// The field that is an alternative to `key` (a scenario gives one or the other: concurrency and
// request_rate_per_s), or "".
std::string_view alternative_of(std::string_view key);

// The field a CLI flag sets, or nullptr.
const ScenarioField* find_scenario_flag(std::string_view flag);

// What a picker shows for one of a field's values: an engine profile's name and the engine
// versions it was fitted on ("SGLang (fitted on 0.5.6, 0.5.6.post1)"); "" where the value is
// its own label.
std::string value_label(const ScenarioField& field, std::string_view value);

// Limits that reject absurd input rather than computing nonsense (the table's ranges use them).
inline constexpr int max_num_gpus = 65536;
inline constexpr int max_tokens_per_request = 10'000'000;
inline constexpr int max_concurrency_limit = 10'000'000;
inline constexpr int max_draft_tokens = 16;
inline constexpr double max_prefix_cache_hit_rate = 0.99;
inline constexpr double max_usd_per_gpu_hour = 1e4;
inline constexpr double max_request_rate_per_s = 1e9;
inline constexpr int max_prompts_per_run = 1'000'000'000;

// ---------------------------------------------------------------------------------------------
// The rules that fill a field the document leaves out. parse_scenario and the form's defaults
// (scenario_defaults_json) both call these, so the form shows exactly what the core computes.

// Tensor parallelism takes every GPU of a pipeline stage.
int default_tp(int num_gpus, int pp);
// The model's released checkpoint.
Precision default_weights(const ModelSpec& model);
// The KV cache follows 16-/32-bit weights (fp16 weights keep an fp16 cache), else bf16.
Precision default_kv_cache(Precision weights);
// Expert replicas that let ep divide the experts: ceil(E / ep) x ep - E (0 for dense or ep 1).
int default_redundant_experts(const ModelSpec& model, int ep);
// A disaggregated prefill pool's tp: the decode pool's when it divides the prefill devices (the
// same instance shape on both sides), else one instance over all of them.
int default_prefill_tp(int prefill_gpus, int decode_tp);
// The catalog's reference price for one device-hour; nullopt when the catalog has none.
std::optional<double> default_usd_per_gpu_hour(const GpuSpec& gpu);

}  // namespace pertoken
