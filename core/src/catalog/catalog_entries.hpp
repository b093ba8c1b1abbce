// Internal: parsing of one catalog entry, shared by catalog documents and inline scenario entries.
#pragma once

#include <string>

#include "json/json_reader.hpp"

namespace pertoken::detail {

GpuSpec parse_gpu_entry(const Json& entry, const std::string& path, Diagnostics& diagnostics);
ModelSpec parse_model_entry(const Json& entry, const std::string& path, Diagnostics& diagnostics);

}  // namespace pertoken::detail
