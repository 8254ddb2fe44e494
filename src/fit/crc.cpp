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

// Slicing-by-8 tables: slice[k][b] is the CRC contribution of byte b followed
// by k zero bytes, so eight bytes cost eight independent lookups. The CRC
// runs over every byte a reader sees; one lookup per byte made it the
// largest cost of reading a FIT file.
constexpr std::array<std::array<std::uint16_t, 256>, 8> slice_tables = [] {
    std::array<std::array<std::uint16_t, 256>, 8> t{};
    t[0] = byte_table;
    for (std::size_t k = 1; k < 8; ++k) {
        for (unsigned b = 0; b < 256; ++b) {
            const std::uint16_t prev = t[k - 1][b];
            t[k][b] = static_cast<std::uint16_t>((prev >> 8) ^ byte_table[prev & 0xFF]);
        }
    }
    return t;
}();
} // namespace

std::uint16_t crc16(std::uint16_t crc, std::span<const std::uint8_t> bytes) noexcept {
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    const auto& t = slice_tables;
    while (n >= 8) {
        crc = static_cast<std::uint16_t>(t[7][p[0] ^ (crc & 0xFF)] ^ t[6][p[1] ^ (crc >> 8)] ^
                                         t[5][p[2]] ^ t[4][p[3]] ^ t[3][p[4]] ^ t[2][p[5]] ^
                                         t[1][p[6]] ^ t[0][p[7]]);
        p += 8;
        n -= 8;
    }
    while (n-- > 0) {
        crc = static_cast<std::uint16_t>((crc >> 8) ^ byte_table[(crc ^ *p++) & 0xFF]);
    }
    return crc;
}

} // namespace ultrastrength::fit
