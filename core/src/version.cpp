// The project's version, injected by CMake.
#include "pertoken/version.hpp"

namespace pertoken {

std::string_view version() { return PERTOKEN_VERSION; }

}  // namespace pertoken
