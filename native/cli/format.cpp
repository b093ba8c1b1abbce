// Output formats of the CLI: tables for people, CSV for spreadsheets, JSON lists of the catalog.
#include "format.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pertoken/json/json_api.hpp"
#include "pertoken/units.hpp"

namespace pertoken::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string printf_string(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// A number with about three significant digits, for values of any magnitude.
std::string sig3(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 100) return with_separators(value, 0);
  if (magnitude >= 10) return printf_string("%.1f", value);
  if (magnitude >= 1) return printf_string("%.2f", value);
  if (magnitude >= 0.01) return printf_string("%.3f", value);
  if (magnitude == 0) return "0";
  return printf_string("%.2g", value);
}

std::string seconds(double s) {
  if (s < 1e-3) return sig3(s * 1e6) + " µs";
  if (s < 1) return sig3(s * 1e3) + " ms";
  return sig3(s) + " s";
}

std::string gib(double bytes) { return sig3(bytes / units::bytes_per_gib) + " GiB"; }

std::string bytes_short(double bytes) {
  if (bytes >= units::bytes_per_gib) return gib(bytes);
  if (bytes >= 1024.0 * 1024) return sig3(bytes / (1024.0 * 1024)) + " MiB";
  if (bytes >= 1024.0) return sig3(bytes / 1024.0) + " KiB";
  return sig3(bytes) + " B";
}

std::string dollars(double usd) { return "$" + sig3(usd); }

std::string whole(double value) { return with_separators(value, 0); }

double num(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : std::nan("");
}

