// FIT base types: the byte in a definition message that says how a field is
// stored, its size and its "invalid" sentinel (FIT protocol, "Base types";
// specs/input-formats.md §1.5). Bit 7 marks multi-byte, endian-capable types.
#ifndef ULTRASTRENGTH_FIT_BASE_TYPE_HPP
#define ULTRASTRENGTH_FIT_BASE_TYPE_HPP

#include <array>
#include <cstdint>

namespace ultrastrength::fit {

namespace base_type {
inline constexpr std::uint8_t enum_ = 0x00;
inline constexpr std::uint8_t sint8 = 0x01;
inline constexpr std::uint8_t uint8 = 0x02;
inline constexpr std::uint8_t sint16 = 0x83;
inline constexpr std::uint8_t uint16 = 0x84;
inline constexpr std::uint8_t sint32 = 0x85;
inline constexpr std::uint8_t uint32 = 0x86;
inline constexpr std::uint8_t string = 0x07;
inline constexpr std::uint8_t float32 = 0x88;
inline constexpr std::uint8_t float64 = 0x89;
inline constexpr std::uint8_t uint8z = 0x0A;
inline constexpr std::uint8_t uint16z = 0x8B;
inline constexpr std::uint8_t uint32z = 0x8C;
inline constexpr std::uint8_t byte = 0x0D;
inline constexpr std::uint8_t sint64 = 0x8E;
inline constexpr std::uint8_t uint64 = 0x8F;
inline constexpr std::uint8_t uint64z = 0x90;
} // namespace base_type

namespace detail {
struct BaseTypeInfo {
    std::uint8_t size;     ///< bytes of one element
    std::uint64_t invalid; ///< raw sentinel (bit pattern for floats)
};
// Indexed by the type number (the base-type byte's low 5 bits).
inline constexpr std::array<BaseTypeInfo, 17> base_types = {{
    {1, 0xFF},               // enum
    {1, 0x7F},               // sint8
    {1, 0xFF},               // uint8
    {2, 0x7FFF},             // sint16
    {2, 0xFFFF},             // uint16
    {4, 0x7FFFFFFF},         // sint32
    {4, 0xFFFFFFFF},         // uint32
    {1, 0x00},               // string
    {4, 0xFFFFFFFF},         // float32
    {8, 0xFFFFFFFFFFFFFFFF}, // float64
    {1, 0x00},               // uint8z
    {2, 0x0000},             // uint16z
    {4, 0x00000000},         // uint32z
    {1, 0xFF},               // byte
    {8, 0x7FFFFFFFFFFFFFFF}, // sint64
    {8, 0xFFFFFFFFFFFFFFFF}, // uint64
    {8, 0x0000000000000000}, // uint64z
}};
} // namespace detail

/// True for a base-type byte this protocol version defines.
constexpr bool is_known_base_type(std::uint8_t type) noexcept {
    return (type & 0x1F) < detail::base_types.size();
}

/// Bytes of one element; 1 for unknown types (then the field is plain bytes).
constexpr std::uint8_t base_type_size(std::uint8_t type) noexcept {
    return is_known_base_type(type) ? detail::base_types[type & 0x1F].size : 1;
}

/// True when `raw` (the element read in the file's byte order, zero-extended)
/// is the type's invalid sentinel. Checked before any scale or offset.
constexpr bool is_invalid(std::uint8_t type, std::uint64_t raw) noexcept {
    return is_known_base_type(type) && raw == detail::base_types[type & 0x1F].invalid;
}

} // namespace ultrastrength::fit

#endif
