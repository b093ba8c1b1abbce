// Command-line parsing for `pertoken`: flags map onto the scenario JSON keys of the core.
#include "cli_args.hpp"

#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace pertoken::cli {
namespace {

enum class ValueKind { id, integer, integer_or_max, number, precision, boolean, number_or_range };

struct ScenarioFlag {
  std::string_view flag;
  std::string_view key;
  ValueKind kind;
};

// Every scenario flag and the scenario key it sets (keys are the JSON contract's).
constexpr ScenarioFlag scenario_flags[] = {
    {"--model", "model", ValueKind::id},
    {"--gpu", "gpu", ValueKind::id},
    {"--gpus", "num_gpus", ValueKind::integer},
    {"--tp", "tp", ValueKind::integer},
    {"--pp", "pp", ValueKind::integer},
    {"--ep", "ep", ValueKind::integer},
    {"--weights", "weights", ValueKind::precision},
    {"--kv-cache", "kv_cache", ValueKind::precision},
    {"--input-tokens", "input_tokens", ValueKind::integer},
    {"--output-tokens", "output_tokens", ValueKind::integer},
    {"--concurrency", "concurrency", ValueKind::integer_or_max},
    {"--request-rate", "request_rate_per_s", ValueKind::number},
    {"--usd-per-gpu-hour", "usd_per_gpu_hour", ValueKind::number},
    {"--max-batch-size", "max_batch_size", ValueKind::integer},
    {"--max-num-tokens", "max_num_tokens", ValueKind::integer},
    {"--batching", "batching", ValueKind::id},
    {"--chunked-prefill", "chunked_prefill", ValueKind::boolean},
    {"--kv-layout", "kv_layout", ValueKind::id},
    {"--prefix-cache-hit", "prefix_cache_hit_rate", ValueKind::number},
    {"--speculative", "speculative", ValueKind::id},
    {"--draft-tokens", "draft_tokens", ValueKind::integer},
    {"--acceptance-rate", "acceptance_rate", ValueKind::number_or_range},
};

// A JSON literal for a flag's value, or an error naming the flag.
std::optional<std::string> to_json_value(const ScenarioFlag& f, const std::string& value,
                                         std::string& error) {
  auto quoted = [&] {
    return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  auto parse_number = [&](bool integer) -> std::optional<std::string> {
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (value.empty() || end == nullptr || *end != '\0' || !std::isfinite(number)) {
      error = std::string(f.flag) + ": must be a number, got '" + value + "'";
      return std::nullopt;
    }
    if (integer && number != std::floor(number)) {
      error = std::string(f.flag) + ": must be a whole number, got '" + value + "'";
      return std::nullopt;
    }
    // Keep the user's digits; the core range-checks them.
    return value;
  };
  switch (f.kind) {
    case ValueKind::id:
    case ValueKind::precision: return quoted();
    case ValueKind::integer: return parse_number(true);
    case ValueKind::number: return parse_number(false);
    case ValueKind::integer_or_max:
      if (value == "max") return quoted();
      return parse_number(true);
    case ValueKind::boolean:
      if (value == "on" || value == "true") return std::string("true");
      if (value == "off" || value == "false") return std::string("false");
      error = std::string(f.flag) + ": must be on or off, got '" + value + "'";
      return std::nullopt;
    case ValueKind::number_or_range: {
      // "0.7", or "0.6:0.8": a range the user states.
      const auto colon = value.find(':');
      if (colon == std::string::npos) return parse_number(false);
      const ScenarioFlag as_number{f.flag, f.key, ValueKind::number};
      std::string ignored;
      auto low = to_json_value(as_number, value.substr(0, colon), ignored);
      auto high = to_json_value(as_number, value.substr(colon + 1), ignored);
      if (!low || !high) {
        error = std::string(f.flag) + ": must be a number or LOW:HIGH, got '" + value + "'";
        return std::nullopt;
      }
      return "[" + *low + ", " + *high + "]";
    }
  }
  return std::nullopt;
}

const ScenarioFlag* find_scenario_flag(std::string_view name) {
  for (const ScenarioFlag& f : scenario_flags) {
    if (f.flag == name) return &f;
  }
  return nullptr;
}

}  // namespace

ParseOutcome parse_command_line(const std::vector<std::string>& args) {
  ParseOutcome outcome;
  Command command;
  if (args.empty()) {
    outcome.error = "no command given (try: pertoken --help)";
    return outcome;
  }
  std::size_t i = 0;
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    command.name = "help";
    outcome.command = command;
    return outcome;
  }
  if (first == "--version") {
    command.name = "version";
    outcome.command = command;
    return outcome;
  }
  static const char* const commands[] = {"estimate", "list", "validate-catalog", "validate",
                                         "calibrate"};
  bool known = false;
  for (const char* c : commands) known = known || first == c;
  if (!known) {
    outcome.error = "unknown command '" + first + "' (try: pertoken --help)";
    return outcome;
  }
  command.name = first;
  for (i = 1; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      command.name = "help";
      outcome.command = command;
      return outcome;
    }
    if (arg.rfind("--", 0) != 0) {
      command.positionals.push_back(arg);
      continue;
    }
    std::string value;
    bool has_inline_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline_value = true;
    }
    auto take_value = [&]() -> bool {
      if (has_inline_value) return true;
      if (i + 1 >= args.size()) {
        outcome.error = arg + ": needs a value";
        return false;
      }
      value = args[++i];
      return true;
    };
    if (arg == "--format") {
      if (!take_value()) return outcome;
      if (value == "table") {
        command.format = Format::table;
      } else if (value == "json") {
        command.format = Format::json;
      } else if (value == "csv") {
        command.format = Format::csv;
      } else {
        outcome.error = "--format: must be table, json or csv, got '" + value + "'";
        return outcome;
      }
      continue;
    }
    if (arg == "--output" && command.name == "calibrate") {
      if (!take_value()) return outcome;
      command.output_file = value;
      continue;
    }
    if (arg == "--from-priors" && command.name == "calibrate") {
      command.from_priors = true;
      continue;
    }
    if (arg == "--scenario" || arg == "--catalog") {
      if (!take_value()) return outcome;
      (arg == "--scenario" ? command.scenario_file : command.catalog_file) = value;
      continue;
    }
    const ScenarioFlag* flag = find_scenario_flag(arg);
    if (flag == nullptr || command.name != "estimate") {
      outcome.error = "unknown flag '" + arg + "' for " + command.name + " (try: pertoken --help)";
      return outcome;
    }
    if (!take_value()) return outcome;
    auto json_value = to_json_value(*flag, value, outcome.error);
    if (!json_value) return outcome;
    command.scenario_overrides[std::string(flag->key)] = *json_value;
    command.flag_of_key[std::string(flag->key)] = std::string(flag->flag);
  }
  outcome.command = command;
  return outcome;
}

