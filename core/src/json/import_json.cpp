// The Hugging Face import as JSON (see import_json.hpp): the core's importer and catalog writer,
// answered in the shapes every door parses.
#include "pertoken/json/import_json.hpp"

#include <nlohmann/json.hpp>

#include "json/json_reader.hpp"
#include "pertoken/catalog/hf_config.hpp"
#include "result_figures.hpp"

namespace pertoken {

std::string import_model_json(std::string_view config_json, std::string_view id,
                              std::string_view name, std::string_view models_document) {
  HfImportOptions options;
  options.id = std::string(id);
  options.name = std::string(name);
  const Result<std::string> entry = import_hf_config(config_json, options);
  if (!entry.ok()) return detail::errors_json_text(entry.diagnostics());
  const Result<std::string> document =
      add_model_to_catalog(models_document.empty() ? "{}" : models_document, entry.value());
  if (!document.ok()) return detail::errors_json_text(document.diagnostics());
  // Both texts were written and checked by the core just above: they parse (no exceptions here;
  // the web build has none).
  using Json = nlohmann::ordered_json;
  const Json added = detail::parse_trusted_json(entry.value());
  Json answer{{"ok", true},
              {"id", added.value("id", "")},
              {"name", added.value("name", "")},
              {"catalog", detail::parse_trusted_json(document.value())}};
  return detail::dump_json(answer);
}

}  // namespace pertoken
