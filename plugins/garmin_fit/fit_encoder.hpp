// A small FIT encoder: file header, definition and data messages, CRCs
// (output-formats.md §1.1; FIT protocol). It knows base types, not the
// profile: the workout writer says which fields go in which message.
#ifndef ULTRASTRENGTH_PLUGINS_GARMIN_FIT_FIT_ENCODER_HPP
#define ULTRASTRENGTH_PLUGINS_GARMIN_FIT_FIT_ENCODER_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength::fit {

/// Base-type bytes as Garmin's C/C++/C# SDKs write them (§1.1).
enum class BaseType : std::uint8_t {
    enum_type = 0x00,
    uint8 = 0x02,
    uint16 = 0x84,
    uint32 = 0x86,
    uint32z = 0x8C,
    string = 0x07,
};

/// Seconds between the Unix epoch and the FIT epoch 1989-12-31T00:00:00Z.
inline constexpr std::int64_t fit_epoch_offset_s = 631065600;

struct Field {
    std::uint8_t number = 0;
    BaseType type = BaseType::uint8;
    std::uint8_t size = 1;   ///< bytes on the wire (strings: fixed width incl. the NUL)
    std::uint32_t value = 0; ///< integers
    std::string text;        ///< strings, UTF-8

    static Field enumeration(std::uint8_t number, std::uint8_t value);
    static Field u8(std::uint8_t number, std::uint8_t value);
    static Field u16(std::uint8_t number, std::uint16_t value);
    static Field u32(std::uint8_t number, std::uint32_t value);
    static Field u32z(std::uint8_t number, std::uint32_t value);
    /// A string of fixed `width` bytes: truncated to width-1 bytes on a
    /// UTF-8 boundary, NUL-terminated and NUL-padded.
    static Field string(std::uint8_t number, std::string_view text, std::uint8_t width);
};

/// Builds a FIT file in memory. Messages with the same global number and the
/// same field layout share one local message type; a definition is written
/// the first time a layout appears (and again if its local slot was reused).
class Encoder {
public:
    /// `protocol_version` 0x10 (1.0) or 0x20 (2.0); `profile_version`
    /// major*1000+minor (21217 for profile 21.217).
    explicit Encoder(std::uint8_t protocol_version = 0x10, std::uint16_t profile_version = 21217);

    void add(std::uint16_t global_number, const std::vector<Field>& fields);

    /// Header + records + file CRC. The encoder can still be used afterwards.
    std::vector<std::uint8_t> finish() const;

private:
    struct Layout {
        std::uint16_t global_number;
        std::vector<std::uint8_t> signature; ///< (number, size, base type) per field
    };
    std::uint8_t m_protocol_version;
    std::uint16_t m_profile_version;
    std::vector<std::uint8_t> m_records;
    std::vector<Layout> m_slots; ///< layout held by local message type i
    std::size_t m_next_evict = 0;
};

} // namespace ultrastrength::fit

#endif
