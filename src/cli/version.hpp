#ifndef ULTRASTRENGTH_CLI_VERSION_HPP
#define ULTRASTRENGTH_CLI_VERSION_HPP

namespace ultrastrength {
inline constexpr const char* version = "0.1.0";
} // namespace ultrastrength

#endif
