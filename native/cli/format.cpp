// Output formats of the CLI: tables for people, CSV for spreadsheets, JSON lists of the catalog.
#include "format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pertoken/json/json_api.hpp"
#include "pertoken/plan/plan_words.hpp"
#include "pertoken/scenario/fields.hpp"
#include "pertoken/scenario/presets.hpp"
#include "pertoken/text/figure_text.hpp"
#include "pertoken/text/result_words.hpp"
#include "pertoken/units.hpp"

namespace pertoken::cli {
namespace {

std::string printf_string(const char* format, double value) {
  if (!std::isfinite(value)) return "n/a";  // never "inf" or "nan" on screen
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// The tables' numbers follow the core's rules (pertoken/text/figure_text.hpp), as the app's panels
// and the plan's sentences do; only the sizes below a KiB, which the core has no word for, are
// written here.
std::string gib(double bytes) { return format_number(bytes / units::bytes_per_gib) + " GiB"; }

std::string bytes_short(double bytes) {
  if (std::fabs(bytes) < 1024.0) return format_number(bytes) + " B";
  return format_bytes(bytes);
}

// "  [P10-P90 1.2 to 3.4 ms]" from the estimate's uncertainty band, formatted like the value.
std::string band(const Estimate& e, std::string_view key, std::string (*format)(double)) {
  for (const UncertaintyBand& b : e.uncertainty) {
    if (b.output == key) return "  [P10-P90 " + format(b.low) + " to " + format(b.high) + "]";
  }
  return "";
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

}  // namespace

void write_estimate_table(const Scenario& s, const Estimate& e, std::ostream& out) {
  const auto n = format_integer;
  out << s.model.name << " on " << s.num_gpus << " x " << s.gpu.name << "  (tp " << s.tp << ", pp "
      << s.pp << ", ep " << s.ep << "; weights " << to_string(s.weights) << ", KV cache "
      << to_string(s.kv_cache) << ")\n";
  out << "Workload: " << n(s.input_tokens) << " input + " << n(s.output_tokens)
      << " output tokens per request, ";
  if (s.request_rate_per_s) {
    out << format_number(*s.request_rate_per_s) << " requests/s arriving\n\n";
  } else {
    out << "concurrency " << (s.concurrency ? format_integer(*s.concurrency) : "max");
    if (s.num_prompts)
      out << ", a run of " << n(static_cast<double>(*s.num_prompts)) << " requests";
    out << "\n\n";
  }

  const MemoryBreakdown& m = e.memory;
  out << "Memory per GPU: " << (e.fits ? "fits" : "DOES NOT FIT") << "\n";
  row(out, "capacity", gib(m.capacity_bytes));
  row(out, "weights", gib(m.weights_bytes));
  row(out, "activations", gib(m.activation_bytes));
  row(out, "runtime reserve", gib(m.runtime_reserved_bytes));
  row(out, "KV cache pool", gib(m.kv_cache_pool_bytes));
  row(out, "KV cache per token",
      bytes_short(e.kv_cache_bytes_per_token) + " (model), " +
          bytes_short(m.kv_cache_bytes_per_token) + " per GPU");
  row(out, "max concurrency", n(static_cast<double>(e.max_concurrency)));
  row(out, "limited by", std::string(limit_reason_words(e.limit_reason)) + ": " + e.limit_detail);
  if (!e.fits) {
    out << "\nNo throughput or cost: the model does not fit this deployment.\n";
    if (const auto& l = e.fewest_devices_that_fit) {
      out << "To estimate the fewest that hold it, add: --gpus " << l->num_gpus << " --tp " << l->tp
          << " --pp " << l->pp << " --ep " << l->ep << "\n";
    }
    return;
  }
  row(out, "KV cache in use",
      gib(m.kv_cache_bytes) + " at " + format_number(e.running_concurrency) +
          (e.running_concurrency == 1 ? " running request" : " running requests"));

  out << "\nLatency\n";
  row(out, "time to first token",
      format_seconds(e.ttft_s) + band(e, "ttft_seconds", format_seconds));
  row(out, "time per output token",
      format_seconds(e.tpot_s) + "  (" + format_number(e.tokens_per_s_per_user) +
          " tokens/s per user)" + band(e, "tpot_seconds", format_seconds));
  row(out, "end-to-end", format_seconds(e.e2e_latency_s));
  if (s.preset != nullptr) {
    // The preset's target, checked by the core (the JSON's latency_target).
    const LatencyTargetCheck check = check_latency_target(*s.preset, e.ttft_s, e.tpot_s);
    auto verdict = [](const std::optional<bool>& met) {
      return !met ? std::string("unknown") : *met ? std::string("met") : std::string("MISSED");
    };
    row(out, std::string(s.preset->id) + " target",
        "TTFT <= " + format_seconds(s.preset->max_ttft_s) + " " + verdict(check.ttft_met) +
            ", TPOT <= " + format_seconds(s.preset->max_tpot_s) + " " + verdict(check.tpot_met));
  }
  out << "Throughput\n";
  // Three significant digits: a slow arrival rate's 0.25 tokens/s is no 0.
  const auto rate = format_number;
  row(out, "output",
      rate(e.output_tokens_per_s) + " tokens/s  (" + rate(e.output_tokens_per_s_per_gpu) +
          " per GPU)" + band(e, "output_tokens_per_second", format_number));
  row(out, "input", rate(e.input_tokens_per_s) + " tokens/s");
  row(out, "requests", format_number(e.requests_per_s) + " /s");
  row(out, "decode bound by", std::string(words(e.decode_bound)));

  out << "Cost";
  if (!s.usd_per_gpu_hour || !e.usd_per_million_tokens) {
    out << ": no price (give --usd-per-gpu-hour)\n";
  } else {
    const int devices = devices_in_deployment(s);
    out << " at " << format_usd(*s.usd_per_gpu_hour) << " per GPU-hour ("
        << format_usd(e.usd_per_hour.value_or(0)) << "/hour for " << format_count(devices, "device")
        << ")\n";
    row(out, "per million tokens",
        format_usd(*e.usd_per_million_tokens) + band(e, "usd_per_million_tokens", format_usd));
    row(out, "  input / output",
        format_usd(e.usd_per_million_input_tokens.value_or(0)) + " / " +
            format_usd(e.usd_per_million_output_tokens.value_or(0)));
  }
  if (e.joules_per_output_token) {
    out << "Energy\n";
    row(out, "per output token", format_number(*e.joules_per_output_token) + " J (at TDP)");
  }

  // What a step carries, beside its time: the parts are the whole step's, others' work included.
  const std::string decode_carries = decode_step_carries_words(e.decode_step);
  const std::string prefill_carries = prefill_carries_words(e.prefill, s);
  auto step_line = [&](const char* title, const std::string& carries, const StepBreakdown& b) {
    out << title << " " << format_seconds(b.total_s) << " (" << carries << "): weights "
        << format_seconds(b.weight_reads_s) << ", KV " << format_seconds(b.kv_reads_s)
        << ", compute " << format_seconds(b.compute_s) << ", communication "
        << format_seconds(b.communication_s) << ", overhead " << format_seconds(b.overhead_s)
        << ", overlap " << format_seconds(b.overlap_s) << " saved";
    if (b.padded_heads_s > 0)
      out << " (of which padded heads " << format_seconds(b.padded_heads_s) << ")";
    out << "\n";
  };
  if (!e.uncertainty.empty()) {
    out << "  bands: P10-P90 of measured/predicted on " << e.throughput_regime_rows << " published "
        << e.throughput_regime << " runs, time to first token on " << e.ttft_regime_rows << " "
        << e.ttft_regime << " runs (pertoken validate)\n";
  }
  out << "\nWhy\n";
  step_line("  decode step", decode_carries, e.decode_step);
  step_line("  prefill    ", prefill_carries, e.prefill);
  if (!e.notes.empty()) {
    out << "\nNotes\n";
    for (const std::string& note : e.notes) out << "  - " << note << "\n";
  }
}

namespace {

std::string tflops(const GpuSpec& g, Precision p) {
  const PeakRate& rate = g.peak(p);
  if (!rate.supported) return "-";
  if (!rate.flop_per_s) return "?";
  return format_integer(*rate.flop_per_s / units::flop_per_tflop);
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

void write_stale_list(const std::vector<StaleFigure>& figures, const std::string& today,
                      Format format, std::ostream& out) {
  if (format == Format::json) {
    out << stale_figures_json(figures) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{
      {"section", "entry", "figure", "as_of", "max_age_months", "source"}};
  for (const StaleFigure& f : figures) {
    rows.push_back({f.section, f.entry, f.figure, f.provenance.as_of,
                    std::to_string(f.max_age_months), f.provenance.source});
  }
  write_rows(out, format, rows);
  if (format == Format::table) {
    out << "\n"
        << figures.size() << " figures older than their age rule on " << today
        << " (prices: " << price_max_age_months << " months; specs never go stale)\n";
  }
}

void write_field_list(Format format, std::ostream& out) {
  if (format == Format::json) {
    out << scenario_fields_json() << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{
      {"key", "flag", "type", "unit", "accepts", "default", "meaning"}};
  for (const ScenarioField& f : scenario_fields()) {
    std::string accepts;
    for (std::string_view v : f.values) {
      accepts += (accepts.empty() ? "" : "|") + std::string(v);
    }
    if (f.values.empty() && f.min < f.max) {
      accepts =
          printf_string(f.min_exclusive ? "(%g" : "[%g", f.min) + printf_string(", %g]", f.max);
    }
    rows.push_back({std::string(f.key), std::string(f.flag), std::string(to_string(f.type)),
                    std::string(f.unit), accepts,
                    std::string(f.default_literal.empty() ? f.default_rule : f.default_literal),
                    std::string(f.help)});
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
                    std::to_string(m.output_tokens), m.concurrency, m.metric,
                    format_number(m.value),
                    r.predicted ? format_number(*r.predicted) : "failed: " + r.error,
                    r.predicted ? printf_string("%+.1f", r.percent_error) : ""});
  }
  write_rows(out, format, rows);
  if (format == Format::table) {
    out << "\n"
        << name << ": " << report.rows.size() << " rows, " << report.rows_failed
        << " failed; median absolute error "
        << printf_string("%.1f", report.median_absolute_percent_error) << "%; within +-"
        << printf_string("%.0f", close_enough_percent)
        << "%: " << printf_string("%.0f", report.share_within_25_percent * 100) << "%\n";
    // Each subset: speed ratio > 1 means the model promised more than was measured.
    for (const ValidationSummary& g : report.groups) {
      out << "  " << g.name << ": " << g.rows << " rows, median absolute error "
          << printf_string("%.1f", g.median_absolute_percent_error) << "%, within +-"
          << printf_string("%.0f", close_enough_percent)
          << "%: " << printf_string("%.0f", g.share_within_25_percent * 100)
          << "%, geometric-mean speed ratio " << printf_string("%.2f", g.geomean_speed_ratio)
          << "; " << format_count(g.sources, "source");
      if (g.sources > 1) {
        out << ", each weighing the same: median "
            << printf_string("%.1f", g.source_weighted_median_absolute_percent_error) << "%";
      }
      out << "\n";
    }
  }
}

void write_why(const std::vector<WhySection>& sections, std::ostream& out) {
  out << "\nWhy this number\n";
  for (const WhySection& section : sections) {
    out << "\n";
    for (const WhyLine& line : section.lines) {
      switch (line.kind) {
        case WhyLine::Kind::heading: out << line.text << "\n"; break;
        case WhyLine::Kind::paragraph: out << "  " << line.text << "\n"; break;
        case WhyLine::Kind::item: out << "  - " << line.text << "\n"; break;
      }
    }
  }
}

void write_sweep_table(const Sweep& sweep, const Catalog& catalog, std::ostream& out) {
  auto opt = [](const std::optional<double>& v, std::string (*format)(double)) {
    return v ? format(*v) : std::string("-");
  };
  auto perf = [](const SweepPoint& p, double v, std::string (*format)(double)) {
    return p.result && p.result->fits ? format(v) : std::string("-");
  };
  std::vector<std::vector<std::string>> rows;
  switch (sweep.kind) {
    case SweepKind::batching:
      rows.push_back({"concurrency", "$/Mtok", "tokens/s/user", "tokens/s/GPU", "TTFT", "TPOT"});
      for (const SweepPoint& p : sweep.points) {
        const Estimate& e = *p.result;
        rows.push_back({format_integer(p.x),
                        opt(e.fits ? e.usd_per_million_tokens : std::nullopt, format_usd),
                        perf(p, e.tokens_per_s_per_user, format_number),
                        perf(p, e.output_tokens_per_s_per_gpu, format_integer),
                        perf(p, e.ttft_s, format_seconds), perf(p, e.tpot_s, format_seconds)});
      }
      break;
    case SweepKind::memory:
      // "fits" as the context sweep says it: weights beyond the capacity, or a KV pool too small
      // for one request, read as a breakdown that fits without it.
      rows.push_back({"concurrency", "weights", "activations", "reserve", "KV in use", "KV pool",
                      "capacity", "fits"});
      for (const SweepPoint& p : sweep.points) {
        const MemoryBreakdown& m = p.result->memory;
        rows.push_back(
            {format_integer(p.x), gib(m.weights_bytes), gib(m.activation_bytes),
             gib(m.runtime_reserved_bytes), gib(m.kv_cache_bytes), gib(m.kv_cache_pool_bytes),
             gib(m.capacity_bytes),
             p.result->fits
                 ? "yes"
                 : "no (" + std::string(limit_reason_words(p.result->limit_reason)) + ")"});
      }
      break;
    case SweepKind::context:
      rows.push_back({"input_tokens", "TTFT", "$/Mtok", "max_concurrency", "fits"});
      for (const SweepPoint& p : sweep.points) {
        const Estimate& e = *p.result;
        rows.push_back({format_integer(p.x), perf(p, e.ttft_s, format_seconds),
                        opt(e.fits ? e.usd_per_million_tokens : std::nullopt, format_usd),
                        format_integer(static_cast<double>(e.max_concurrency)),
                        e.fits ? "yes" : "no"});
      }
      break;
    case SweepKind::gpus:
      rows.push_back({"accelerator", "devices", "tp", "pp", "ep", "concurrency", "$/GPU-h",
                      "price from", "$/Mtok", "tokens/s/user", "why not"});
      for (const SweepPoint& p : sweep.points) {
        const GpuSpec* gpu = catalog.find_gpu(p.gpu);
        const std::string name = (gpu ? gpu->name : p.gpu) + (p.selected ? " *" : "");
        if (p.status != LayoutStatus::fits) {
          rows.push_back({name, "-", "-", "-", "-", "-", opt(p.usd_per_gpu_hour, format_usd),
                          p.price_source, "-", "-",
                          std::string(p.status == LayoutStatus::unknown ? "? " : "x ") + p.reason});
          continue;
        }
        const Estimate& e = *p.result;
        rows.push_back({name, std::to_string(p.layout.num_gpus), std::to_string(p.layout.tp),
                        std::to_string(p.layout.pp), std::to_string(p.layout.ep),
                        format_integer(e.concurrency), opt(p.usd_per_gpu_hour, format_usd),
                        p.price_source, opt(e.usd_per_million_tokens, format_usd),
                        format_number(e.tokens_per_s_per_user), ""});
      }
      break;
  }
  write_table(out, rows);
  if (!sweep.empty.empty()) out << sweep.empty << "\n";
  if (sweep.kind == SweepKind::gpus) {
    out << "Prices: " << sweep.price_basis
        << ". Ranked at >= " << format_number(sweep.min_tokens_per_s_per_user)
        << " tokens/s per user (--min-tokens-per-second-per-user).\n"
        << "* the scenario's accelerator; x: nothing fits; ?: the catalog lacks a figure\n";
  }
}

namespace {

// A listed option in the core's words: its instance, then its fleet.
std::string option_line(const PlanOption& o) {
  return configuration_words(o.scenario) + ", " + fleet_words(o);
}

}  // namespace

void write_plan_table(const PlanRequest& r, const Plan& p, std::ostream& out) {
  out << r.base.model.name << ": " << format_integer(p.tokens_per_day) << " tokens/day ("
      << format_number(p.requests_per_s) << " requests/s, " << format_integer(r.base.input_tokens)
      << " in + " << format_integer(r.base.output_tokens) << " out, peak x"
      << format_number(r.workload.peak_to_average) << ")\n";
  std::string terms;
  auto term = [&](const std::string& words) { terms += (terms.empty() ? " " : ", ") + words; };
  if (r.sla.max_ttft_s) term("TTFT <= " + format_seconds(*r.sla.max_ttft_s));
  if (r.sla.max_tpot_s) term("TPOT <= " + format_seconds(*r.sla.max_tpot_s));
  if (r.sla.min_tokens_per_s_per_user) {
    term(">= " + format_number(*r.sla.min_tokens_per_s_per_user) + " tokens/s per user");
  }
  out << "SLA:" << terms;
  if (terms.empty()) {
    out << " none";
  } else if (r.sla.basis == SlaBasis::p90) {
    out << " at the likely range's P90";
  }
  out << "; ranked at " << to_string(r.lens) << " prices\n\n";
  if (!p.best || !p.meets_sla) {
    // The core's answer says whether the SLA, the volume or a pool without a plan left nothing to
    // list (a deployment's other pools may have a best of their own).
    const PlanAnswer answer = plan_answer(r, p);
    out << answer.verdict << "\n";
    if (!answer.detail.empty()) out << answer.detail << "\n";
  } else {
    const PlanOption& b = *p.best;
    const bool one_pool = r.deployment.pattern == DeploymentPattern::centralized;
    out << "Plan: " << option_line(b) << "\n";
    if (one_pool) {
      row(out, "monthly bill",
          format_usd(p.usd_per_month) + " (" + format_count(p.gpus_total, "device") + " at " +
              format_usd(b.usd_per_gpu_hour) + "/hour)");
    } else {
      row(out, "monthly bill",
          format_usd(p.usd_per_month) + " (" + format_integer(p.gpus_total) + " devices, " +
              std::string(to_string(r.deployment.pattern)) + " deployment)");
      for (const DeploymentPart& part : p.parts) {
        if (!part.best) continue;
        row(out, "  " + part.role,
            part.model + (part.sites > 1 ? " x " + format_integer(part.sites) + " sites" : "") +
                ": " + format_usd(part.usd_per_month) + "/month, " + option_line(*part.best));
      }
    }
    row(out, "per million tokens", format_usd(p.usd_per_million_tokens));
    row(out, "utilization",
        format_percent(p.utilization) + " of the fleet's capacity on average" +
            (r.workload.capacity_basis == CapacityBasis::p10
                 ? " (capacity at the likely range's P10: " +
                       format_number(b.capacity_requests_per_s) + " of the estimate's " +
                       format_number(b.estimate.requests_per_s) + " requests/s per replica)"
                 : ""));
    row(out, "TTFT / TPOT",
        format_seconds(b.estimate.ttft_s) + " / " + format_seconds(b.estimate.tpot_s) + " (" +
            format_number(b.estimate.tokens_per_s_per_user) + " tokens/s per user" +
            (r.sla.basis == SlaBasis::p90
                 ? "; at the likely range's P90 " + format_seconds(b.sla_ttft_s) + " / " +
                       format_seconds(b.sla_tpot_s)
                 : "") +
            ")");
    row(out, "price basis", b.price_basis);
    out << "\nBill under every way to pay\n";
    std::vector<std::vector<std::string>> rows{
        {"  pricing", "$/GPU-h", "replicas", "$/month", "$/Mtok"}};
    for (const Bill& bill : p.bill) {
      if (!bill.available) continue;
      rows.push_back({"  " + to_string(bill.lens), format_usd(bill.usd_per_gpu_hour),
                      format_integer(bill.replicas), format_usd(bill.usd_per_month),
                      format_usd(bill.usd_per_million_tokens)});
    }
    write_table(out, rows);
    if (!p.api.empty()) {
      out << "\nServerless APIs for this model\n";
      std::vector<std::vector<std::string>> api{
          {"  provider", "$/Mtok", "$/month", "this configuration breaks even at (tokens/day)"}};
      for (const ApiQuote& q : p.api) {
        std::string even = "never";
        for (const auto& [lens, volume] : q.break_even_tokens_per_day) {
          if (lens == r.lens && volume) even = format_integer(*volume);
        }
        api.push_back({"  " + q.provider, format_usd(q.usd_per_million_tokens),
                       format_usd(q.usd_per_month), even});
      }
      write_table(out, api);
    }
    if (!p.waterfall.empty()) {
      out << "\nWhere the saving comes from (from " << format_usd(p.baseline_usd_per_million_tokens)
          << "/Mtok: " << p.baseline << ")\n";
      std::vector<std::vector<std::string>> steps{
          {"  lever", "$/Mtok after", "in sequence", "Shapley share"}};
      for (const WaterfallStep& w : p.waterfall) {
        steps.push_back({"  " + std::string(lever_words(w.lever)),
                         format_usd(w.usd_per_million_tokens_after),
                         format_usd(w.sequential_saving), format_usd(w.shapley_saving)});
      }
      write_table(out, steps);
    }
    if (p.kwh_per_million_tokens) {
      out << "\nEnergy: " << format_number(*p.kwh_per_million_tokens) << " kWh per million tokens";
      if (p.carbon_g_per_million_tokens) {
        out << ", " << format_number(*p.carbon_g_per_million_tokens / 1000) << " kg CO2e ("
            << r.grid_region << ")";
      }
      out << "\n";
    }
    if (!p.alternatives.empty()) {
      out << "\nAlternatives\n";
      for (const PlanOption& o : p.alternatives) {
        out << "  " << format_usd(o.usd_per_month) << "/month  " << option_line(o) << "\n";
      }
    }
  }
  if (const CaseStudy* study = find_case_study(r.case_study)) {
    const CaseStudyComparison c = compare_case_study(*study, p);
    out << "\nThe article's case: " << study->title << "\n";
    row(out, "  the article says", std::string(study->article_claim));
    row(out, "  pertoken computes",
        c.computed_usd_per_month ? format_usd(*c.computed_usd_per_month) + " a month"
                                 : std::string("no plan meets the SLA"));
    for (const std::string& why : c.why) out << "  - " << why << "\n";
    out << "  Assumptions: " << study->assumptions << "\n";
  }
  out << "\nSearched " << format_integer(static_cast<double>(p.searched_configurations))
      << " configurations (" << format_integer(static_cast<double>(p.estimates))
      << " estimates run)\n";
  for (const std::string& note : p.notes) out << "  - " << note << "\n";
}

void write_volume_sweep_table(const VolumeSweep& sweep, std::ostream& out) {
  out << "Cost against volume at " << to_string(sweep.lens) << " (the plan at each volume; "
      << format_integer(sweep.tokens_per_day) << " tokens/day is the request's own)\n\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"tokens/day", "$/Mtok", "$/month", "GPUs", "configuration"});
  for (const VolumeSweepPoint& p : sweep.points) {
    if (!p.meets_sla) {
      rows.push_back({format_integer(p.tokens_per_day), "-", "-", "-",
                      p.beyond_replica_limit ? "more replicas than the planner sizes"
                                             : "nothing meets the SLA"});
      continue;
    }
    rows.push_back({format_integer(p.tokens_per_day), format_usd(p.usd_per_million_tokens),
                    format_usd(p.usd_per_month), format_integer(p.gpus_total),
                    p.best ? option_line(*p.best) : std::string("-")});
  }
  write_table(out, rows);
  if (!sweep.api.empty()) {
    out << "\nServerless APIs (flat in volume) and where self-hosting becomes cheaper at "
        << to_string(sweep.lens) << ":\n";
    std::vector<std::vector<std::string>> api;
    // Over every volume's best fleet, so a row cheaper than an API is never beside "never".
    api.push_back({"provider", "$/Mtok", "break-even tokens/day (any fleet of the sweep)"});
    for (const ApiQuote& q : sweep.api) {
      std::string at = "never";
      for (const auto& [lens, volume] : q.break_even_tokens_per_day) {
        if (lens == sweep.lens && volume) at = format_integer(*volume);
      }
      api.push_back({q.provider, format_usd(q.usd_per_million_tokens), at});
    }
    write_table(out, api);
  }
  for (const std::string& note : sweep.notes) out << "Note: " << note << "\n";
}

void write_sensitivity_table(const SensitivityRequest& r, const Sensitivity& result,
                             std::ostream& out) {
  const Scenario& s = r.scenario;
  out << s.model.name << " on " << s.num_gpus << " x " << s.gpu.name << "\n";
  if (!result.ok) {
    for (const std::string& note : result.notes) out << note << "\n";
    return;
  }
  out << "$ per million tokens " << format_usd(result.base_usd_per_million_tokens) << " at "
      << format_percent(result.utilization) << " utilization; each input moved by "
      << format_percent(result.relative_step) << "\n\n";
  // The names column as wide as its longest name ("memory_bandwidth_fraction (guess)").
  auto name_of = [](const SensitivityBar& b) { return b.input + (b.is_guess ? " (guess)" : ""); };
  int width = 26;
  for (const SensitivityBar& b : result.bars) {
    width = std::max(width, static_cast<int>(name_of(b).size()));
  }
  char line[256];
  std::snprintf(line, sizeof line, "  %-*s %10s %10s %10s %10s %10s\n", width, "input", "low",
                "high", "$ at low", "$ at high", "swing");
  out << line;
  auto cost = [](const std::optional<double>& v) { return v ? format_usd(*v) : std::string("-"); };
  for (const SensitivityBar& b : result.bars) {
    const std::string name = name_of(b);
    std::snprintf(line, sizeof line, "  %-*s %10s %10s %10s %10s %10s\n", width, name.c_str(),
                  format_number(b.low_value).c_str(), format_number(b.high_value).c_str(),
                  cost(b.usd_per_million_tokens_at_low).c_str(),
                  cost(b.usd_per_million_tokens_at_high).c_str(),
                  format_usd(b.swing_usd_per_million_tokens).c_str());
    out << line;
    if (!b.note.empty()) out << "      " << b.note << "\n";
  }
  if (result.target_usd_per_million_tokens) {
    out << "\nTo reach " << format_usd(*result.target_usd_per_million_tokens)
        << " per million tokens, one input at a time:\n";
    for (const InverseAnswer& a : result.inverse) {
      out << "  " << a.input << ": " << a.answer << "\n";
    }
  }
  for (const std::string& note : result.notes) out << "\nNote: " << note << "\n";
}

void write_sensitivity_csv(const Sensitivity& result, std::ostream& out) {
  out << "input,is_guess,base,low,high,usd_per_million_tokens_at_low,"
         "usd_per_million_tokens_at_high,swing_usd_per_million_tokens\n";
  auto cell = [](const std::optional<double>& v) {
    char text[32] = "";
    if (v) std::snprintf(text, sizeof text, "%.6g", *v);
    return std::string(text);
  };
  for (const SensitivityBar& b : result.bars) {
    out << b.input << "," << (b.is_guess ? "true" : "false") << "," << cell(b.base_value) << ","
        << cell(b.low_value) << "," << cell(b.high_value) << ","
        << cell(b.usd_per_million_tokens_at_low) << "," << cell(b.usd_per_million_tokens_at_high)
        << "," << cell(b.swing_usd_per_million_tokens) << "\n";
  }
}

}  // namespace pertoken::cli
