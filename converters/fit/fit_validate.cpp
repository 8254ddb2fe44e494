#include "converters/fit/fit_validate.hpp"

#include "converters/fit/fit_input.hpp"
#include "fit/header.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <span>

namespace ultrastrength {

namespace {

class Validator {
public:
    Validator(ByteStream& in, const std::string& source) : m_in(in), m_source(source) {}

    std::vector<std::string> run() {
        std::size_t parts = 0;
        while (m_in.ensure(1)) {
            const std::uint64_t part_start = m_in.offset();
            m_in.ensure(fit::max_header_size);
            fit::FileHeader header;
            std::string what;
            if (fit::parse_header({m_in.data(), m_in.available()}, header, &what) !=
                fit::HeaderStatus::ok) {
                report(part_start,
                       parts == 0
                           ? "expected " + what
                           : "expected another chained FIT part or the end of the input: " + what);
                return std::move(m_problems);
            }
            ++parts;
            m_in.reset_crc();
            if (!fit::header_crc_ok({m_in.data(), header.size}, header)) {
                char text[96];
                std::snprintf(text, sizeof text, "header CRC 0x%04X does not match computed 0x%04X",
                              *header.crc, fit::computed_header_crc({m_in.data(), 12}));
                report(part_start + 12, text);
            }
            m_in.consume(header.size);
            const std::uint64_t data_end = part_start + header.size + header.data_size;
            walk(data_end);
            // Skip what the walk could not parse, so the CRC still covers the data section.
            while (m_in.offset() < data_end) {
                const auto want = static_cast<std::size_t>(
                    std::min<std::uint64_t>(data_end - m_in.offset(), 65536));
                if (!m_in.ensure(want)) {
                    if (m_in.available() == 0) {
                        report(m_in.offset(), "expected " +
                                                  std::to_string(data_end - m_in.offset()) +
                                                  " more bytes of data (the header declares " +
                                                  std::to_string(header.data_size) +
                                                  "), found the end of the input");
                        return std::move(m_problems);
                    }
                    m_in.consume(m_in.available());
                    continue;
                }
                m_in.consume(want);
            }
            const std::uint16_t computed = m_in.crc();
            if (!m_in.ensure(2)) {
                report(m_in.offset(), "expected the 2-byte file CRC, found the end of the input");
                return std::move(m_problems);
            }
            const auto stored = static_cast<std::uint16_t>(m_in.data()[0] | (m_in.data()[1] << 8));
            if (stored != computed) {
                char text[96];
                std::snprintf(text, sizeof text, "file CRC 0x%04X does not match computed 0x%04X",
                              stored, computed);
                report(m_in.offset(), text);
            }
            m_in.consume(2);
        }
        if (parts == 0) {
            report(0, "expected a FIT header, found an empty input");
        }
        return std::move(m_problems);
    }

private:
    void report(std::uint64_t offset, const std::string& text) {
        m_problems.push_back(m_source + ": byte " + std::to_string(offset) + ": " + text);
    }

    /// Walks the records of one part; stops at the first structural problem.
    void walk(std::uint64_t data_end) {
        std::array<std::optional<std::uint32_t>, 16> sizes{};
        while (m_in.offset() < data_end) {
            const std::uint64_t at = m_in.offset();
            if (!m_in.ensure(1)) {
                return; // reported by the caller as missing data
            }
            const std::uint8_t header = m_in.data()[0];
            std::size_t total = 0;
            if ((header & 0xC0) == 0x40) {
                if (!m_in.ensure(6)) {
                    return;
                }
                const std::uint8_t arch = m_in.data()[2];
                if (arch > 1) {
                    char text[96];
                    std::snprintf(text, sizeof text,
                                  "definition architecture byte 0x%02X is neither 0 "
                                  "(little-endian) nor 1 (big-endian)",
                                  arch);
                    report(at + 2, text);
                    return;
                }
                const std::size_t n_fields = m_in.data()[5];
                total = 6 + 3 * n_fields;
                const bool dev = (header & 0x20) != 0;
                if (!m_in.ensure(total + (dev ? 1 : 0))) {
                    return;
                }
                std::uint32_t size = 0;
                for (std::size_t i = 0; i < n_fields; ++i) {
                    size += m_in.data()[7 + 3 * i];
                }
                if (dev) {
                    const std::size_t n_dev = m_in.data()[total];
                    total += 1 + 3 * n_dev;
                    if (!m_in.ensure(total)) {
                        return;
                    }
                    for (std::size_t i = 0; i < n_dev; ++i) {
                        size += m_in.data()[6 + 3 * n_fields + 1 + 3 * i + 1];
                    }
                }
                sizes[header & 0x0F] = size;
            } else {
                const unsigned local =
                    (header & 0x80) != 0 ? (header >> 5) & 0x03U : header & 0x0FU;
                if (!sizes[local]) {
                    char text[128];
                    std::snprintf(
                        text, sizeof text,
                        "record header 0x%02X uses local message type %u, which has no definition",
                        header, local);
                    report(at, text);
                    return;
                }
                total = 1 + *sizes[local];
            }
            if (at + total > data_end) {
                report(at, "message of " + std::to_string(total) +
                               " bytes overruns the data section, which ends at byte " +
                               std::to_string(data_end));
                return;
            }
            if (!m_in.ensure(total)) {
                return;
            }
            m_in.consume(total);
        }
    }

    detail::FitInput m_in;
    const std::string& m_source;
    std::vector<std::string> m_problems;
};

} // namespace

std::vector<std::string> validate_fit(ByteStream& in, const std::string& source) {
    return Validator(in, source).run();
}

} // namespace ultrastrength
