// The shipped catalog (assets/catalog/*.json, compiled in by cmake/embed_text.cmake), parsed once.
#include <cassert>

#include "catalog/catalog_entries.hpp"
#include "pertoken/catalog/catalog.hpp"

namespace pertoken {

namespace {
struct Embedded {
  Catalog catalog;
  Diagnostics diagnostics;
};

const Embedded& embedded() {
  static const Embedded instance = [] {
    Embedded result;
    result.catalog.efficiency = default_efficiency();
    for (std::string_view text : {embedded_gpus_json(), embedded_models_json()}) {
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

}  // namespace pertoken
