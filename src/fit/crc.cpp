#include "fit/crc.hpp"

#include <array>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define US_CRC_CLMUL 1
#endif

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
std::uint16_t crc16_slices(std::uint16_t crc, const std::uint8_t* p, std::size_t n) noexcept {
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

#ifdef US_CRC_CLMUL
// Carry-less multiplication folding (Gopal et al., "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ", Intel 2009), for the 16-bit FIT
// polynomial. No library offers it for CRC-16/ARC (zlib's is for CRC-32), and
// with the CRC running over every byte of every file it was a sixth of the
// cost of reading a FIT file even with slicing-by-8.
//
// The data is read as 128-bit blocks; a register holds a polynomial A of
// degree < 128 in reflected order (bit i is the coefficient of x^(127-i)),
// which is how the bytes lie in memory. Moving A forward over the next N bits
// (A * x^N mod P) is two carry-less products of its 64-bit halves with the
// constants below, and xoring the next data in. At the end, the CRC of the
// register's 16 bytes (by table) is the CRC of everything folded into it.

constexpr std::uint32_t poly = 0x18005; // x^16 + x^15 + x^2 + 1

/// x^n mod P, as a polynomial of degree < 16 (bit k = coefficient of x^k).
constexpr std::uint32_t x_pow_mod(unsigned n) noexcept {
    std::uint32_t r = 1;
    for (unsigned i = 0; i < n; ++i) {
        r <<= 1;
        if ((r & 0x10000U) != 0) {
            r ^= poly;
        }
    }
    return r;
}

/// A polynomial of degree < 64 in the register's reflected order (bit l = coefficient of x^(63-l)).
constexpr std::uint64_t reflect64(std::uint32_t p) noexcept {
    std::uint64_t r = 0;
    for (unsigned k = 0; k < 32; ++k) {
        if (((p >> k) & 1U) != 0) {
            r |= std::uint64_t{1} << (63 - k);
        }
    }
    return r;
}

/// Constants to move a register forward over `bits`: the low half (the
/// higher-degree coefficients) is multiplied by x^(bits+63), the high half by
/// x^(bits-1); the missing x of each is the product's own one-bit shift in
/// reflected order.
struct FoldConstants {
    std::uint64_t lo;
    std::uint64_t hi;
};
constexpr FoldConstants fold_constants(unsigned bits) noexcept {
    return {reflect64(x_pow_mod(bits + 63)), reflect64(x_pow_mod(bits - 1))};
}
constexpr FoldConstants fold_128 = fold_constants(128);
constexpr FoldConstants fold_512 = fold_constants(512);

__attribute__((target("pclmul,sse2"))) inline __m128i fold(__m128i acc, __m128i k,
                                                           __m128i next) noexcept {
    const __m128i a = _mm_clmulepi64_si128(acc, k, 0x00);
    const __m128i b = _mm_clmulepi64_si128(acc, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(a, b), next);
}

/// Needs n >= 64.
__attribute__((target("pclmul,sse2"))) std::uint16_t
crc16_clmul(std::uint16_t crc, const std::uint8_t* p, std::size_t n) noexcept {
    const auto load = [](const std::uint8_t* at) {
        return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    };
    // The running CRC enters as the first two bytes' xor, as in the table loop.
    __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(crc));
    __m128i x1 = load(p + 16);
    __m128i x2 = load(p + 32);
    __m128i x3 = load(p + 48);
    p += 64;
    n -= 64;
    const __m128i k512 =
        _mm_set_epi64x(static_cast<long long>(fold_512.hi), static_cast<long long>(fold_512.lo));
    while (n >= 64) {
        x0 = fold(x0, k512, load(p));
        x1 = fold(x1, k512, load(p + 16));
        x2 = fold(x2, k512, load(p + 32));
        x3 = fold(x3, k512, load(p + 48));
        p += 64;
        n -= 64;
    }
    const __m128i k128 =
        _mm_set_epi64x(static_cast<long long>(fold_128.hi), static_cast<long long>(fold_128.lo));
    x1 = fold(x0, k128, x1);
    x2 = fold(x1, k128, x2);
    x3 = fold(x2, k128, x3);
    while (n >= 16) {
        x3 = fold(x3, k128, load(p));
        p += 16;
        n -= 16;
    }
    std::array<std::uint8_t, 16> folded{};
    _mm_storeu_si128(reinterpret_cast<__m128i*>(folded.data()), x3);
    crc = crc16_slices(0, folded.data(), folded.size());
    return crc16_slices(crc, p, n);
}

bool has_clmul() noexcept {
    static const bool yes = __builtin_cpu_supports("pclmul") != 0;
    return yes;
}
#endif

} // namespace

std::uint16_t crc16(std::uint16_t crc, std::span<const std::uint8_t> bytes) noexcept {
#ifdef US_CRC_CLMUL
    if (bytes.size() >= 64 && has_clmul()) {
        return crc16_clmul(crc, bytes.data(), bytes.size());
    }
#endif
    return crc16_slices(crc, bytes.data(), bytes.size());
}

} // namespace ultrastrength::fit
