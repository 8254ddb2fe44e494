#include "fit/crc.hpp"

#include <array>

namespace ultrastrength::fit {

namespace {
// 16-entry table of the FIT protocol (garmin/fit-javascript-sdk:src/crc-calculator.js),
// extended to a 256-entry byte table at compile time: same result, one lookup per byte.
constexpr std::array<std::uint16_t, 16> nibble_table = {
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
};

constexpr std::uint16_t nibble_step(std::uint16_t crc, std::uint8_t byte) noexcept {
    std::uint16_t tmp = nibble_table[crc & 0xF];
    crc = static_cast<std::uint16_t>((crc >> 4) & 0x0FFF);
    crc = static_cast<std::uint16_t>(crc ^ tmp ^ nibble_table[byte & 0xF]);
    tmp = nibble_table[crc & 0xF];
    crc = static_cast<std::uint16_t>((crc >> 4) & 0x0FFF);
    crc = static_cast<std::uint16_t>(crc ^ tmp ^ nibble_table[(byte >> 4) & 0xF]);
    return crc;
}

constexpr std::array<std::uint16_t, 256> byte_table = [] {
    std::array<std::uint16_t, 256> table{};
    for (unsigned b = 0; b < 256; ++b) {
        table[b] = nibble_step(0, static_cast<std::uint8_t>(b));
    }
    return table;
}();
} // namespace

std::uint16_t crc16(std::uint16_t crc, std::span<const std::uint8_t> bytes) noexcept {
    for (const std::uint8_t b : bytes) {
        crc = static_cast<std::uint16_t>((crc >> 8) ^ byte_table[(crc ^ b) & 0xFF]);
    }
    return crc;
}

} // namespace ultrastrength::fit
