// The CLI's commands: estimate, list, validate-catalog.
#include "commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "format.hpp"
#include "import_model.hpp"
#include "pertoken/catalog/catalog.hpp"
#include "pertoken/catalog/staleness.hpp"
#include "pertoken/json/json_api.hpp"
#include "pertoken/plan/plan_json.hpp"
#include "pertoken/plan/sensitivity.hpp"
#include "pertoken/plan/volume_sweep.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/scenario/presets.hpp"
#include "pertoken/search/sweeps.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/text/figure_text.hpp"
#include "pertoken/validation/calibration.hpp"
#include "pertoken/validation/validation.hpp"
#include "pertoken/version.hpp"
#include "read_file.hpp"

namespace pertoken::cli {
namespace {

void print_diagnostics(std::ostream& err, const std::string& origin,
                       const Diagnostics& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    err << "pertoken: " << origin << (origin.empty() ? "" : ": ") << d.to_string() << "\n";
  }
}

// The built-in catalog, extended by --catalog FILE when given. Returns an exit code != 0 on error.
int load_catalog(const Command& command, Catalog& catalog, std::ostream& err) {
  if (!embedded_catalog_diagnostics().empty()) {
    err << "pertoken: internal error: the built-in catalog is invalid\n";
    print_diagnostics(err, "built-in catalog", embedded_catalog_diagnostics());
    return exit_internal_error;
  }
  catalog = embedded_catalog_with_prices();
  if (!command.catalog_file) return exit_ok;
  std::string error;
  auto text = read_file(*command.catalog_file, error);
  if (!text) {
    err << "pertoken: --catalog: cannot read " << *command.catalog_file << ": " << error << "\n";
    return exit_bad_input;
  }
  Result<Catalog> extended = extend_catalog(std::move(catalog), *text);
  if (!extended.ok()) {
    print_diagnostics(err, *command.catalog_file, extended.diagnostics());
    return exit_bad_input;
  }
  catalog = std::move(extended).value();
  return exit_ok;
}

// The date figures are aged against: --today, else the system clock's (UTC) date. The core has no
// clock; this is where the CLI reads it. Returns false after printing why --today is not a date.
bool today_of(const Command& command, std::string& today, std::ostream& err) {
  if (command.today) {
    if (!parse_today(*command.today)) {
      err << "pertoken: --today: must be a date YYYY-MM-DD, got '" << *command.today << "'\n";
      return false;
    }
    today = *command.today;
    return true;
  }
  const std::chrono::year_month_day date{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  today = text;
  return true;
}

// Where a diagnostic came from, in the user's words: the flag that set the key, else the
// scenario file and its JSON path.
std::string where(const Command& command, const Diagnostic& d) {
  const std::string& path = d.json_path;
  const std::size_t slash = path.find('/', 1);
  const std::string key = path.size() > 1 ? path.substr(1, slash - 1) : "";
  const ScenarioField* field = find_scenario_field(key);
  if (field == nullptr) {
    for (const ScenarioField& f : plan_fields()) {
      if (f.key == key) field = &f;
    }
    for (const ScenarioField& f : sensitivity_fields()) {
      if (f.key == key) field = &f;
    }
    for (const ScenarioField& f : comparison_fields()) {
      if (f.key == key) field = &f;
    }
  }
  auto flag = command.flag_of_key.find(field ? std::string(field->key) : key);
  if (flag != command.flag_of_key.end()) {
    return flag->second + (slash != std::string::npos ? " " + path : "");
  }
  if (d.code == ErrorCode::missing_field && field && !command.scenario_file) {
    return std::string(field->flag);
  }
  if (command.scenario_file) return *command.scenario_file + ": " + (path.empty() ? "/" : path);
  return path.empty() ? "/" : path;
}

// The request document of estimate, sweep, plan and sensitivity: the file `flag` names (or {}),
// the flags laid over it by the core. nullopt after printing why when there is none.
std::optional<std::string> request_document(
    const Command& command, const char* flag, std::ostream& err,
    Result<std::string> (*overlay)(std::string_view,
                                   const std::vector<std::pair<std::string, std::string>>&) =
        overlay_scenario) {
  std::string text = "{}";
  if (command.scenario_file) {
    std::string error;
    auto file = read_file(*command.scenario_file, error);
    if (!file || file->empty()) {
      err << "pertoken: " << flag << ": cannot read " << *command.scenario_file << ": "
          << (file ? "the file is empty" : error) << "\n";
      return std::nullopt;
    }
    text = *file;
  }
  Result<std::string> merged = overlay(text, command.scenario_overrides);
  if (!merged.ok()) {
    print_diagnostics(err, command.scenario_file.value_or(flag), merged.diagnostics());
    return std::nullopt;
  }
  return std::move(merged).value();
}

// The scenario of estimate and sweep: the --scenario file, the flags over it, checked by the
// core. Returns an exit code != 0 after printing why when there is none.
int resolve_scenario(const Command& command, const Catalog& catalog, Scenario& scenario,
                     std::ostream& err, ComparisonOptions* comparison = nullptr) {
  const std::optional<std::string> merged = request_document(command, "--scenario", err);
  if (!merged) return exit_bad_input;
  Result<SweepRequest> parsed =
      comparison ? parse_sweep_request(*merged, catalog) : Result<SweepRequest>(Diagnostics{});
  Result<Scenario> scenario_only =
      comparison ? Result<Scenario>(Diagnostics{}) : parse_scenario(*merged, catalog);
  const bool ok = comparison ? parsed.ok() : scenario_only.ok();
  if (!ok) {
    for (const Diagnostic& d : comparison ? parsed.diagnostics() : scenario_only.diagnostics()) {
      const bool missing = d.code == ErrorCode::missing_field && !command.scenario_file;
      err << "pertoken: " << where(command, d) << ": " << d.message
          << (missing ? " (or give it in --scenario)" : "") << "\n";
    }
    return exit_bad_input;
  }
  if (comparison) {
    scenario = parsed.value().scenario;
    *comparison = parsed.value().options;
  } else {
    scenario = std::move(scenario_only).value();
  }
  return exit_ok;
}

int estimate_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (!command.positionals.empty()) {
    err << "pertoken: estimate: unexpected argument '" << command.positionals.front() << "'\n";
    return exit_bad_input;
  }
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  Scenario scenario;
  if (int code = resolve_scenario(command, catalog, scenario, err); code != exit_ok) return code;
  std::string today;
  if (!today_of(command, today, err)) return exit_bad_input;
  Estimate result = estimate_with_uncertainty(scenario, catalog.efficiency);
  if (auto note = stale_price_note(scenario.gpu, scenario.usd_per_gpu_hour, today)) {
    result.notes.push_back(std::move(*note));
  }
  switch (command.format) {
    case Format::json: out << estimate_to_json(scenario, result) << "\n"; break;
    case Format::csv: out << estimate_to_csv(scenario, result); break;
    case Format::table:
      write_estimate_table(scenario, result, out);
      // In the words of the page and the app: the core's, from the same result JSON.
      if (command.why)
        write_why(why_this_number(estimate_to_json(scenario, result), scenario), out);
      break;
  }
  return exit_ok;
}

// The plan request of `plan` and `sweep volume`: --plan FILE with the flags over it, checked by the
// core; nullopt after printing its errors.
std::optional<PlanRequest> read_plan_request(const Command& command, const Catalog& catalog,
                                             std::ostream& err) {
  const std::optional<std::string> merged =
      request_document(command, "--plan", err, overlay_plan_request);
  if (!merged) return std::nullopt;
  Result<PlanRequest> request = parse_plan_request(*merged, catalog);
  if (!request.ok()) {
    for (const Diagnostic& d : request.diagnostics()) {
      err << "pertoken: " << where(command, d) << ": " << d.message << "\n";
    }
    return std::nullopt;
  }
  return std::move(request.value());
}

// `sweep volume`: a plan request (as `plan` takes it), the plan at each volume of the core's
// ladder, with the APIs' prices and break-even volumes.
int volume_sweep_command(const Command& command, std::ostream& out, std::ostream& err) {
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  const std::optional<PlanRequest> request = read_plan_request(command, catalog, err);
  if (!request) return exit_bad_input;
  const VolumeSweep sweep = volume_sweep(*request, catalog);
  switch (command.format) {
    case Format::json: out << volume_sweep_to_json(sweep) << "\n"; break;
    case Format::csv: out << volume_sweep_to_csv(sweep); break;
    case Format::table: write_volume_sweep_table(sweep, out); break;
  }
  return exit_ok;
}

int sweep_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (command.positionals.size() == 1 && command.positionals[0] == "volume") {
    return volume_sweep_command(command, out, err);
  }
  const std::optional<SweepKind> kind =
      command.positionals.size() == 1 ? parse_sweep_kind(command.positionals[0]) : std::nullopt;
  if (!kind) {
    err << "pertoken: sweep: say which: batching, memory, context, gpus or volume\n";
    return exit_bad_input;
  }
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  Scenario scenario;
  ComparisonOptions comparison;
  if (int code = resolve_scenario(command, catalog, scenario, err, &comparison); code != exit_ok) {
    return code;
  }
  const Sweep sweep = run_sweep(*kind, scenario, catalog, comparison);
  switch (command.format) {
    case Format::json: out << sweep_to_json(sweep, catalog) << "\n"; break;
    case Format::csv: out << sweep_to_csv(sweep, catalog); break;
    case Format::table: write_sweep_table(sweep, catalog, out); break;
  }
  return exit_ok;
}

