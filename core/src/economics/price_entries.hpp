// Internal: parsing of a price catalog object, shared by price files (parse_price_catalog) and the
// "prices" key of catalog documents (parse_catalog_document).
#pragma once

#include <string>

#include "json/json_reader.hpp"
#include "pertoken/economics/prices.hpp"

namespace pertoken::detail {

// Reads the price catalog object at `path` ("" for a price file, "/prices" inside a catalog
// document). `standalone` also admits the file header keys "$schema" and "schema_version".
PriceCatalog parse_price_object(const Json& object, const std::string& path, bool standalone,
                                Diagnostics& diagnostics);

// Every provenance entry of `prices` must carry an https source and a plausible as_of date;
// diagnostics are reported under `path` ("" or "/prices").
void check_price_provenance(const PriceCatalog& prices, const std::string& path,
                            Diagnostics& diagnostics);

}  // namespace pertoken::detail
