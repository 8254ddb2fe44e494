// The FIT file header (specs/input-formats.md §1.1): 12 or 14 bytes,
// always little-endian, ".FIT" at bytes 8-11.
#ifndef ULTRASTRENGTH_FIT_HEADER_HPP
#define ULTRASTRENGTH_FIT_HEADER_HPP

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace ultrastrength::fit {

inline constexpr std::size_t min_header_size = 12;
inline constexpr std::size_t max_header_size = 14;
/// FIT epoch 1989-12-31T00:00:00Z in Unix seconds.
inline constexpr std::int64_t fit_epoch_unix_s = 631065600;
/// date_time values below this are seconds since device power-up, not dates (§1.6).
inline constexpr std::uint32_t min_absolute_time = 0x10000000;

struct FileHeader {
    std::uint8_t size = 0; ///< 12 or 14
    std::uint8_t protocol_version = 0;
    std::uint16_t profile_version = 0;
    std::uint32_t data_size = 0;      ///< bytes of records after the header, without the file CRC
    std::optional<std::uint16_t> crc; ///< 14-byte headers only; 0 = not computed
};

enum class HeaderStatus : std::uint8_t { ok, too_short, bad_size, bad_signature };

/// Parses a header from `bytes` (which must hold at least 12 bytes, 14 when
/// byte 0 says 14). On a status other than ok, `what` says what was expected.
HeaderStatus parse_header(std::span<const std::uint8_t> bytes, FileHeader& out,
                          std::string* what = nullptr);

/// True when the header has no CRC, a 0 CRC ("not computed"), or a matching one.
bool header_crc_ok(std::span<const std::uint8_t> bytes, const FileHeader& header) noexcept;

/// The computed CRC of header bytes 0-11.
std::uint16_t computed_header_crc(std::span<const std::uint8_t> bytes) noexcept;

} // namespace ultrastrength::fit

#endif