int plan_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (!command.positionals.empty()) {
    err << "pertoken: plan: unexpected argument '" << command.positionals.front() << "'\n";
    return exit_bad_input;
  }
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  const std::optional<PlanRequest> request = read_plan_request(command, catalog, err);
  if (!request) return exit_bad_input;
  const Plan plan = make_plan(*request, catalog);
  switch (command.format) {
    case Format::json: out << plan_to_json(*request, plan) << "\n"; break;
    case Format::csv: out << plan_to_csv(plan); break;
    case Format::table: write_plan_table(*request, plan, out); break;
  }
  return exit_ok;
}

int sensitivity_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (!command.positionals.empty()) {
    err << "pertoken: sensitivity: unexpected argument '" << command.positionals.front() << "'\n";
    return exit_bad_input;
  }
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  const std::optional<std::string> merged = request_document(command, "--scenario", err);
  if (!merged) return exit_bad_input;
  Result<SensitivityRequest> request = parse_sensitivity_request(*merged, catalog);
  if (!request.ok()) {
    for (const Diagnostic& d : request.diagnostics()) {
      const bool missing = d.code == ErrorCode::missing_field && !command.scenario_file;
      err << "pertoken: " << where(command, d) << ": " << d.message
          << (missing ? " (or give it in --scenario)" : "") << "\n";
    }
    return exit_bad_input;
  }
  const Sensitivity result = run_sensitivity(request.value(), catalog.efficiency);
  switch (command.format) {
    case Format::json: out << sensitivity_to_json(request.value(), result) << "\n"; break;
    case Format::csv: write_sensitivity_csv(result, out); break;
    case Format::table: write_sensitivity_table(request.value(), result, out); break;
  }
  return exit_ok;
}

