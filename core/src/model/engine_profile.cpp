// Engine profiles from the embedded assets/engines.json (see engine_profile.hpp).
#include "pertoken/model/engine_profile.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "json/json_reader.hpp"
#include "pertoken/scenario/scenario.hpp"

namespace pertoken {

std::string_view embedded_engines_json_text();

std::string_view embedded_engines_json() { return embedded_engines_json_text(); }

const std::vector<EngineProfile>& engine_profiles() {
  static const std::vector<EngineProfile> profiles = [] {
    std::vector<EngineProfile> result;
    const auto document = detail::parse_trusted_json(embedded_engines_json());
    assert(document.is_object() && "assets/engines.json must parse");
    if (!document.is_object()) return result;
    for (const auto& entry : document.at("engines")) {
      EngineProfile p;
      p.id = entry.at("id").get<std::string>();
      p.name = entry.at("name").get<std::string>();
      p.as_of = entry.at("as_of").get<std::string>();
      p.versions = entry.at("versions").get<std::vector<std::string>>();
      // Absent from the web build's copy, which leaves out what no result reads.
      p.fitted_on = entry.value("fitted_on", std::vector<std::string>{});
      p.dense_runs_fitted_on = entry.at("dense_runs_fitted_on").get<int>();
      for (const auto& [vendor, runs] : entry.at("runs_fitted_on_by_vendor").items())
        p.runs_fitted_on_by_vendor.emplace_back(vendor, runs.get<int>());
      p.prefill_mixed_with_decode = entry.at("prefill_mixed_with_decode").get<bool>();
      p.schedule_source = entry.value("schedule_source", std::string{});  // web copy: absent
      const auto& scale = entry.at("scale");
      const auto& scaled = engine_scaled_fields();
      for (std::size_t i = 0; i < scaled.size(); ++i) {
        for (const EfficiencyField& field : efficiency_fields()) {
          if (field.member == scaled[i])
            p.scale[i] = scale.at(std::string(field.name)).get<double>();
        }
      }
      if (const auto kernels = entry.find("fp8_expert_kernels"); kernels != entry.end()) {
        p.fp8_expert_compute_scale = kernels->at("compute_scale").get<double>();
        p.fp8_expert_gpus = kernels->at("gpus").get<std::vector<std::string>>();
        p.fp8_expert_note = kernels->at("estimate_note").get<std::string>();
      }
      result.push_back(std::move(p));
    }
    assert(result.size() == engine_profile_count && "assets/engines.json: one profile per Engine");
    return result;
  }();
  return profiles;
}

std::string dense_model_caveat(const EngineProfile& profile, bool model_is_moe) {
  if (model_is_moe || profile.dense_runs_fitted_on >= min_dense_runs_fitted_on) return {};
  const int n = profile.dense_runs_fitted_on;
  const std::string dense_runs =
      n == 0 ? "no dense run" : std::to_string(n) + (n == 1 ? " dense run" : " dense runs");
  return "the " + profile.name + " profile was fitted on MoE runs and " + dense_runs +
         ", so its overhead multipliers (per layer, per prompt step) come from MoE runs: on this "
         "dense model they are a guess";
}

namespace {
// A user's catalog may spell a vendor in any case ("Nvidia").
bool same_vendor(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether the vendor ran some of the profile's fitted runs, or the profile counts none.
bool vendor_in_fit(const EngineProfile& profile, std::string_view gpu_vendor) {
  bool counted = false;
  for (const auto& [vendor, count] : profile.runs_fitted_on_by_vendor) {
    if (count <= 0) continue;
    if (same_vendor(vendor, gpu_vendor)) return true;
    counted = true;
  }
  return !counted;
}
}  // namespace

bool engine_multipliers_apply(int engine, std::string_view gpu_vendor) {
  const auto& profiles = engine_profiles();
  if (engine == static_cast<int>(Engine::tensorrt_llm) || engine < 0 ||
      static_cast<std::size_t>(engine) >= profiles.size() || gpu_vendor.empty())
    return true;
  return vendor_in_fit(profiles[static_cast<std::size_t>(engine)], gpu_vendor);
}

std::string vendor_caveat(const EngineProfile& profile, std::string_view gpu_vendor,
                          bool multipliers_apply) {
  if (!gpu_vendor.empty() && vendor_in_fit(profile, gpu_vendor)) return {};
  std::string runs;
  for (const auto& [vendor, count] : profile.runs_fitted_on_by_vendor) {
    if (count <= 0) continue;
    runs += (runs.empty() ? "" : " and ") + std::to_string(count) + " " + vendor +
            (count == 1 ? " run" : " runs");
  }
  if (runs.empty()) return {};
  if (gpu_vendor.empty()) {
    return "the " + profile.name + " profile was fitted on " + runs +
           ", and this GPU names no vendor: its overhead multipliers (per layer, per prompt step) "
           "may carry another vendor's kernels, a guess";
  }
  const std::string fitted = "the " + profile.name + " profile was fitted on " + runs + " and no " +
                             std::string(gpu_vendor) +
                             " run, so its overhead multipliers (per layer, per prompt step) ";
  if (!multipliers_apply) {
    return fitted + "are left out on this GPU, the shared factors standing in: a guess";
  }
  return fitted + "carry another vendor's kernels: on this GPU they are a guess";
}

const EngineProfile* fp8_expert_kernels_timed_on(int engine, std::string_view gpu_id) {
  const auto& profiles = engine_profiles();
  if (engine < 0 || static_cast<std::size_t>(engine) >= profiles.size()) return nullptr;
  const EngineProfile& p = profiles[static_cast<std::size_t>(engine)];
  const auto& gpus = p.fp8_expert_gpus;
  return std::find(gpus.begin(), gpus.end(), gpu_id) != gpus.end() ? &p : nullptr;
}

std::array<double, num_engine_scaled_fields> engine_scale_of(int engine) {
  const auto& profiles = engine_profiles();
  if (engine < 0 || static_cast<std::size_t>(engine) >= profiles.size()) return {1, 1, 1, 1};
  return profiles[static_cast<std::size_t>(engine)].scale;
}

namespace {
// The release series named after the engine's name ("SGLang v0.4.3.post2" -> {0, 4}); none when
// the text states no version.
std::optional<std::pair<int, int>> series_after(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    std::size_t dot = i;
    while (dot < text.size() && std::isdigit(static_cast<unsigned char>(text[dot]))) ++dot;
    if (dot + 1 >= text.size() || text[dot] != '.' ||
        !std::isdigit(static_cast<unsigned char>(text[dot + 1])))
      return std::nullopt;  // the first number is not a version
    std::size_t end = dot + 1;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    // from_chars, not stoi: a number too large for an int is no version, never an exception.
    int major = 0;
    int minor = 0;
    const char* first = text.data();
    if (std::from_chars(first + i, first + dot, major).ec != std::errc{} ||
        std::from_chars(first + dot + 1, first + end, minor).ec != std::errc{})
      return std::nullopt;
    return std::pair{major, minor};
  }
  return std::nullopt;
}
}  // namespace

std::string_view engine_of_framework(std::string_view framework) {
  std::string lower(framework);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // The engine the text names first: a run's text names its engine, then its harness, which may
  // be another engine's client ("vLLM v0.8.4 (sglang.bench_serving --backend vllm)").
  const std::size_t sglang_at = lower.find("sglang");
  const std::size_t vllm_at = lower.find("vllm");
  const std::size_t tensorrt_at = std::min(lower.find("tensorrt"), lower.find("trt"));
  const std::size_t first = std::min({sglang_at, vllm_at, tensorrt_at});
  if (first == std::string::npos) return "";
  // Early-2025 releases have profiles of their own (assets/engines.json): SGLang 0.4.x and vLLM
  // before 0.8 (its V0 engine). A text without a version gets the current profile.
  if (first == sglang_at) {
    const auto series = series_after(lower, sglang_at + 6);
    return series && series->first == 0 && series->second <= 4 ? "sglang-0.4" : "sglang";
  }
  if (first == vllm_at) {
    const auto series = series_after(lower, vllm_at + 4);
    return series && series->first == 0 && series->second <= 7 ? "vllm-0.7" : "vllm";
  }
  return "tensorrt-llm";
}

}  // namespace pertoken
