// Loading the price catalog into a front end that starts without it: the calculator's web module
// leaves the prices out of its first view and reads assets/catalog/prices.json after its first
// answer, so that its accelerator comparison prices every accelerator on one lens.
#pragma once

#include <string>
#include <string_view>

#include "pertoken/catalog/catalog.hpp"

namespace pertoken {

// Validates a price catalog text (the shape of assets/catalog/prices.json). When valid, `base`
// (the catalog a user's catalog document extends next) takes its prices, and `active` takes them
// with the prices its own documents gave laid over them. Returns {"ok": true, "cloud_offers": N}
// or {"errors": [...]} with paths inside the text; a rejected text changes nothing.
std::string load_prices_json(std::string_view text, Catalog& base, Catalog& active);

}  // namespace pertoken
