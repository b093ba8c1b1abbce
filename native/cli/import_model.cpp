// `pertoken import-model`: reads the files, asks the core, prints the entry or the catalog.
#include "import_model.hpp"

#include "commands.hpp"
#include "pertoken/catalog/hf_config.hpp"
#include "read_file.hpp"

namespace pertoken::cli {
namespace {

void print_problems(std::ostream& err, const std::string& file, const Diagnostics& diagnostics) {
  for (const Diagnostic& d : diagnostics)
    err << "pertoken: " << file << ": " << d.to_string() << "\n";
}

}  // namespace

int import_model_command(const std::vector<std::string>& positionals,
                         const std::optional<std::string>& id,
                         const std::optional<std::string>& name,
                         const std::optional<std::string>& catalog_file, std::ostream& out,
                         std::ostream& err) {
  if (positionals.size() != 1) {
    err << "pertoken: import-model: give one config.json FILE\n";
    return exit_bad_input;
  }
  const std::string& config_path = positionals[0];
  std::string error;
  const std::optional<std::string> config = read_file(config_path, error);
  if (!config) {
    err << "pertoken: import-model: cannot read " << config_path << ": " << error << "\n";
    return exit_bad_input;
  }
  HfImportOptions options;
  options.id = id.value_or("");
  options.name = name.value_or("");
  const Result<std::string> entry = import_hf_config(*config, options);
  if (!entry.ok()) {
    print_problems(err, config_path, entry.diagnostics());
    return exit_bad_input;
  }
  if (!catalog_file) {
    out << entry.value() << "\n";
    return exit_ok;
  }
  const std::optional<std::string> catalog = read_file(*catalog_file, error);
  if (!catalog) {
    err << "pertoken: --catalog: cannot read " << *catalog_file << ": " << error << "\n";
    return exit_bad_input;
  }
  const Result<std::string> extended = add_model_to_catalog(*catalog, entry.value());
  if (!extended.ok()) {
    print_problems(err, *catalog_file, extended.diagnostics());
    return exit_bad_input;
  }
  out << extended.value();
  return exit_ok;
}

}  // namespace pertoken::cli
