# Warning flags shared by every pertoken target (third-party headers are SYSTEM and stay quiet).
add_library(pertoken_warnings INTERFACE)
target_compile_options(pertoken_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                                   -Wno-sign-conversion)
if(PERTOKEN_WERROR)
  target_compile_options(pertoken_warnings INTERFACE -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s string concatenation at -O2/-O3
  # (GCC bug 105329); the warning says nothing about our code.
  target_compile_options(pertoken_warnings INTERFACE -Wno-restrict)
endif()
