// pertoken CLI entry point: argv in, exit code out (0 result, 2 bad input, 1 internal error).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli_args.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const pertoken::cli::ParseOutcome parsed = pertoken::cli::parse_command_line(args);
    if (!parsed.command) {
      std::cerr << "pertoken: " << parsed.error << "\n";
      return pertoken::cli::exit_bad_input;
    }
    return pertoken::cli::run_command(*parsed.command, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "pertoken: internal error: " << e.what() << "\n";
    return pertoken::cli::exit_internal_error;
  }
}
