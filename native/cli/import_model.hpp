// `pertoken import-model config.json [--id ID] [--name NAME] [--catalog FILE]`: a Hugging Face
// config.json -> a catalog model entry (the core's import_hf_config). Files and streams only here.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace pertoken::cli {

// Reads the one config.json in `positionals` and prints its catalog entry, or, with
// `catalog_file`, that catalog with the entry added (replacing one of the same id). The file is
// not rewritten: redirect the output. Returns 0, 2 for bad input (each problem printed as
// "pertoken: FILE: /json/pointer: message"), 1 for an internal error.
int import_model_command(const std::vector<std::string>& positionals,
                         const std::optional<std::string>& id,
                         const std::optional<std::string>& name,
                         const std::optional<std::string>& catalog_file, std::ostream& out,
                         std::ostream& err);

}  // namespace pertoken::cli
