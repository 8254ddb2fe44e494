// The FIT CRC-16 (CRC-16/ARC nibble-table variant; FIT protocol, "CRC").
#ifndef ULTRASTRENGTH_FIT_CRC_HPP
#define ULTRASTRENGTH_FIT_CRC_HPP

#include <cstddef>
#include <cstdint>
#include <span>

namespace ultrastrength::fit {

/// Continues a CRC over `bytes`; start with 0. Over a whole FIT file including
/// its trailing CRC the result is 0.
std::uint16_t crc16(std::uint16_t crc, std::span<const std::uint8_t> bytes) noexcept;

} // namespace ultrastrength::fit

#endif
