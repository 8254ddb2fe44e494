#include "plugins/garmin_fit/fit_encoder.hpp"

#include "fit/crc.hpp"

#include <algorithm>
#include <stdexcept>

namespace ultrastrength::fit {

namespace {

/// Local message types are 4 bits wide (normal record header).
constexpr std::size_t local_types = 16;

void put_le(std::vector<std::uint8_t>& out, std::uint32_t value, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) {
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
}

} // namespace

Field Field::enumeration(std::uint8_t number, std::uint8_t value) {
    return Field{number, BaseType::enum_type, 1, value, {}};
}
Field Field::u8(std::uint8_t number, std::uint8_t value) {
    return Field{number, BaseType::uint8, 1, value, {}};
}
Field Field::u16(std::uint8_t number, std::uint16_t value) {
    return Field{number, BaseType::uint16, 2, value, {}};
}
Field Field::u32(std::uint8_t number, std::uint32_t value) {
    return Field{number, BaseType::uint32, 4, value, {}};
}
Field Field::u32z(std::uint8_t number, std::uint32_t value) {
    return Field{number, BaseType::uint32z, 4, value, {}};
}

Field Field::string(std::uint8_t number, std::string_view text, std::uint8_t width) {
    std::size_t end = std::min<std::size_t>(text.size(), width > 0 ? width - 1U : 0U);
    if (end < text.size()) {
        // Do not cut a multi-byte UTF-8 sequence: back up to its lead byte.
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
            --end;
        }
    }
    // A NUL inside the text would end the string early on the device.
    const auto nul = text.substr(0, end).find('\0');
    if (nul != std::string_view::npos) {
        end = nul;
    }
    return Field{number, BaseType::string, width, 0, std::string(text.substr(0, end))};
}

Encoder::Encoder(std::uint8_t protocol_version, std::uint16_t profile_version)
    : m_protocol_version(protocol_version), m_profile_version(profile_version) {}

void Encoder::add(std::uint16_t global_number, const std::vector<Field>& fields) {
    if (fields.empty() || fields.size() > 255) {
        throw std::invalid_argument("FIT message needs 1 to 255 fields");
    }
    Layout layout{global_number, {}};
    for (const auto& field : fields) {
        layout.signature.push_back(field.number);
        layout.signature.push_back(field.size);
        layout.signature.push_back(static_cast<std::uint8_t>(field.type));
    }
    std::size_t slot = 0;
    const auto found = std::find_if(m_slots.begin(), m_slots.end(), [&](const Layout& held) {
        return held.global_number == layout.global_number && held.signature == layout.signature;
    });
    if (found != m_slots.end()) {
        slot = static_cast<std::size_t>(found - m_slots.begin());
    } else {
        if (m_slots.size() < local_types) {
            slot = m_slots.size();
            m_slots.push_back(layout);
        } else {
            slot = m_next_evict;
            m_next_evict = (m_next_evict + 1) % local_types;
            m_slots[slot] = layout;
        }
        // Definition message: header 0x40|local, reserved, architecture 0
        // (little-endian), global number, field count, 3 bytes per field.
        m_records.push_back(static_cast<std::uint8_t>(0x40U | slot));
        m_records.push_back(0);
        m_records.push_back(0);
        put_le(m_records, global_number, 2);
        m_records.push_back(static_cast<std::uint8_t>(fields.size()));
        m_records.insert(m_records.end(), layout.signature.begin(), layout.signature.end());
    }
    m_records.push_back(static_cast<std::uint8_t>(slot));
    for (const auto& field : fields) {
        if (field.type == BaseType::string) {
            const std::size_t start = m_records.size();
            m_records.insert(m_records.end(), field.text.begin(), field.text.end());
            m_records.resize(start + field.size, 0);
        } else {
            put_le(m_records, field.value, field.size);
        }
    }
}

std::vector<std::uint8_t> Encoder::finish() const {
    std::vector<std::uint8_t> out;
    out.reserve(14 + m_records.size() + 2);
    out.push_back(14);
    out.push_back(m_protocol_version);
    put_le(out, m_profile_version, 2);
    put_le(out, static_cast<std::uint32_t>(m_records.size()), 4);
    out.insert(out.end(), {'.', 'F', 'I', 'T'});
    const std::uint16_t header_crc = crc16(0, out);
    put_le(out, header_crc, 2);
    out.insert(out.end(), m_records.begin(), m_records.end());
    const std::uint16_t file_crc = crc16(0, out);
    put_le(out, file_crc, 2);
    return out;
}

} // namespace ultrastrength::fit