std::string text(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// "  (P10-P90 1.2-3.4 ms)" from the result's uncertainty band, formatted like the value.
std::string band(const Json& r, const char* key, std::string (*format)(double)) {
  const auto it = r.find("uncertainty");
  if (it == r.end() || !it->is_object() || !it->contains(key)) return "";
  const Json& b = (*it)[key];
  return "  [P10-P90 " + format(b[0].get<double>()) + " to " + format(b[1].get<double>()) + "]";
}

void row(std::ostream& out, const std::string& label, const std::string& value) {
  out << "  " << label;
  for (std::size_t i = label.size(); i < 26; ++i) out << ' ';
  out << value << "\n";
}

std::string csv_escape(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_value(const Json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return csv_escape(value.get<std::string>());
  return value.dump();
}

}  // namespace

std::string with_separators(double value, int decimals) {
  std::string digits = printf_string(decimals == 0 ? "%.0f" : "%.1f", std::fabs(value));
  if (decimals > 1) digits = printf_string("%.2f", std::fabs(value));
  const std::size_t point = digits.find('.');
  std::string whole = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i != 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return (value < 0 ? "-" : "") + out + fraction;
}

void write_estimate_table(const Json& r, const Catalog& catalog, std::ostream& out) {
  const Json& s = r["scenario"];
  const GpuSpec* gpu = catalog.find_gpu(text(s, "gpu"));
  const ModelSpec* model = catalog.find_model(text(s, "model"));
  const std::string gpu_name = gpu ? gpu->name : text(s, "gpu");
  const std::string model_name = model ? model->name : text(s, "model");
  out << model_name << " on " << text(s, "num_gpus") << " x " << gpu_name << "  (tp "
      << text(s, "tp") << ", pp " << text(s, "pp") << ", ep " << text(s, "ep") << "; weights "
      << text(s, "weights") << ", KV cache " << text(s, "kv_cache") << ")\n";
  out << "Workload: " << with_separators(num(s, "input_tokens"), 0) << " input + "
      << with_separators(num(s, "output_tokens"), 0) << " output tokens per request, ";
  if (s.contains("request_rate_per_s")) {
    out << sig3(num(s, "request_rate_per_s")) << " requests/s arriving\n\n";
  } else {
    out << "concurrency " << text(s, "concurrency") << "\n\n";
  }

  const Json& m = r["memory"];
  const bool fits = r.value("fits", false);
  out << "Memory per GPU: " << (fits ? "fits" : "DOES NOT FIT") << "\n";
  row(out, "capacity", gib(num(m, "capacity_bytes")));
  row(out, "weights", gib(num(m, "weights_bytes")));
  row(out, "activations", gib(num(m, "activation_bytes")));
  row(out, "runtime reserve", gib(num(m, "runtime_reserved_bytes")));
  row(out, "KV cache pool", gib(num(m, "kv_cache_pool_bytes")));
  row(out, "KV cache per token",
      bytes_short(num(r, "kv_cache_bytes_per_token")) + " (model), " +
          bytes_short(num(m, "kv_cache_bytes_per_token_per_gpu")) + " per GPU");
  row(out, "max concurrency", with_separators(num(r, "max_concurrency"), 0));
  row(out, "limited by", text(r, "limit_reason") + ": " + text(r, "limit_detail"));
  if (!fits) {
    out << "\nNo throughput or cost: the model does not fit this deployment.\n";
    return;
  }
  row(out, "KV cache in use",
      gib(num(m, "kv_cache_used_bytes")) + " at " + sig3(num(r, "running_concurrency")) +
          " running requests");

  out << "\nLatency\n";
  row(out, "time to first token",
      seconds(num(r, "ttft_seconds")) + band(r, "ttft_seconds", seconds));
  row(out, "time per output token",
      seconds(num(r, "tpot_seconds")) + "  (" + sig3(num(r, "tokens_per_second_per_user")) +
          " tokens/s per user)" + band(r, "tpot_seconds", seconds));
  row(out, "end-to-end", seconds(num(r, "e2e_latency_seconds")));
  out << "Throughput\n";
  row(out, "output",
      with_separators(num(r, "output_tokens_per_second"), 0) + " tokens/s  (" +
          with_separators(num(r, "output_tokens_per_second_per_gpu"), 0) + " per GPU)" +
          band(r, "output_tokens_per_second", whole));
  row(out, "input", with_separators(num(r, "input_tokens_per_second"), 0) + " tokens/s");
  row(out, "requests", sig3(num(r, "requests_per_second")) + " /s");
  row(out, "decode bound by", text(r, "decode_bound"));

  out << "Cost";
  if (r["usd_per_hour"].is_null()) {
    out << ": no price (give --usd-per-gpu-hour)\n";
  } else {
    out << " at " << dollars(num(s, "usd_per_gpu_hour")) << " per GPU-hour ("
        << dollars(num(r, "usd_per_hour")) << "/hour)\n";
    row(out, "per million tokens",
        dollars(num(r, "usd_per_million_tokens")) + band(r, "usd_per_million_tokens", dollars));
    row(out, "  input / output",
        dollars(num(r, "usd_per_million_input_tokens")) + " / " +
            dollars(num(r, "usd_per_million_output_tokens")));
  }
  if (!r["joules_per_output_token"].is_null()) {
    out << "Energy\n";
    row(out, "per output token", sig3(num(r, "joules_per_output_token")) + " J (at TDP)");
  }

  auto step_line = [&](const char* title, const Json& b) {
    out << title << " " << seconds(num(b, "total_seconds")) << ": weights "
        << seconds(num(b, "weight_reads_seconds")) << ", KV " << seconds(num(b, "kv_reads_seconds"))
        << ", compute " << seconds(num(b, "compute_seconds")) << ", communication "
        << seconds(num(b, "communication_seconds")) << ", overhead "
        << seconds(num(b, "overhead_seconds")) << ", overlap " << seconds(num(b, "overlap_seconds"))
        << " saved\n";
  };
  if (r.contains("uncertainty_basis") && r["uncertainty_basis"].is_object()) {
    const Json& basis = r["uncertainty_basis"];
    out << "  bands: P10-P90 of measured/predicted on " << text(basis, "throughput_regime_rows")
        << " published " << text(basis, "throughput_regime") << " runs (pertoken validate)\n";
  }
  out << "\nWhy\n";
  step_line("  decode step", r["breakdown"]["decode_step"]);
  step_line("  prefill    ", r["breakdown"]["prefill"]);
  if (!r["notes"].empty()) {
    out << "\nNotes\n";
    for (const auto& note : r["notes"]) out << "  - " << note.get<std::string>() << "\n";
  }
}

void write_estimate_csv(const Json& result, std::ostream& out) {
  // One header row and one value row of the scalar keys (scenario keys prefixed).
  std::vector<std::pair<std::string, Json>> cells;
  for (auto it = result["scenario"].begin(); it != result["scenario"].end(); ++it) {
    cells.emplace_back("scenario." + it.key(), it.value());
  }
  for (auto it = result.begin(); it != result.end(); ++it) {
    if (it->is_primitive()) cells.emplace_back(it.key(), it.value());
  }
  for (const char* part : {"prefill", "decode_step"}) {
    const Json& b = result["breakdown"][part];
    if (!b.is_object()) continue;
    for (auto it = b.begin(); it != b.end(); ++it) {
      cells.emplace_back(std::string(part) + "." + it.key(), it.value());
    }
  }
  for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << cells[i].first;
  out << "\n";
  for (std::size_t i = 0; i < cells.size(); ++i)
    out << (i ? "," : "") << csv_value(cells[i].second);
  out << "\n";
}

namespace {

std::string tflops(const GpuSpec& g, Precision p) {
  const PeakRate& rate = g.peak(p);
  if (!rate.supported) return "-";
  if (!rate.flop_per_s) return "?";
  return with_separators(*rate.flop_per_s / units::flop_per_tflop, 0);
}

std::string optional_text(const std::optional<double>& value, const char* format) {
  return value ? printf_string(format, *value) : "?";
}

void write_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& r : rows) {
    widths.resize(std::max(widths.size(), r.size()));
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], r[i].size());
  }
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      out << r[i];
      if (i + 1 < r.size()) out << std::string(widths[i] - r[i].size() + 2, ' ');
    }
    out << "\n";
  }
}

