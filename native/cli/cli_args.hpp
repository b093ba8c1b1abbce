// Command-line parsing for `pertoken`: argv -> a Command (no I/O, no exits here).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pertoken/validation/calibration.hpp"

namespace pertoken::cli {

enum class Format { table, json, csv };

struct Command {
  std::string name;                      // estimate, list, validate-catalog, help, version
  std::vector<std::string> positionals;  // e.g. "gpus" for list, FILE for validate-catalog
  std::optional<std::string> scenario_file;
  std::optional<std::string> catalog_file;
  std::optional<std::string> output_file;  // calibrate --output
  // calibrate --from-priors, --prior-weight, --starts, --fit a,b, --hold a,b, --then-fit a,b
  CalibrationRequest calibration;
  std::optional<std::string> predictions_file;  // validate --predictions
  Format format = Format::table;
  // Scenario keys set by flags, in order, as JSON text values ("8", "\"h100-sxm\"", "\"max\"").
  std::vector<std::pair<std::string, std::string>> scenario_overrides;
  std::optional<std::string> import_id;    // import-model --id
  std::optional<std::string> import_name;  // import-model --name
  bool stale = false;                      // list gpus --stale
  bool why = false;                        // estimate --why
  std::optional<std::string> today;        // --today YYYY-MM-DD (else the system clock)
  // Which flag set each scenario key (for error messages that name the flag).
  std::map<std::string, std::string> flag_of_key;
};

struct ParseOutcome {
  std::optional<Command> command;
  std::string error;  // set when command is empty: one line naming the flag
};

ParseOutcome parse_command_line(const std::vector<std::string>& args);

// The --help text, flags with their defaults.
std::string help_text();

}  // namespace pertoken::cli
