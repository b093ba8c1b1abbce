// Command-line parsing for `pertoken`: flags map onto the scenario JSON keys of the core.
#include "cli_args.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "pertoken/plan/plan_json.hpp"
#include "pertoken/plan/sensitivity.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/search/sweeps.hpp"
#include "pertoken/validation/calibration.hpp"

namespace pertoken::cli {
namespace {

// A JSON literal for a flag's value, or an error naming the flag.
std::optional<std::string> to_json_value(const ScenarioField& f, const std::string& value,
                                         std::string& error) {
  auto quoted = [&] {
    return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  auto parse_number = [&](bool integer) -> std::optional<std::string> {
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (value.empty() || end == nullptr || *end != '\0' || !std::isfinite(number)) {
      // Not a plain number ("$3.50", "4k", "1e309"): the core says why, in the page's words.
      return quoted();
    }
    if (integer && number != std::floor(number)) {
      error = std::string(f.flag) + ": must be a whole number, got '" + value + "'";
      return std::nullopt;
    }
    // Keep the user's digits; the core range-checks them.
    return value;
  };
  switch (f.type) {
    case FieldType::model_id:
    case FieldType::gpu_id:
    case FieldType::enumeration:
    case FieldType::speculative:
    case FieldType::id_list: return quoted();
    case FieldType::integer: return parse_number(true);
    case FieldType::number: return parse_number(false);
    case FieldType::integer_or_max:
      if (value == "max") return quoted();
      return parse_number(true);
    case FieldType::boolean:
      if (value == "on" || value == "true") return std::string("true");
      if (value == "off" || value == "false") return std::string("false");
      error = std::string(f.flag) + ": must be on or off, got '" + value + "'";
      return std::nullopt;
    case FieldType::number_or_range: {
      // "0.7", or "0.6:0.8": a range the user states.
      const auto colon = value.find(':');
      if (colon == std::string::npos) return parse_number(false);
      ScenarioField as_number = f;
      as_number.type = FieldType::number;
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
  static const char* const commands[] = {
      "estimate", "sweep",     "plan",   "sensitivity",      "list",
      "validate", "calibrate", "schema", "validate-catalog", "import-model"};
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
      // No value starts with "--" (a negative number has one dash): the next word is a flag, and
      // this one's value was left out ("--model --gpu h100-sxm" blamed h100-sxm).
      if (args[i + 1].starts_with("--")) {
        outcome.error = arg + ": needs a value (the next word is the flag " + args[i + 1] + ")";
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
    if (arg == "--predictions" && command.name == "validate") {
      if (!take_value()) return outcome;
      command.predictions_file = value;
      continue;
    }
    if (arg == "--from-priors" && command.name == "calibrate") {
      command.calibration.from_priors = true;
      continue;
    }
    if (arg == "--prior-weight" && command.name == "calibrate") {
      if (!take_value()) return outcome;
      char* end = nullptr;
      const double weight = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !valid_prior_weight(weight)) {
        outcome.error = "--prior-weight: must be a number >= 0, got '" + value + "'";
        return outcome;
      }
      command.calibration.prior_weight = weight;
      continue;
    }
    if (arg == "--starts" && command.name == "calibrate") {
      if (!take_value()) return outcome;
      char* end = nullptr;
      const long starts = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || !valid_calibration_starts(starts)) {
        outcome.error = "--starts: must be a whole number from 1 to " +
                        std::to_string(max_calibration_starts) + ", got '" + value + "'";
        return outcome;
      }
      command.calibration.starts = static_cast<int>(starts);
      continue;
    }
    if ((arg == "--fit" || arg == "--hold" || arg == "--then-fit") && command.name == "calibrate") {
      if (!take_value()) return outcome;
      std::vector<std::string> names;
      std::size_t begin = 0;
      while (begin <= value.size()) {
        const std::size_t comma = std::min(value.find(',', begin), value.size());
        names.push_back(value.substr(begin, comma - begin));
        begin = comma + 1;
      }
      // Which names are factors, and how the lists combine, is the core's rule
      // (calibration_options); calibrate reports its refusals by flag.
      (arg == "--fit"    ? command.calibration.fit
       : arg == "--hold" ? command.calibration.hold
                         : command.calibration.then_fit) = names;
      continue;
    }
    if ((arg == "--id" || arg == "--name") && command.name == "import-model") {
      if (!take_value()) return outcome;
      (arg == "--id" ? command.import_id : command.import_name) = value;
      continue;
    }
    if (arg == "--stale" && command.name == "list") {
      command.stale = true;
      continue;
    }
    if (arg == "--why" && command.name == "estimate") {
      command.why = true;
      continue;
    }
    if (arg == "--today" && (command.name == "list" || command.name == "estimate")) {
      if (!take_value()) return outcome;
      command.today = value;
      continue;
    }
    if (arg == "--plan" && (command.name == "plan" || command.name == "sweep")) {
      if (!take_value()) return outcome;
      command.scenario_file = value;
      continue;
    }
    if (arg == "--scenario" || arg == "--catalog") {
      if (!take_value()) return outcome;
      (arg == "--scenario" ? command.scenario_file : command.catalog_file) = value;
      continue;
    }
    const ScenarioField* flag = find_scenario_flag(arg);
    if (flag == nullptr && command.name == "plan") flag = find_plan_flag(arg);
    if (flag == nullptr && command.name == "sensitivity") flag = find_sensitivity_flag(arg);
    if (flag == nullptr && command.name == "sweep") flag = find_comparison_flag(arg);
    // sweep volume takes a plan request (the other kinds reject the plan's keys by name).
    if (flag == nullptr && command.name == "sweep") flag = find_plan_flag(arg);
    if (flag == nullptr || (command.name != "estimate" && command.name != "sweep" &&
                            command.name != "plan" && command.name != "sensitivity")) {
      outcome.error = "unknown flag '" + arg + "' for " + command.name + " (try: pertoken --help)";
      return outcome;
    }
    if (!take_value()) return outcome;
    auto json_value = to_json_value(*flag, value, outcome.error);
    if (!json_value) return outcome;
    command.scenario_overrides.emplace_back(std::string(flag->key), *json_value);
    command.flag_of_key[std::string(flag->key)] = std::string(flag->flag);
  }
  if (command.why && command.format != Format::table) {
    outcome.error = "--why: writes sentences for people, so only with --format table";
    return outcome;
  }
  outcome.command = command;
  return outcome;
}

namespace {

// "  --flag METAVAR     help [default]", wrapped at 99 columns under the help column.
std::string flag_lines(const ScenarioField& f) {
  constexpr std::size_t help_column = 25;
  constexpr std::size_t width = 99;
  std::string head = "  " + std::string(f.flag) + " " + std::string(f.metavar);
  std::string text = std::string(f.help);
  if (f.type == FieldType::enumeration) {
    text += ":";
    for (std::string_view v : f.values) text += " " + std::string(v);
  }
  if (!f.unit.empty()) text += " (" + std::string(f.unit) + ")";
  text += " [" + std::string(f.default_rule) + "]";
  std::string out = head;
  std::size_t column = head.size();
  if (column + 1 > help_column) {
    out += "\n" + std::string(help_column, ' ');
  } else {
    out += std::string(help_column - column, ' ');
  }
  column = help_column;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (column + word.size() > width && column > help_column) {
      out += "\n" + std::string(help_column, ' ');
      column = help_column;
    } else if (column > help_column) {
      out += " ";
      ++column;
    }
    out += word;
    column += word.size();
    start = end + 1;
  }
  return out + "\n";
}

// The defaults come from the core's CalibrationOptions, so the help cannot drift from them.
std::string calibrate_flags_help() {
  char text[1024];
  std::snprintf(
      text, sizeof text,
      "--prior-weight X sets how hard the fit is pulled toward its start (default %g; 0 "
      "fits the\ndata alone); scripts/cross_validate_fit.py scores a weight on sources the fit "
      "has not seen.\n--starts N searches from the start and N - 1 scattered around it (each "
      "factor moved by\nup to its prior spread) and keeps the lowest loss (default %d).\n"
      "--fit A,B fits the named factors alone; --hold A,B fits all but them (the others keep\n"
      "their start values). Names: the keys of the overlay calibrate writes, an engine's\n"
      "multipliers as ENGINE.NAME (vllm.layer_overhead_s). Few rows tell few factors apart.\n"
      "--then-fit A,B adds a second search from the first's result that moves only A,B.\n"
      "With --from-priors, any of the three replaces the documented fit's stages.\n",
      CalibrationOptions{}.prior_weight, CalibrationOptions{}.starts);
  return text;
}

}  // namespace

std::string help_text() {
  std::string flags;
  std::string plan_flags;
  for (const ScenarioField& f : plan_fields()) plan_flags += flag_lines(f);
  std::string sensitivity_flags;
  for (const ScenarioField& f : sensitivity_fields()) sensitivity_flags += flag_lines(f);
  std::string comparison_flags;
  for (const ScenarioField& f : comparison_fields()) comparison_flags += flag_lines(f);
  std::string usage = "  pertoken estimate|sweep KIND [--scenario FILE] [--catalog FILE]";
  std::size_t column = usage.size();
  for (const ScenarioField& f : scenario_fields()) {
    flags += flag_lines(f);
    const std::string item = " [" + std::string(f.flag) + " " + std::string(f.metavar) + "]";
    if (column + item.size() > 99) {
      usage += "\n                   ";
      column = 19;
    }
    usage += item;
    column += item.size();
  }
  return R"(pertoken: throughput, latency, memory and cost per token of LLM inference.

Usage:
)" + usage +
         R"(
                   [--format table|json|csv]
  pertoken plan [--plan FILE] [scenario flags] [plan flags] [--format table|json|csv]
  pertoken sweep volume [--plan FILE] [scenario flags] [plan flags] [--format table|json|csv]
  pertoken sensitivity [--scenario FILE] [scenario flags] [sensitivity flags]
                   [--format table|json|csv]
  pertoken list gpus|models|fields|presets [--catalog FILE] [--format table|json|csv]
  pertoken list gpus --stale [--today YYYY-MM-DD] [--catalog FILE] [--format table|json|csv]
  pertoken validate-catalog FILE
  pertoken validate [CSV|SET] [--catalog FILE] [--predictions FILE] [--format table|json|csv]
  pertoken calibrate CSV|SET [--catalog FILE] [--output FILE] [--from-priors]
                   [--prior-weight X] [--starts N] [--fit A,B | --hold A,B] [--then-fit A,B]
  pertoken import-model config.json [--id ID] [--name NAME] [--catalog FILE]
  pertoken schema scenario
  pertoken --help | --version

estimate prints one scenario's result; sweep KIND prints the series a chart draws:
  batching   cost and each user's speed from 1 to the most requests that fit
  memory     memory per GPU against capacity over the same concurrencies
  context    time to first token and cost as the prompt grows
  gpus       every catalog accelerator at its cheapest layout that fits (the layout search),
             at one price basis and an interactivity floor:
)" + comparison_flags +
         R"(  volume     the plan (plan flags) at daily volumes from 1/100 to 100x the request's, every
             way to pay at each, the serverless APIs' prices and the break-even volumes


Scenario flags (defaults in brackets; the same keys in a --scenario FILE, flags override it):
  --scenario FILE        scenario JSON with the keys below (model and gpu may be ids or inline
                         catalog objects; unknown keys are errors; `pertoken schema scenario`
                         prints its JSON Schema)
  --catalog FILE         catalog JSON whose entries replace or extend the built-in one
                         (format: assets/catalog/FORMAT.md)
)" + flags +
         R"(  --format F             table (for people), json (the contract, SI units) or csv [table]
  --why                  estimate: after the table, "Why this number": the headline figures in
                         words, as the web page and the app say them

