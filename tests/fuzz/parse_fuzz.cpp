// libFuzzer target over everything the core parses: catalog documents, scenarios (evaluated end
// to end through the JSON door), measurement CSVs and Hugging Face config.json imports. The first
// byte picks the parser (mod 4: 0 catalog, 1 scenario, 2 CSV, 3 config import).
// A finding is a crash, a sanitizer report, or a result that breaks the output contract. Catalog
// text also goes through the shipped catalog's structure scan, and every scenario is evaluated
// against the shipped entries it names as well, which must answer exactly as the whole catalog.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "catalog/shipped_text_index.hpp"
#include "pertoken/catalog/catalog.hpp"
#include "pertoken/catalog/hf_config.hpp"
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
  switch (data[0] % 4) {
    case 0: {
      const auto document = pertoken::parse_catalog_document(text);
      if (document.ok()) {
        const pertoken::Catalog merged =
            pertoken::merge_catalog(pertoken::embedded_catalog(), document.value());
        (void)merged;
      }
      (void)pertoken::check_provenance(text);
      for (std::string_view entry : pertoken::detail::array_element_texts(text, "gpus")) {
        (void)pertoken::detail::string_member(entry, "id");
      }
      break;
    }
    case 1: {
      const std::string result =
          pertoken::evaluate_scenario_json(text, pertoken::embedded_catalog());
      if (pertoken::evaluate_scenario_json(text, pertoken::embedded_catalog_for_scenario(text)) !=
          result) {
        std::abort();
      }
      const auto json = nlohmann::json::parse(result, nullptr, false);
      if (json.is_discarded()) std::abort();
      if (!json.contains("errors")) {
        check_result(json);
        if (json["fits"].get<bool>() && !json["tpot_seconds"].is_number()) std::abort();
      }
      break;
    }
    case 2: {
      const auto rows = pertoken::parse_measurements_csv(text);
      (void)rows;
      break;
    }
    default: {
      // An imported config must give an entry the catalog accepts (the importer checks its own
      // output and says so in an "imported entry is not a valid catalog entry" diagnostic: a bug)
      // and one that extends a catalog document.
      const auto entry = pertoken::import_hf_config(text, {});
      if (entry.ok()) {
        if (!pertoken::add_model_to_catalog("{}", entry.value()).ok()) std::abort();
      } else {
        for (const pertoken::Diagnostic& d : entry.diagnostics()) {
          if (d.message.rfind("imported entry is not a valid catalog entry", 0) == 0) std::abort();
        }
      }
      break;
    }
  }
  return 0;
}
