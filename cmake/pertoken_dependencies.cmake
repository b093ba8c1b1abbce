# Third-party dependencies, all from Debian's packages (no network at configure time).
# Emscripten's toolchain searches only its sysroot, so for WebAssembly the header-only libraries are
# reached through a build-local include folder of symbolic links (see ../shared/TOOLCHAIN.md).
if(EMSCRIPTEN)
  set(_sysinc "${CMAKE_BINARY_DIR}/sysinc")
  file(MAKE_DIRECTORY "${_sysinc}")
  foreach(_dir nlohmann catch2)
    if(EXISTS "/usr/include/${_dir}" AND NOT EXISTS "${_sysinc}/${_dir}")
      file(CREATE_LINK "/usr/include/${_dir}" "${_sysinc}/${_dir}" SYMBOLIC)
    endif()
  endforeach()
  add_library(pertoken_json INTERFACE)
  target_include_directories(pertoken_json SYSTEM INTERFACE "${_sysinc}")
  add_library(pertoken_catch2 INTERFACE)
  target_include_directories(pertoken_catch2 SYSTEM INTERFACE "${_sysinc}")
  list(APPEND CMAKE_MODULE_PATH "/usr/lib/cmake/Catch2")  # Catch.cmake (catch_discover_tests)
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  add_library(pertoken_json INTERFACE)
  target_link_libraries(pertoken_json INTERFACE nlohmann_json::nlohmann_json)
  if(PERTOKEN_BUILD_TESTS)
    find_package(Catch2 2 REQUIRED)
    add_library(pertoken_catch2 INTERFACE)
    target_link_libraries(pertoken_catch2 INTERFACE Catch2::Catch2)
  endif()
endif()
# nlohmann::json must never throw inside the core: it is built without exceptions for WebAssembly,
# where a throw would abort. The core uses only its non-throwing entry points.
target_compile_definitions(pertoken_json INTERFACE JSON_USE_IMPLICIT_CONVERSIONS=0)
