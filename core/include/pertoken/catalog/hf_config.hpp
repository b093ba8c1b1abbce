// Hugging Face config.json -> catalog model entry (assets/catalog/FORMAT.md), so every front end
// imports a user's model the same way. Pure C++: the caller passes the file's text.
#pragma once

#include <string>
#include <string_view>

#include "pertoken/diagnostics.hpp"

namespace pertoken {

// Bounds on what an imported config may hold (a config beyond them is an error, not a model).
inline constexpr std::size_t max_hf_config_bytes = 4u << 20;  // 4 MiB; real configs are < 64 KiB

struct HfImportOptions {
  std::string id;      // = "" -> from the config's _name_or_path, else "imported-<model_type>"
  std::string name;    // = "" -> from _name_or_path, else the id
  std::string source;  // = "" -> "user-supplied config.json" (record-level source of every figure)
  std::string as_of;   // = "" -> none (YYYY, YYYY-MM or YYYY-MM-DD when the source has a date)
};

// Reads a config.json (Llama 2-4, Mistral/Mixtral, Qwen2/2.5/3 and Qwen2/3-MoE, DeepSeek-V2/V3,
// Kimi K2, GLM-4.5/4.6, gpt-oss, Gemma 2/3, Phi-3/4, Falcon) and returns one catalog model entry
// as JSON text: `{"models": [entry]}` is a valid catalog document. Parameter counts are derived
// from the shapes; a quantization_config sets default_weights and quantized_parts. Every problem
// is a diagnostic at the JSON pointer of the config key ("/text_config/num_key_value_heads");
// an unknown architecture or a missing key is an error, never a guess.
Result<std::string> import_hf_config(std::string_view config_json, const HfImportOptions& options);

// Adds `entry_json` (one model entry) to the catalog document `catalog_json`: it replaces the
// entry with the same id or is appended to "models". Returns the new document's text, checked
// with parse_catalog_document; errors of the input catalog are reported as they are.
Result<std::string> add_model_to_catalog(std::string_view catalog_json,
                                         std::string_view entry_json);

}  // namespace pertoken
