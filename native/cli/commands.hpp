// The CLI's commands: each reads its files, calls the core and writes to out/err.
#pragma once

#include <ostream>

#include "cli_args.hpp"

namespace pertoken::cli {

// Exit codes of the contract.
inline constexpr int exit_ok = 0;
inline constexpr int exit_internal_error = 1;
inline constexpr int exit_bad_input = 2;

int run_command(const Command& command, std::ostream& out, std::ostream& err);

}  // namespace pertoken::cli
