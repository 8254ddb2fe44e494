#include "fit/header.hpp"

#include "fit/crc.hpp"

#include <cstdio>
#include <cstring>

namespace ultrastrength::fit {

HeaderStatus parse_header(std::span<const std::uint8_t> bytes, FileHeader& out, std::string* what) {
    const auto explain = [what](HeaderStatus status, const std::string& text) {
        if (what != nullptr) {
            *what = text;
        }
        return status;
    };
    if (bytes.empty()) {
        return explain(HeaderStatus::too_short, "a FIT header, found the end of the input");
    }
    const std::uint8_t size = bytes[0];
    if (size != 12 && size != 14) {
        return explain(HeaderStatus::bad_size,
                       "FIT header size 12 or 14, found " + std::to_string(size));
    }
    if (bytes.size() < size) {
        return explain(HeaderStatus::too_short, "a " + std::to_string(size) +
                                                    "-byte FIT header, found only " +
                                                    std::to_string(bytes.size()) + " bytes");
    }
    if (std::memcmp(bytes.data() + 8, ".FIT", 4) != 0) {
        std::string found;
        for (std::size_t i = 8; i < 12; ++i) {
            const auto c = static_cast<char>(bytes[i]);
            if (bytes[i] >= 0x20 && bytes[i] < 0x7F) {
                found += c;
            } else {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02X", bytes[i]);
                found += hex;
            }
        }
        return explain(HeaderStatus::bad_signature,
                       "FIT signature \".FIT\" at header bytes 8-11, found \"" + found + "\"");
    }
    out.size = size;
    out.protocol_version = bytes[1];
    out.profile_version = static_cast<std::uint16_t>(bytes[2] | (bytes[3] << 8));
    out.data_size =
        static_cast<std::uint32_t>(bytes[4]) | (static_cast<std::uint32_t>(bytes[5]) << 8) |
        (static_cast<std::uint32_t>(bytes[6]) << 16) | (static_cast<std::uint32_t>(bytes[7]) << 24);
    out.crc.reset();
    if (size == 14) {
        out.crc = static_cast<std::uint16_t>(bytes[12] | (bytes[13] << 8));
    }
    return HeaderStatus::ok;
}

std::uint16_t computed_header_crc(std::span<const std::uint8_t> bytes) noexcept {
    return crc16(0, bytes.first(12));
}

bool header_crc_ok(std::span<const std::uint8_t> bytes, const FileHeader& header) noexcept {
    if (!header.crc || *header.crc == 0) {
        return true;
    }
    return computed_header_crc(bytes) == *header.crc;
}

} // namespace ultrastrength::fit
