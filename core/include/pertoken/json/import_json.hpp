// The Hugging Face import (hf_config.hpp) as JSON for the front ends that cannot print files: the
// web page and the app take a config.json's text and keep the model in a catalog document of
// their own, which they lay over the catalog in use (apply_catalog_json).
#pragma once

#include <string>
#include <string_view>

namespace pertoken {

// config.json text (+ optional id and name, "" for the importer's own) -> the model added to
// `models_document` (a catalog document of imported models; "" for an empty one), replacing any
// model with the same id:
//   {"ok": true, "id": ID, "name": NAME, "catalog": {the new document}}
// or {"errors": [{"code", "path", "message"}...]}, each path a JSON pointer into the config
// ("/num_key_value_heads"; "" for the whole file or a bad id). The document in the answer is what
// the caller keeps and passes back for the next import.
std::string import_model_json(std::string_view config_json, std::string_view id,
                              std::string_view name, std::string_view models_document);

}  // namespace pertoken