int schema_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (command.positionals.size() != 1 || command.positionals[0] != "scenario") {
    err << "pertoken: schema: say which: scenario\n";
    return exit_bad_input;
  }
  out << scenario_schema_json() << "\n";
  return exit_ok;
}

// The workload presets (the core's table): JSON as the web page reads it, CSV, or a table.
void write_preset_list(Format format, std::ostream& out) {
  if (format == Format::json) {
    out << workload_presets_json() << "\n";
    return;
  }
  if (format == Format::csv) {
    out << "id,name,input_tokens,output_tokens,max_ttft_seconds,max_tpot_seconds,reason\n";
    for (const WorkloadPreset& p : workload_presets()) {
      out << p.id << ",\"" << p.name << "\"," << p.input_tokens << "," << p.output_tokens << ","
          << p.max_ttft_s << "," << p.max_tpot_s << ",\"" << p.reason << "\"\n";
    }
    return;
  }
  char line[160];
  std::snprintf(line, sizeof line, "%-20s %8s %8s %10s %10s\n", "preset", "input", "output",
                "TTFT max", "TPOT max");
  out << line;
  for (const WorkloadPreset& p : workload_presets()) {
    std::snprintf(line, sizeof line, "%-20s %8d %8d %8.3g s %7.3g ms\n", std::string(p.id).c_str(),
                  p.input_tokens, p.output_tokens, p.max_ttft_s, p.max_tpot_s * 1000);
    out << line << "  " << p.name << ": " << p.reason << "\n";
  }
  out << "Use one with --preset ID (its input and output tokens unless given; the result checks "
         "its latency target).\n";
}

