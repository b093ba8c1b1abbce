// Validation against published measurements (see validation.hpp).
#include "pertoken/validation/validation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "json/json_reader.hpp"
#include "model/parallel_layout.hpp"
#include "pertoken/model/engine_profile.hpp"
#include "pertoken/serving/estimate.hpp"

namespace pertoken {

std::vector<std::vector<std::string>> split_csv(std::string_view text, bool& unterminated) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  unterminated = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  unterminated = quoted;
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

std::optional<double> to_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == nullptr || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

// A CSV file's rows, header first; a diagnostic when a quoted field never closes or there is no
// header (`expected` says what the header should be followed by).
Result<std::vector<std::vector<std::string>>> csv_with_header(std::string_view text,
                                                              std::string_view expected) {
  bool unterminated = false;
  auto rows = split_csv(text, unterminated);
  if (unterminated) {
    return Diagnostics{{ErrorCode::json_syntax, "", "a quoted field is never closed"}};
  }
  if (rows.empty()) {
    return Diagnostics{{ErrorCode::missing_field, "",
                        "the file is empty: expected a header row" + std::string(expected)}};
  }
  return rows;
}

}  // namespace

Result<std::vector<Measurement>> parse_measurements_csv(std::string_view text) {
  Diagnostics diagnostics;
  const auto parsed = csv_with_header(text, "");
  if (!parsed.ok()) return parsed.diagnostics();
  const auto& rows = parsed.value();
  const std::vector<std::string>& header = rows.front();
  auto column = [&](std::string_view name) -> int {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  static constexpr std::string_view required[] = {
      "id",       "gpu",          "num_gpus",      "tp",          "ep",     "model", "weights",
      "kv_cache", "input_tokens", "output_tokens", "concurrency", "metric", "value"};
  for (std::string_view name : required) {
    if (column(name) < 0) {
      diagnostics.push_back({ErrorCode::missing_field, "/0/" + std::string(name),
                             "the header lacks the column '" + std::string(name) + "'"});
    }
  }
  if (!diagnostics.empty()) return diagnostics;
  // A header alone would validate to "0 rows, 0% error" and calibrate to the priors: refuse it.
  if (rows.size() < 2) {
    return Diagnostics{
        {ErrorCode::missing_field, "/1", "the CSV has a header but no measurements"}};
  }

  std::vector<Measurement> measurements;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& fields = rows[r];
    const std::string row_path = "/" + std::to_string(r);
    auto get = [&](std::string_view name) -> std::string {
      const int c = column(name);
      return c >= 0 && static_cast<std::size_t>(c) < fields.size() ? fields[c] : std::string();
    };
    auto get_int = [&](std::string_view name, int fallback, bool required_column) -> int {
      const std::string raw = get(name);
      if (raw.empty() && !required_column) return fallback;
      auto value = to_number(raw);
      if (!value || *value != std::floor(*value) || *value < 1 || *value > 1e9) {
        diagnostics.push_back({ErrorCode::wrong_type, row_path + "/" + std::string(name),
                               "must be a whole number > 0, got '" + raw + "'"});
        return fallback;
      }
      return static_cast<int>(*value);
    };
    Measurement m;
    m.id = get("id");
    m.gpu = get("gpu");
    m.model = get("model");
    m.num_gpus = get_int("num_gpus", 1, true);
    m.tp = get_int("tp", 1, true);
    m.pp = get_int("pp", 1, false);
    m.ep = get_int("ep", 1, true);
    m.prefill_gpus = get_int("prefill_gpus", 0, false);
    m.prefill_tp = get_int("prefill_tp", 0, false);
    m.prefill_ep = get_int("prefill_ep", 0, false);
    m.weights = get("weights");
    m.kv_cache = get("kv_cache");
    m.input_tokens = get_int("input_tokens", 1, true);
    m.output_tokens = get_int("output_tokens", 1, true);
    m.concurrency = get("concurrency");
    m.metric = get("metric");
    m.assumptions = get("assumptions");
    m.framework = get("framework");
    m.source_url = get("source_url");
    m.engine = get("engine");
    if (m.engine.empty()) m.engine = std::string(engine_of_framework(m.framework));
    if (auto value = to_number(get("value")); value && *value > 0) {
      m.value = *value;
    } else {
      diagnostics.push_back({ErrorCode::out_of_range, row_path + "/value",
                             "must be a number > 0, got '" + get("value") + "'"});
    }
    measurements.push_back(std::move(m));
  }
  if (!diagnostics.empty()) return diagnostics;
  return measurements;
}