plan searches accelerators, device counts, layouts, weight precision, concurrency and speculative
decoding for the cheapest fleet that meets the SLA, and prints its bill under every way to pay.
Plan flags (also keys of a --plan FILE, beside the scenario's):
  --plan FILE            plan request JSON: scenario keys plus the keys below
)" + plan_flags +
         R"(
sensitivity moves each input down and up (price, utilization, lengths, concurrency, prefix-cache
hits, acceptance rate, and the model's fitted efficiencies, marked as guesses) and prints $ per
million tokens at each end, widest swing first; with a target it answers which price, utilization
or daily volume reaches it. Sensitivity flags (also keys of a --scenario FILE):
)" + sensitivity_flags +
         R"(
validate runs published measurements (columns as assets/calibration/measured.csv, plus optional
engine, pp, and prefill_gpus/prefill_tp/prefill_ep columns for a disaggregated run's prefill
pool) and prints predicted vs measured per row, the median absolute error, the
share of rows within +-25% and the geometric-mean speed ratio (> 1: the model promised more than
was measured), for all rows and separately for dense and MoE models, each engine and time to first
token. SET names a shipped set: calibration (the default: dense + MoE rows the factors are fitted
on), holdout (never fitted on), dense, dense-holdout, moe, moe-holdout. --predictions FILE takes
each row's prediction from FILE (a header, then id,predicted lines; empty: none) instead of the
model, as cross-validation's folds make them (scripts/cross_validate_fit.py); the JSON then also
carries each group's mean_capped_log_error, the fit's loss.

calibrate fits the efficiency factors to a measurement CSV (same columns) and writes a catalog
overlay ({"efficiency": {...}}) to --output FILE (or stdout) that estimate, validate and list
accept with --catalog; it prints the error before and after. The search starts from the factors
in use and is weakly pulled toward them; --from-priors runs the documented fit instead, from
the physical priors in two stages (this is how the shipped factors were made: calibrate
calibration --from-priors; README, "How good is it").
)" + calibrate_flags_help() +
         R"(
list gpus --stale lists the catalog's figures older than their age rule: prices (every dollar
figure) after 6 months; specs never go stale. estimate notes a stale price it uses. Both age
figures against the system clock's date, or --today YYYY-MM-DD.

import-model reads a Hugging Face config.json (no network: you give the file) and prints a
catalog model entry, or the catalog given with --catalog extended by it.

Exit status: 0 a result (also when the model does not fit: "fits" is false),
             2 bad input (the message names the flag or JSON path), 1 internal error.
)";
}

}  // namespace pertoken::cli
