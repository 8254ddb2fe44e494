#include "fit/crc.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using ultrastrength::fit::crc16;

namespace {
// The protocol's own nibble algorithm, written out as the spec states it, to
// check the byte-table version against.
std::uint16_t reference_crc(std::uint16_t crc, const std::vector<std::uint8_t>& bytes) {
    static constexpr std::array<std::uint16_t, 16> t = {
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400};
    for (const auto b : bytes) {
        std::uint16_t tmp = t[crc & 0xF];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ t[b & 0xF];
        tmp = t[crc & 0xF];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ t[(b >> 4) & 0xF];
    }
    return crc;
}
} // namespace

TEST(Crc16, MatchesCrc16ArcCheckValue) {
    // CRC-16/ARC of "123456789" is 0xBB3D.
    const std::vector<std::uint8_t> text = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    EXPECT_EQ(crc16(0, text), 0xBB3D);
}

TEST(Crc16, ByteTableEqualsNibbleAlgorithm) {
    std::vector<std::uint8_t> bytes;
    for (int i = 0; i < 1000; ++i) {
        bytes.push_back(static_cast<std::uint8_t>((i * 7919) ^ (i >> 3)));
    }
    EXPECT_EQ(crc16(0, bytes), reference_crc(0, bytes));
}

TEST(Crc16, AppendingTheCrcGivesZero) {
    std::vector<std::uint8_t> bytes = {14, 0x10, 0xD2, 0x07, 0, 0, 0, 0, '.', 'F', 'I', 'T'};
    const std::uint16_t crc = crc16(0, bytes);
    bytes.push_back(static_cast<std::uint8_t>(crc & 0xFF));
    bytes.push_back(static_cast<std::uint8_t>(crc >> 8));
    EXPECT_EQ(crc16(0, bytes), 0);
}

TEST(Crc16, EveryLengthAndStartValueEqualsNibbleAlgorithm) {
    // Long spans take the carry-less multiplication path where the CPU has
    // it: every length around its block sizes, from any running CRC.
    std::vector<std::uint8_t> bytes(5000);
    std::uint32_t state = 12345;
    for (auto& b : bytes) {
        state = state * 1103515245U + 12345U;
        b = static_cast<std::uint8_t>(state >> 16);
    }
    for (std::size_t n = 0; n <= 600; ++n) {
        const std::vector<std::uint8_t> part(bytes.begin() + static_cast<std::ptrdiff_t>(n % 7),
                                             bytes.begin() +
                                                 static_cast<std::ptrdiff_t>(n % 7 + n));
        const auto start = static_cast<std::uint16_t>(n * 40503U);
        ASSERT_EQ(crc16(start, part), reference_crc(start, part)) << "length " << n;
    }
    EXPECT_EQ(crc16(0xBEEF, bytes), reference_crc(0xBEEF, bytes));
}