std::string measurement_scenario_json(const Measurement& m) {
  nlohmann::ordered_json j;
  j["model"] = m.model;
  j["gpu"] = m.gpu;
  j["num_gpus"] = m.num_gpus;
  j["tp"] = m.tp;
  j["pp"] = m.pp;
  j["ep"] = m.ep;
  if (m.prefill_gpus > 0) j["prefill_gpus"] = m.prefill_gpus;
  if (m.prefill_tp > 0) j["prefill_tp"] = m.prefill_tp;
  if (m.prefill_ep > 0) j["prefill_ep"] = m.prefill_ep;
  j["weights"] = m.weights;
  j["kv_cache"] = m.kv_cache;
  j["input_tokens"] = m.input_tokens;
  j["output_tokens"] = m.output_tokens;
  if (!m.engine.empty()) j["engine"] = m.engine;
  const std::string& c = m.concurrency;
  if (c == "max") {
    j["concurrency"] = "max";
  } else if (auto fixed = to_number(c)) {
    j["concurrency"] = *fixed;
  } else if (auto open = c.find('('); open != std::string::npos) {
    const std::string inner = c.substr(open + 1);
    char* end = nullptr;
    const double count = std::strtod(inner.c_str(), &end);
    const std::string before = c.substr(0, c.find_last_not_of(' ', open - 1) + 1);
    const auto run_concurrency = to_number(before);
    if (std::string_view(end).starts_with(" prompts") && (run_concurrency || before == "max")) {
      // "64 (128 prompts)": a benchmark run of 128 requests at a concurrency of 64.
      j["concurrency"] = run_concurrency ? nlohmann::ordered_json(*run_concurrency) : "max";
      j["num_prompts"] = count;
    } else {
      j["request_rate_per_s"] = count;  // "low-load (2 req/s)": an open-loop arrival rate
    }
  } else {
    j["concurrency"] = c;  // the core rejects it with a message naming the field
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {

bool is_time_metric(const std::string& metric) {
  return metric == "ttft_seconds" || metric == "tpot_seconds" || metric == "e2e_latency_seconds";
}

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

ValidationSummary summarize(const std::string& name,
                            const std::vector<const ValidationRow*>& rows) {
  ValidationSummary summary;
  summary.name = name;
  summary.rows = static_cast<int>(rows.size());
  std::vector<double> absolute_errors;
  std::map<std::string, std::vector<double>> by_source;
  int within = 0;
  double log_sum = 0;
  int logged = 0;
  double capped_sum = 0;
  for (const ValidationRow* row : rows) {
    capped_sum += capped_log_error(row->predicted, row->measurement.value);
    const double absolute = row->predicted ? std::fabs(row->percent_error) : 100.0;
    if (!row->predicted) ++summary.rows_failed;
    if (absolute <= close_enough_percent) ++within;
    absolute_errors.push_back(absolute);
    by_source[row->measurement.source_url].push_back(absolute);
    if (row->predicted && *row->predicted > 0) {
      const double ratio = *row->predicted / row->measurement.value;
      log_sum += is_time_metric(row->measurement.metric) ? -std::log(ratio) : std::log(ratio);
      ++logged;
    }
  }
  if (!absolute_errors.empty()) {
    summary.median_absolute_percent_error = median_of(absolute_errors);
    summary.share_within_25_percent =
        static_cast<double>(within) / static_cast<double>(absolute_errors.size());
  }
  std::vector<double> source_medians;
  for (const auto& [source, errors] : by_source) source_medians.push_back(median_of(errors));
  summary.sources = static_cast<int>(source_medians.size());
  summary.source_weighted_median_absolute_percent_error = median_of(source_medians);
  if (logged > 0) summary.geomean_speed_ratio = std::exp(log_sum / logged);
  if (!rows.empty()) summary.mean_capped_log_error = capped_sum / static_cast<double>(rows.size());
  return summary;
}

// The report over rows whose predictions are set: subsets by dense and MoE model (by the
// catalog), each engine, the attention data-parallel layouts, time to first token (all, by
// family, by load), time per output token, throughput, and each accelerator.
ValidationReport report_of(std::vector<ValidationRow> rows, const Catalog& catalog) {
  ValidationReport report;
  report.rows = std::move(rows);
  for (const ValidationRow& row : report.rows) {
    if (!row.predicted) ++report.rows_failed;
  }
  std::vector<std::pair<std::string, std::vector<const ValidationRow*>>> subsets{
      {"all", {}}, {"dense", {}}, {"moe", {}}};
  for (const EngineProfile& profile : engine_profiles()) {
    subsets.push_back({"engine " + profile.id, {}});
  }
  subsets.push_back({"engine not stated (default)", {}});
  subsets.push_back({"attention data-parallel + ep", {}});
  subsets.push_back({"ttft", {}});
  // The TTFT target holds for dense and MoE alike, so each family is judged apart.
  subsets.push_back({"ttft dense", {}});
  subsets.push_back({"ttft moe", {}});
  subsets.push_back({"ttft alone", {}});
  subsets.push_back({"ttft loaded", {}});
  subsets.push_back({"tpot", {}});
  subsets.push_back({"throughput", {}});
  // Then one group per accelerator, in id order.
  std::set<std::string> accelerators;
  for (const ValidationRow& row : report.rows) accelerators.insert(row.measurement.gpu);
  for (const std::string& gpu : accelerators) subsets.push_back({"accelerator " + gpu, {}});
  auto add = [&](const std::string& name, const ValidationRow* row) {
    for (auto& [subset, members] : subsets) {
      if (subset == name) members.push_back(row);
    }
  };
  for (const ValidationRow& row : report.rows) {
    const Measurement& m = row.measurement;
    const ModelSpec* model = catalog.find_model(m.model);
    add("all", &row);
    const std::string family(model != nullptr ? model_family(*model) : "dense");
    add(family, &row);
    add(m.engine.empty() ? "engine not stated (default)" : "engine " + m.engine, &row);
    if (detail::attention_dp_ranks(m.num_gpus, m.tp, m.pp, m.ep) > 1) {
      add("attention data-parallel + ep", &row);
    }
    if (m.metric == "ttft_seconds") {
      add("ttft", &row);
      add("ttft " + family, &row);
    }
    if (m.metric == "ttft_seconds" && row.requests_in_flight) {
      add("ttft " + std::string(load_class(*row.requests_in_flight)), &row);
    }
    if (m.metric == "tpot_seconds") add("tpot", &row);
    // A server's throughput, not one user's speed (tokens_per_second_per_user reads as TPOT).
    if (m.metric == "output_tokens_per_second" || m.metric == "output_tokens_per_second_per_gpu" ||
        m.metric == "input_tokens_per_second" || m.metric == "requests_per_second") {
      add("throughput", &row);
    }
    add("accelerator " + m.gpu, &row);
  }
  for (const auto& [name, members] : subsets) {
    if (!members.empty()) report.groups.push_back(summarize(name, members));
  }
  if (!report.groups.empty()) {
    report.median_absolute_percent_error = report.groups.front().median_absolute_percent_error;
    report.share_within_25_percent = report.groups.front().share_within_25_percent;
  }
  return report;
}

}  // namespace

std::vector<std::string_view> measurement_set_files(std::string_view set) {
  std::vector<std::string_view> files;
  if (set == "calibration" || set == "dense") files.push_back("assets/calibration/measured.csv");
  if (set == "calibration" || set == "moe") {
    files.push_back("assets/calibration/moe_calibration.csv");
  }
  if (set == "holdout" || set == "dense-holdout") files.push_back("assets/calibration/holdout.csv");
  if (set == "holdout" || set == "moe-holdout") {
    files.push_back("assets/calibration/moe_holdout.csv");
  }
  return files;
}

std::string join_measurement_csvs(const std::vector<std::string_view>& texts) {
  std::string text;
  for (std::string_view body : texts) {
    if (!text.empty()) {
      // The shipped files share one header: keep the first file's.
      const std::size_t end = body.find('\n');
      body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    }
    text += body;
    if (!text.empty() && text.back() != '\n') text += '\n';
  }
  return text;
}

std::optional<std::string> shipped_measurements_csv(std::string_view set,
                                                    std::string* description) {
  const std::vector<std::string_view> files = measurement_set_files(set);
  if (files.empty()) return std::nullopt;
  // The texts built in (cmake/embed_text.cmake); only this function refers to them, so a module
  // that validates fetched files (the web page's) does not carry them.
  const std::pair<std::string_view, std::string_view> embedded[] = {
      {"assets/calibration/measured.csv", embedded_measured_csv()},
      {"assets/calibration/moe_calibration.csv", embedded_moe_calibration_csv()},
      {"assets/calibration/holdout.csv", embedded_holdout_csv()},
      {"assets/calibration/moe_holdout.csv", embedded_moe_holdout_csv()}};
  std::vector<std::string_view> texts;
  std::string names;
  for (std::string_view file : files) {
    for (const auto& [path, text] : embedded) {
      if (path == file) texts.push_back(text);
    }
    names += (names.empty() ? "" : " + ") + std::string(file);
  }
  if (description != nullptr) *description = names;
  return join_measurement_csvs(texts);
}

ValidationReport validate_measurements(const std::vector<Measurement>& measurements,
                                       const Catalog& catalog) {
  std::vector<ValidationRow> rows;
  for (const Measurement& m : measurements) {
    ValidationRow row;
    row.measurement = m;
    const std::string result_text = evaluate_scenario_json(measurement_scenario_json(m), catalog);
    const auto result = detail::parse_trusted_json(result_text);
    if (result.contains("errors")) {
      const auto& first = result["errors"][0];
      row.error = first.value("path", "") + ": " + first.value("message", "");
    } else if (!result.value("fits", false)) {
      row.error = "does not fit: " + result.value("limit_detail", "");
    } else if (auto it = result.find(m.metric); it == result.end() || !it->is_number()) {
      row.error = "no numeric result named '" + m.metric + "'";
    } else {
      row.predicted = it->get<double>();
      row.percent_error = (*row.predicted - m.value) / m.value * 100.0;
      if (auto c = result.find("concurrency"); c != result.end() && c->is_number()) {
        row.requests_in_flight = c->get<double>();
      }
    }
    rows.push_back(std::move(row));
  }
  return report_of(std::move(rows), catalog);
}

double capped_log_error(std::optional<double> predicted, double measured) {
  if (!predicted || *predicted <= 0 || measured <= 0) return 1.0;
  return std::min(std::fabs(std::log(*predicted / measured)), 1.0);
}

Result<std::vector<GivenPrediction>> parse_predictions_csv(std::string_view text) {
  Diagnostics diagnostics;
  const auto parsed = csv_with_header(text, ", then id,predicted rows");
  if (!parsed.ok()) return parsed.diagnostics();
  const auto& rows = parsed.value();
  std::vector<GivenPrediction> predictions;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& fields = rows[r];
    const std::string row_path = "/" + std::to_string(r);
    if (fields.size() != 2 || fields[0].empty()) {
      diagnostics.push_back({ErrorCode::wrong_type, row_path,
                             "must be two fields, a row id and its prediction (empty: none)"});
      continue;
    }
    GivenPrediction given{fields[0], std::nullopt};
    if (!fields[1].empty()) {
      given.predicted = to_number(fields[1]);
      if (!given.predicted || *given.predicted < 0) {
        diagnostics.push_back({ErrorCode::wrong_type, row_path + "/predicted",
                               "must be a number >= 0 or empty, got '" + fields[1] + "'"});
        continue;
      }
    }
    predictions.push_back(std::move(given));
  }
  if (!diagnostics.empty()) return diagnostics;
  return predictions;
}

Result<ValidationReport> validation_report_from_predictions(
    const std::vector<Measurement>& measurements, const std::vector<GivenPrediction>& predictions,
    const Catalog& catalog) {
  Diagnostics diagnostics;
  std::vector<ValidationRow> rows;
  for (const Measurement& m : measurements) {
    ValidationRow row;
    row.measurement = m;
    row.error = "no prediction given";
    rows.push_back(std::move(row));
  }
  std::vector<bool> given(rows.size(), false);
  for (std::size_t p = 0; p < predictions.size(); ++p) {
    const GivenPrediction& prediction = predictions[p];
    const std::string path = "/" + std::to_string(p + 1) + "/id";
    auto it = std::find_if(rows.begin(), rows.end(), [&](const ValidationRow& row) {
      return row.measurement.id == prediction.id;
    });
    if (it == rows.end()) {
      diagnostics.push_back(
          {ErrorCode::unknown_id, path, "'" + prediction.id + "' is not a row of the set"});
      continue;
    }
    const std::size_t index = static_cast<std::size_t>(it - rows.begin());
    if (given[index]) {
      diagnostics.push_back(
          {ErrorCode::duplicate_id, path, "'" + prediction.id + "' is given more than once"});
      continue;
    }
    given[index] = true;
    if (prediction.predicted) {
      it->predicted = prediction.predicted;
      it->percent_error = (*it->predicted - it->measurement.value) / it->measurement.value * 100;
      it->error.clear();
    }
  }
  if (!diagnostics.empty()) return diagnostics;
  return report_of(std::move(rows), catalog);
}

}  // namespace pertoken
