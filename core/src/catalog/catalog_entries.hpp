// Internal: parsing of one catalog entry, shared by catalog documents and inline scenario entries.
#pragma once

#include <optional>
#include <string>

#include "json/json_reader.hpp"

namespace pertoken::detail {

// An entry without a name is shown by its id.
inline std::string entry_name(std::optional<std::string> name, const std::string& id) {
  return name ? std::move(*name) : id;
}

GpuSpec parse_gpu_entry(const Json& entry, const std::string& path, Diagnostics& diagnostics);
ModelSpec parse_model_entry(const Json& entry, const std::string& path, Diagnostics& diagnostics);

// parse_catalog_document for the catalog the program ships (parse_shipped_json: one pass).
Result<CatalogDocument> parse_shipped_catalog_document(std::string_view json_text);

}  // namespace pertoken::detail
