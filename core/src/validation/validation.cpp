// Validation against published measurements (see validation.hpp).
#include "pertoken/validation/validation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "pertoken/serving/estimate.hpp"

namespace pertoken {
namespace {

// Splits CSV text into rows of fields, honouring double-quoted fields with "" escapes.
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

std::optional<double> to_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == nullptr || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

Result<std::vector<Measurement>> parse_measurements_csv(std::string_view text) {
  Diagnostics diagnostics;
  bool unterminated = false;
  const auto rows = split_csv(text, unterminated);
  if (unterminated) {
    diagnostics.push_back({ErrorCode::json_syntax, "", "a quoted field is never closed"});
    return diagnostics;
  }
  if (rows.empty()) {
    diagnostics.push_back(
        {ErrorCode::missing_field, "", "the file is empty: expected a header row"});
    return diagnostics;
  }
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
    m.weights = get("weights");
    m.kv_cache = get("kv_cache");
    m.input_tokens = get_int("input_tokens", 1, true);
    m.output_tokens = get_int("output_tokens", 1, true);
    m.concurrency = get("concurrency");
    m.metric = get("metric");
    m.assumptions = get("assumptions");
    m.framework = get("framework");
    m.source_url = get("source_url");
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
  j["weights"] = m.weights;
  j["kv_cache"] = m.kv_cache;
  j["input_tokens"] = m.input_tokens;
  j["output_tokens"] = m.output_tokens;
  const std::string& c = m.concurrency;
  if (c == "max") {
    j["concurrency"] = "max";
  } else if (auto fixed = to_number(c)) {
    j["concurrency"] = *fixed;
  } else if (auto open = c.find('('); open != std::string::npos) {
    // "low-load (2 req/s)": an open-loop arrival rate.
    const std::string inner = c.substr(open + 1);
    char* end = nullptr;
    const double rate = std::strtod(inner.c_str(), &end);
    j["request_rate_per_s"] = rate;
  } else {
    j["concurrency"] = c;  // the core rejects it with a message naming the field
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

ValidationReport validate_measurements(const std::vector<Measurement>& measurements,
                                       const Catalog& catalog) {
  ValidationReport report;
  std::vector<double> absolute_errors;
  int within = 0;
  for (const Measurement& m : measurements) {
    ValidationRow row;
    row.measurement = m;
    const std::string result_text = evaluate_scenario_json(measurement_scenario_json(m), catalog);
    const auto result = nlohmann::json::parse(result_text, nullptr, false);
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
    }
    const double absolute = row.predicted ? std::fabs(row.percent_error) : 100.0;
    if (!row.predicted) ++report.rows_failed;
    if (absolute <= 25.0) ++within;
    absolute_errors.push_back(absolute);
    report.rows.push_back(std::move(row));
  }
  if (!absolute_errors.empty()) {
    std::sort(absolute_errors.begin(), absolute_errors.end());
    const std::size_t n = absolute_errors.size();
    report.median_absolute_percent_error =
        n % 2 ? absolute_errors[n / 2]
              : 0.5 * (absolute_errors[n / 2 - 1] + absolute_errors[n / 2]);
    report.share_within_25_percent = static_cast<double>(within) / static_cast<double>(n);
  }
  return report;
}

}  // namespace pertoken