std::string help_text() {
  return R"(pertoken: throughput, latency, memory and cost per token of LLM inference.

Usage:
  pertoken estimate [--scenario FILE] [--catalog FILE] [--model ID] [--gpu ID] [--gpus N]
                    [--tp N] [--pp N] [--ep N] [--weights P] [--kv-cache P]
                    [--input-tokens N] [--output-tokens N] [--concurrency N|max]
                    [--request-rate X] [--usd-per-gpu-hour X] [--max-batch-size N]
                    [--max-num-tokens N] [--batching continuous|static]
                    [--chunked-prefill on|off] [--kv-layout paged|contiguous]
                    [--prefix-cache-hit X] [--speculative draft:MODEL|mtp|eagle|medusa|ngram]
                    [--draft-tokens N] [--acceptance-rate X|LOW:HIGH]
                    [--format table|json|csv]
  pertoken list gpus|models [--catalog FILE] [--format table|json|csv]
  pertoken validate-catalog FILE
  pertoken validate [CSV|holdout] [--catalog FILE] [--format table|json|csv]
  pertoken calibrate CSV|calibration|holdout [--catalog FILE] [--output FILE] [--from-priors]
  pertoken --help | --version

estimate flags (defaults in brackets):
  --scenario FILE        scenario JSON with the same keys as the flags (model, gpu, num_gpus or
                         gpus, tp, pp, ep, weights, kv_cache, input_tokens, output_tokens,
                         concurrency, request_rate_per_s, usd_per_gpu_hour, max_batch_size,
                         max_num_tokens, batching, chunked_prefill, kv_layout,
                         prefix_cache_hit_rate, speculative, draft_tokens, acceptance_rate);
                         model and gpu may be ids or inline catalog objects.
                         Flags override the file. Unknown keys are errors.
  --catalog FILE         catalog JSON whose entries replace or extend the built-in one
                         (format: assets/catalog/FORMAT.md)
  --model ID             model id (required; see `pertoken list models`)
  --gpu ID               accelerator id (required; see `pertoken list gpus`)
  --gpus N               devices in the deployment [1]
  --tp N                 tensor-parallel degree [GPU count / pp]
  --pp N                 pipeline-parallel stages [1]
  --ep N                 expert-parallel degree, MoE models only [1]; ep > 1 spans every GPU
                         of a stage (tp=1, ep=N: attention data-parallel + expert-parallel)
  --weights P            weight precision [the model's released checkpoint, usually bf16]
  --kv-cache P           KV-cache precision [bf16; fp16/fp32 with fp16/fp32 weights]
                         precisions: fp32 bf16 fp16 fp8 int8 int4 fp4
  --input-tokens N       prompt tokens per request [2000]
  --output-tokens N      generated tokens per request [500]
  --concurrency N|max    requests in flight [max: the most the KV cache holds, capped at
                         --max-batch-size per batch group]
  --request-rate X       requests per second arriving instead of a fixed concurrency
                         (the concurrency then follows from Little's law)
  --usd-per-gpu-hour X   price of one device-hour [the catalog's reference on-demand price]
  --max-batch-size N     engine cap on requests per step, per batch group [2048]
  --max-num-tokens N     engine cap on tokens per step (prefill chunk budget) [8192]
  --batching B           continuous (in-flight, vLLM/TensorRT-LLM) or static (a batch runs to
                         its end before the next starts) [continuous]
  --chunked-prefill on|off  split prompts into --max-num-tokens chunks mixed with decodes [on];
                         off: each prompt runs whole in a step of its own, stalling decodes
  --kv-layout L          paged (blocks of 16 tokens, < 4% waste) or contiguous (reserves the
                         model's whole context per request) [paged]
  --prefix-cache-hit X   share of each prompt already in the KV cache, 0 to 0.99 [0]
  --speculative S        none, mtp, eagle, medusa, ngram or draft:MODEL [none]
  --draft-tokens N       tokens proposed per step [mtp 1, others 4]
  --acceptance-rate X    chance each proposed token is accepted, or a range LOW:HIGH that widens
                         the uncertainty band [mtp 0.85, eagle 0.75, draft 0.7, medusa 0.6,
                         ngram 0.5: named guesses; measure yours]
  --format F             table (for people), json (the contract, SI units) or csv [table]

validate runs published measurements (columns as assets/calibration/measured.csv; default: that
shipped calibration set; `holdout` names the shipped holdout set) and prints predicted vs measured
per row, the median absolute error and the share of rows within +-25%.

calibrate fits the efficiency factors to a measurement CSV (same columns) and writes a catalog
overlay ({"efficiency": {...}}) to --output FILE (or stdout) that estimate, validate and list
accept with --catalog; it prints the error before and after. The search starts from the factors
in use and is weakly pulled toward them; --from-priors starts from the physical priors instead
(this is how the shipped factors were made: calibrate calibration --from-priors).

Exit status: 0 a result (also when the model does not fit: "fits" is false),
             2 bad input (the message names the flag or JSON path), 1 internal error.
)";
}

}  // namespace pertoken::cli
