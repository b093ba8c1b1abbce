// libFuzzer target over everything the core parses: catalog documents, scenarios (evaluated end
// to end through the JSON door) and measurement CSVs. The first byte picks the parser.
// A finding is a crash, a sanitizer report, or a result that breaks the output contract.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pertoken/catalog/catalog.hpp"
#include "pertoken/serving/estimate.hpp"
#include "pertoken/validation/validation.hpp"

namespace {

// Every number in a result is finite and non-negative, and a fitting result has its headline
// figures; anything else is a bug (abort so libFuzzer reports it).
void check_result(const nlohmann::json& j) {
  if (j.is_number()) {
    const double v = j.get<double>();
    if (!std::isfinite(v) || v < 0) std::abort();
  } else if (j.is_object() || j.is_array()) {
    for (const auto& item : j) check_result(item);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      const auto document = pertoken::parse_catalog_document(text);
      if (document.ok()) {
        const pertoken::Catalog merged =
            pertoken::merge_catalog(pertoken::embedded_catalog(), document.value());
        (void)merged;
      }
      (void)pertoken::check_provenance(text);
      break;
    }
    case 1: {
      const std::string result =
          pertoken::evaluate_scenario_json(text, pertoken::embedded_catalog());
      const auto json = nlohmann::json::parse(result, nullptr, false);
      if (json.is_discarded()) std::abort();
      if (!json.contains("errors")) {
        check_result(json);
        if (json["fits"].get<bool>() && !json["tpot_seconds"].is_number()) std::abort();
      }
      break;
    }
    default: {
      const auto rows = pertoken::parse_measurements_csv(text);
      (void)rows;
      break;
    }
  }
  return 0;
}
