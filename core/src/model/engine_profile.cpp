// Engine profiles from the embedded assets/engines.json (see engine_profile.hpp).
#include "pertoken/model/engine_profile.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>

#include <nlohmann/json.hpp>

namespace pertoken {

std::string_view embedded_engines_json_text();

std::string_view embedded_engines_json() { return embedded_engines_json_text(); }

const std::vector<EngineProfile>& engine_profiles() {
  static const std::vector<EngineProfile> profiles = [] {
    std::vector<EngineProfile> result;
    const auto document = nlohmann::ordered_json::parse(embedded_engines_json(), nullptr, false);
    assert(!document.is_discarded() && "assets/engines.json must parse");
    if (document.is_discarded()) return result;
    for (const auto& entry : document.at("engines")) {
      EngineProfile p;
      p.id = entry.at("id").get<std::string>();
      p.name = entry.at("name").get<std::string>();
      p.as_of = entry.at("as_of").get<std::string>();
      p.versions = entry.at("versions").get<std::vector<std::string>>();
      p.fitted_on = entry.at("fitted_on").get<std::vector<std::string>>();
      p.prefill_mixed_with_decode = entry.at("prefill_mixed_with_decode").get<bool>();
      p.schedule_source = entry.at("schedule_source").get<std::string>();
      const auto& scale = entry.at("scale");
      const auto& scaled = engine_scaled_fields();
      for (std::size_t i = 0; i < scaled.size(); ++i) {
        for (const EfficiencyField& field : efficiency_fields()) {
          if (field.member == scaled[i])
            p.scale[i] = scale.at(std::string(field.name)).get<double>();
        }
      }
      result.push_back(std::move(p));
    }
    return result;
  }();
  return profiles;
}

std::array<double, num_engine_scaled_fields> engine_scale_of(int engine) {
  const auto& profiles = engine_profiles();
  if (engine < 0 || static_cast<std::size_t>(engine) >= profiles.size()) return {1, 1, 1, 1};
  return profiles[static_cast<std::size_t>(engine)].scale;
}

std::string_view engine_of_framework(std::string_view framework) {
  std::string lower(framework);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("sglang") != std::string::npos) return "sglang";
  if (lower.find("vllm") != std::string::npos) return "vllm";
  if (lower.find("tensorrt") != std::string::npos || lower.find("trt") != std::string::npos) {
    return "tensorrt-llm";
  }
  return "";
}

}  // namespace pertoken
