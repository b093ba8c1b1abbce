// Loading the price catalog into a front end's catalogs (see prices_json.hpp).
#include "pertoken/json/prices_json.hpp"

#include "json/result_figures.hpp"
#include "pertoken/economics/prices.hpp"

namespace pertoken {

std::string load_prices_json(std::string_view text, Catalog& base, Catalog& active) {
  Result<PriceCatalog> parsed = parse_price_catalog(text);
  if (!parsed.ok()) return detail::errors_json_text(parsed.diagnostics());
  const PriceCatalog& prices = parsed.value();
  // The user's own rows (a catalog document's "prices") stay on top of the shipped ones.
  active.prices = merge_prices(prices, active.prices);
  base.prices = prices;
  detail::OrderedJson j;
  j["ok"] = true;
  j["cloud_offers"] = prices.cloud.size();
  return detail::dump_json(j);
}

}  // namespace pertoken
