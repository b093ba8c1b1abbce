// The shipped catalog (assets/catalog/*.json, compiled in by cmake/embed_text.cmake), parsed once.
#include <algorithm>
#include <array>
#include <cassert>

#include "catalog/catalog_entries.hpp"
#include "catalog/shipped_text_index.hpp"
#include "pertoken/catalog/catalog.hpp"
#include "pertoken/scenario/scenario.hpp"

namespace pertoken {

namespace {
// Later texts replace earlier entries with the same id (merge_catalog).
std::array<std::string_view, 2> shipped_texts() {
  return {embedded_gpus_json(), embedded_models_json()};
}

struct Embedded {
  Catalog catalog;
  Diagnostics diagnostics;
};

const Embedded& embedded() {
  static const Embedded instance = [] {
    Embedded result;
    result.catalog.efficiency = default_efficiency();
    for (std::string_view text : shipped_texts()) {
      // Shipped text: read in one pass (the tests check it with parse_catalog_document).
      Result<CatalogDocument> document = detail::parse_shipped_catalog_document(text);
      if (document.ok()) {
        result.catalog = merge_catalog(std::move(result.catalog), document.value());
      } else {
        const Diagnostics& found = document.diagnostics();
        result.diagnostics.insert(result.diagnostics.end(), found.begin(), found.end());
      }
    }
    return result;
  }();
  return instance;
}
}  // namespace

const Catalog& embedded_catalog() { return embedded().catalog; }

// Kept apart so that a front end that never prices a fleet (the web calculator) does not link the
// price catalog's text.
const Catalog& embedded_catalog_with_prices() {
  static const Catalog catalog = [] {
    Catalog c = embedded_catalog();
    c.prices = embedded_prices();
    return c;
  }();
  return catalog;
}
const Diagnostics& embedded_catalog_diagnostics() { return embedded().diagnostics; }

namespace {

// Each shipped entry's id and text, in catalog order after merging: found by a structure scan,
// not parsed.
struct EntryText {
  std::string id;
  std::string_view text;
};
struct ShippedIndex {
  std::vector<EntryText> gpus;
  std::vector<EntryText> models;
};

void index_array(std::string_view document, std::string_view key, std::vector<EntryText>& into) {
  for (std::string_view entry : detail::array_element_texts(document, key)) {
    std::optional<std::string> id = detail::string_member(entry, "id");
    if (!id) continue;  // not a valid entry: the full parse reports it
    auto same =
        std::find_if(into.begin(), into.end(), [&](const EntryText& e) { return e.id == *id; });
    if (same != into.end()) {
      same->text = entry;
    } else {
      into.push_back({std::move(*id), entry});
    }
  }
}

const ShippedIndex& shipped_index() {
  static const ShippedIndex index = [] {
    ShippedIndex result;
    for (std::string_view text : shipped_texts()) {
      index_array(text, "gpus", result.gpus);
      index_array(text, "models", result.models);
    }
    return result;
  }();
  return index;
}

template <class Spec, class Parse>
void add_shipped_entry(const std::vector<EntryText>& index, const std::string& id, Parse parse,
                       std::vector<Spec>& into) {
  auto it =
      std::find_if(index.begin(), index.end(), [&](const EntryText& e) { return e.id == id; });
  if (it == index.end()) return;
  for (const Spec& spec : into) {
    if (spec.id == id) return;
  }
  Diagnostics diagnostics;
  std::optional<detail::Json> entry = detail::parse_shipped_json(it->text, diagnostics);
  if (!entry) return;
  Spec spec = parse(*entry, "", diagnostics);
  if (diagnostics.empty()) into.push_back(std::move(spec));
}

}  // namespace

CatalogNames embedded_catalog_names() {
  CatalogNames names;
  for (const EntryText& e : shipped_index().models) {
    names.models.push_back({e.id, detail::entry_name(detail::string_member(e.text, "name"), e.id),
                            detail::string_member(e.text, "family").value_or("")});
  }
  for (const EntryText& e : shipped_index().gpus) {
    names.gpus.push_back({e.id, detail::entry_name(detail::string_member(e.text, "name"), e.id),
                          detail::string_member(e.text, "vendor").value_or("")});
  }
  return names;
}

Catalog embedded_catalog_for_scenario(std::string_view scenario_json) {
  Catalog catalog;
  catalog.efficiency = default_efficiency();
  Diagnostics ignored;  // a scenario that does not parse names no entry; its evaluation says why
  std::optional<detail::Json> scenario = detail::parse_json(scenario_json, ignored);
  if (!scenario || !scenario->is_object()) return catalog;
  auto id_of = [&](std::string_view key) -> std::optional<std::string> {
    auto it = scenario->find(key);
    if (it == scenario->end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const ShippedIndex& index = shipped_index();
  if (auto gpu = id_of("gpu")) {
    add_shipped_entry(index.gpus, *gpu, detail::parse_gpu_entry, catalog.gpus);
  }
  if (auto model = id_of("model")) {
    add_shipped_entry(index.models, *model, detail::parse_model_entry, catalog.models);
  }
  // The draft model of draft-model speculative decoding ("draft:<model id>").
  if (auto method = id_of("speculative"); method && method->starts_with(draft_model_prefix)) {
    add_shipped_entry(index.models, method->substr(draft_model_prefix.size()),
                      detail::parse_model_entry, catalog.models);
  }
  return catalog;
}

}  // namespace pertoken