int list_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (command.positionals.size() == 1 && command.positionals[0] == "bands") {
    // The uncertainty bands by regime, from the shipped measurements: what
    // assets/calibration/bands.json holds for the web modules.
    out << residual_bands_json() << "\n";
    return exit_ok;
  }
  if (command.positionals.size() == 1 && command.positionals[0] == "fields") {
    // The scenario field table, as the web form grows from it.
    write_field_list(command.format, out);
    return exit_ok;
  }
  if (command.positionals.size() == 1 && command.positionals[0] == "presets") {
    write_preset_list(command.format, out);
    return exit_ok;
  }
  if (command.positionals.size() != 1 ||
      (command.positionals[0] != "gpus" && command.positionals[0] != "models")) {
    err << "pertoken: list: say what to list: gpus, models, fields or presets\n";
    return exit_bad_input;
  }
  if (command.stale && command.positionals[0] != "gpus") {
    err << "pertoken: list: --stale lists the gpus' stale figures (list gpus --stale)\n";
    return exit_bad_input;
  }
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  std::string today;
  if (command.stale) {
    if (!today_of(command, today, err)) return exit_bad_input;
    write_stale_list(stale_figures(catalog, today), today, command.format, out);
  } else if (command.positionals[0] == "gpus") {
    write_gpu_list(catalog, command.format, out);
  } else {
    write_model_list(catalog, command.format, out);
  }
  return exit_ok;
}

int validate_catalog_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (command.positionals.size() != 1) {
    err << "pertoken: validate-catalog: give one catalog FILE\n";
    return exit_bad_input;
  }
  const std::string& path = command.positionals[0];
  std::string error;
  auto text = read_file(path, error);
  if (!text) {
    err << "pertoken: validate-catalog: cannot read " << path << ": " << error << "\n";
    return exit_bad_input;
  }
  CatalogFileSummary file;
  const Result<Catalog> extended = apply_catalog_file(embedded_catalog_with_prices(), *text, file);
  if (!extended.ok()) {
    print_diagnostics(err, path, extended.diagnostics());
    return exit_bad_input;
  }
  const auto count = [](std::size_t n, std::string_view noun) {
    return format_count(static_cast<double>(n), noun);
  };
  out << path << ": ok: " << count(file.gpus, "accelerator") << ", " << count(file.models, "model")
      << (file.efficiency_overlay ? ", efficiency overlay" : "") << "\n";
  if (file.unsourced_figures > 0) {
    out << path << ": " << count(file.unsourced_figures, "figure")
        << (file.unsourced_figures == 1 ? " lacks" : " lack")
        << " a source URL or as_of date (required for the shipped catalog only)\n";
  }
  return exit_ok;
}

// The measurement CSV a command names: a file, or a shipped set (calibration, holdout, dense,
// dense-holdout, moe, moe-holdout).
bool read_measurements(const std::string& which, std::string& name, std::string& text,
                       std::ostream& err) {
  std::string files;
  if (auto shipped = shipped_measurements_csv(which, &files)) {
    name = which + " set (" + files + ")";
    text = *shipped;
  } else {
    name = which;
    std::string error;
    auto file = read_file(which, error);
    if (!file) {
      err << "pertoken: cannot read " << which << ": " << error << "\n";
      return false;
    }
    text = *file;
  }
  return true;
}

int validate_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (command.positionals.size() > 1) {
    err << "pertoken: validate: give at most one measurement CSV\n";
    return exit_bad_input;
  }
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  std::string name;
  std::string text;
  const std::string which = command.positionals.empty() ? "calibration" : command.positionals[0];
  if (!read_measurements(which, name, text, err)) return exit_bad_input;
  Result<std::vector<Measurement>> measurements = parse_measurements_csv(text);
  if (!measurements.ok()) {
    print_diagnostics(err, name, measurements.diagnostics());
    return exit_bad_input;
  }
  if (!command.predictions_file) {
    write_validation(validate_measurements(measurements.value(), catalog), name, command.format,
                     out);
    return exit_ok;
  }
  // Predictions made elsewhere (cross-validation's folds) summarised by the same rules.
  const std::string& path = *command.predictions_file;
  std::string error;
  const auto file = read_file(path, error);
  if (!file) {
    err << "pertoken: cannot read " << path << ": " << error << "\n";
    return exit_bad_input;
  }
  const Result<std::vector<GivenPrediction>> predictions = parse_predictions_csv(*file);
  if (!predictions.ok()) {
    print_diagnostics(err, path, predictions.diagnostics());
    return exit_bad_input;
  }
  const Result<ValidationReport> report =
      validation_report_from_predictions(measurements.value(), predictions.value(), catalog);
  if (!report.ok()) {
    print_diagnostics(err, path, report.diagnostics());
    return exit_bad_input;
  }
  write_validation(report.value(), name + ", predictions from " + path, command.format, out);
  return exit_ok;
}

