// A bounded read-ahead buffer over a ByteStream for the FIT decoders: the
// largest FIT message (255 fields and 255 developer fields of 255 bytes, plus
// its definition) fits, so peak memory does not depend on the file's size.
// The FIT CRC of the consumed bytes is kept on the way.
#ifndef ULTRASTRENGTH_CONVERTERS_FIT_FIT_INPUT_HPP
#define ULTRASTRENGTH_CONVERTERS_FIT_FIT_INPUT_HPP

#include "converters/stream.hpp"
#include "fit/crc.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

namespace ultrastrength::detail {

class FitInput {
public:
    static constexpr std::size_t capacity = 256 * 1024;

    // Not value-initialised: zeroing 256 KiB per file showed up in profiles.
    explicit FitInput(ByteStream& in) : m_in(in), m_buf(new std::uint8_t[capacity]) {}

    /// Makes `n` (<= capacity) bytes available at data(); false if the
    /// stream ends first (available() then says how many there are).
    bool ensure(std::size_t n) {
        if (m_end - m_pos >= n) {
            return true;
        }
        return refill(n);
    }
    const std::uint8_t* data() const noexcept { return m_buf.get() + m_pos; }
    std::size_t available() const noexcept { return m_end - m_pos; }
    /// Offset of data() from the start of the stream.
    std::uint64_t offset() const noexcept { return m_base + m_pos; }
    void consume(std::size_t n) noexcept { m_pos += n; }

    /// Starts a new CRC at the current position (each chained part has its own).
    void reset_crc() noexcept {
        m_crc = 0;
        m_crc_from = m_pos;
    }
    /// CRC of everything consumed since reset_crc().
    std::uint16_t crc() noexcept {
        update_crc();
        return m_crc;
    }

private:
    void update_crc() noexcept {
        if (m_pos > m_crc_from) {
            m_crc = fit::crc16(
                m_crc, std::span<const std::uint8_t>(m_buf.get() + m_crc_from, m_pos - m_crc_from));
        }
        m_crc_from = m_pos;
    }

    bool refill(std::size_t n) {
        update_crc();
        if (m_pos > 0) {
            std::memmove(m_buf.get(), m_buf.get() + m_pos, m_end - m_pos);
            m_base += m_pos;
            m_end -= m_pos;
            m_pos = 0;
            m_crc_from = 0;
        }
        while (m_end < n && !m_eof) {
            const std::size_t got = m_in.read(m_buf.get() + m_end, capacity - m_end);
            if (got == 0) {
                m_eof = true;
            }
            m_end += got;
        }
        return m_end >= n;
    }

    ByteStream& m_in;
    std::unique_ptr<std::uint8_t[]> m_buf;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_base = 0;
    std::size_t m_crc_from = 0;
    std::uint16_t m_crc = 0;
    bool m_eof = false;
};

} // namespace ultrastrength::detail

#endif
