// The project's version string (from CMake's project(VERSION)).
#pragma once

#include <string_view>

namespace pertoken {

std::string_view version();

}  // namespace pertoken