int calibrate_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (command.positionals.size() != 1) {
    err << "pertoken: calibrate: give one measurement CSV (or calibration / holdout)\n";
    return exit_bad_input;
  }
  Catalog catalog;
  if (int code = load_catalog(command, catalog, err); code != exit_ok) return code;
  const Result<CalibrationOptions> options =
      calibration_options(command.calibration, catalog.efficiency);
  if (!options.ok()) {
    // "/then_fit" -> "--then-fit": the refusal names the flag that gave the list.
    for (const Diagnostic& d : options.diagnostics()) {
      std::string flag = "--" + d.json_path.substr(1);
      std::replace(flag.begin(), flag.end(), '_', '-');
      err << "pertoken: calibrate: " << flag << ": " << d.message << "\n";
    }
    return exit_bad_input;
  }
  std::string name;
  std::string text;
  if (!read_measurements(command.positionals[0], name, text, err)) return exit_bad_input;
  Result<std::vector<Measurement>> measurements = parse_measurements_csv(text);
  if (!measurements.ok()) {
    print_diagnostics(err, name, measurements.diagnostics());
    return exit_bad_input;
  }
  const CalibrationResult result = calibrate(measurements.value(), catalog, options.value());
  const std::string overlay = efficiency_overlay_json(result.fitted);
  std::ostream& report = command.output_file ? out : err;
  char line[512];
  std::snprintf(
      line, sizeof line,
      "%s: %zu rows\n  before: median absolute error %.1f%%, within +-%.0f%%: %.0f%%\n"
      "  after:  median absolute error %.1f%%, within +-%.0f%%: %.0f%%  (%d evaluations)\n"
      "  loss (mean |ln(predicted / measured)| + prior penalty, what the fit minimises): %.4f -> "
      "%.4f\n",
      name.c_str(), result.before.rows.size(), result.before.median_absolute_percent_error,
      close_enough_percent, result.before.share_within_25_percent * 100,
      result.after.median_absolute_percent_error, close_enough_percent,
      result.after.share_within_25_percent * 100, result.evaluations, result.loss_before,
      result.loss_after);
  report << line;
  if (command.output_file) {
    std::ofstream file(*command.output_file);
    file << overlay << "\n";
    if (!file) {
      err << "pertoken: --output: cannot write " << *command.output_file << "\n";
      return exit_bad_input;
    }
    out << "  wrote " << *command.output_file << " (use it with --catalog)\n";
  } else {
    out << overlay << "\n";
  }
  return exit_ok;
}

}  // namespace

int run_command(const Command& command, std::ostream& out, std::ostream& err) {
  if (command.name == "help") {
    out << help_text();
    return exit_ok;
  }
  if (command.name == "version") {
    out << "pertoken " << version() << "\n";
    return exit_ok;
  }
  if (command.name == "estimate") return estimate_command(command, out, err);
  if (command.name == "sweep") return sweep_command(command, out, err);
  if (command.name == "schema") return schema_command(command, out, err);
  if (command.name == "plan") return plan_command(command, out, err);
  if (command.name == "sensitivity") return sensitivity_command(command, out, err);
  if (command.name == "import-model") {
    return import_model_command(command.positionals, command.import_id, command.import_name,
                                command.catalog_file, out, err);
  }
  if (command.name == "list") return list_command(command, out, err);
  if (command.name == "validate-catalog") return validate_catalog_command(command, out, err);
  if (command.name == "validate") return validate_command(command, out, err);
  if (command.name == "calibrate") return calibrate_command(command, out, err);
  err << "pertoken: unknown command '" << command.name << "'\n";
  return exit_bad_input;
}

}  // namespace pertoken::cli