void write_rows(std::ostream& out, Format format,
                const std::vector<std::vector<std::string>>& rows) {
  if (format == Format::csv) {
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < r.size(); ++i) out << (i ? "," : "") << csv_escape(r[i]);
      out << "\n";
    }
  } else {
    write_table(out, rows);
  }
}

}  // namespace

void write_gpu_list(const Catalog& catalog, Format format, std::ostream& out) {
  if (format == Format::json) {
    out << catalog_gpus_json(catalog) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{{"id", "name", "memory_GiB", "bandwidth_TB/s",
                                              "bf16_TFLOPS", "fp8_TFLOPS", "fp4_TFLOPS", "TDP_W",
                                              "usd_per_hour"}};
  for (const GpuSpec& g : catalog.gpus) {
    rows.push_back(
        {g.id, g.name, printf_string("%g", g.memory_capacity_bytes / units::bytes_per_gib),
         printf_string("%g", g.memory_bandwidth_bytes_per_s / units::bytes_per_tb),
         tflops(g, Precision::bf16), tflops(g, Precision::fp8), tflops(g, Precision::fp4),
         optional_text(g.tdp_w, "%g"), optional_text(g.reference_usd_per_hour, "%.2f")});
  }
  write_rows(out, format, rows);
}

void write_model_list(const Catalog& catalog, Format format, std::ostream& out) {
  if (format == Format::json) {
    out << catalog_models_json(catalog) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{{"id", "name", "params_B", "active_B", "layers",
                                              "hidden", "heads", "kv_heads", "context", "attention",
                                              "weights"}};
  for (const ModelSpec& m : catalog.models) {
    auto billions = [](const std::optional<double>& v) {
      return v ? printf_string("%g", *v / 1e9) : std::string("?");
    };
    const char* attention = m.attention == AttentionKind::mla   ? "mla"
                            : m.attention == AttentionKind::mha ? "mha"
                            : m.attention == AttentionKind::mqa ? "mqa"
                                                                : "gqa";
    rows.push_back({m.id, m.name, billions(m.published_total_params),
                    billions(m.published_active_params), std::to_string(m.num_layers),
                    std::to_string(m.hidden_size), std::to_string(m.num_attention_heads),
                    std::to_string(m.num_kv_heads),
                    m.max_context_tokens ? std::to_string(*m.max_context_tokens) : "?", attention,
                    std::string(to_string(m.default_weights))});
  }
  write_rows(out, format, rows);
}

void write_validation(const ValidationReport& report, const std::string& name, Format format,
                      std::ostream& out) {
  if (format == Format::json) {
    out << validation_report_json(report, name) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{{"id", "gpu", "model", "gpus", "tp", "ep", "weights",
                                              "in", "out", "concurrency", "metric", "measured",
                                              "predicted", "error_%"}};
  for (const ValidationRow& r : report.rows) {
    const Measurement& m = r.measurement;
    rows.push_back({m.id, m.gpu, m.model, std::to_string(m.num_gpus), std::to_string(m.tp),
                    std::to_string(m.ep), m.weights, std::to_string(m.input_tokens),
                    std::to_string(m.output_tokens), m.concurrency, m.metric, sig3(m.value),
                    r.predicted ? sig3(*r.predicted) : "failed: " + r.error,
                    r.predicted ? printf_string("%+.1f", r.percent_error) : ""});
  }
  write_rows(out, format, rows);
  if (format == Format::table) {
    out << "\n"
        << name << ": " << report.rows.size() << " rows, " << report.rows_failed
        << " failed; median absolute error "
        << printf_string("%.1f", report.median_absolute_percent_error)
        << "%; within +-25%: " << printf_string("%.0f", report.share_within_25_percent * 100)
        << "%\n";
  }
}

}  // namespace pertoken::cli
