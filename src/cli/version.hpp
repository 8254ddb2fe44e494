#ifndef ULTRASTRENGTH_CLI_VERSION_HPP
#define ULTRASTRENGTH_CLI_VERSION_HPP

// From project(VERSION) in the top-level CMakeLists.txt (cmake/version.h.in).
#include "ultrastrength_version.h"

namespace ultrastrength {
inline constexpr const char* version = ULTRASTRENGTH_VERSION;
} // namespace ultrastrength

#endif
