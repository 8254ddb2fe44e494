#include "converters/archive/gzip_stream.hpp"

#include "converters/reader.hpp"

#include <zlib.h>

#include <limits>

namespace ultrastrength {

bool is_gzip(std::span<const std::uint8_t> head) noexcept {
    return head.size() >= 2 && head[0] == 0x1f && head[1] == 0x8b;
}

struct GzipStream::State {
    z_stream z{};
};

GzipStream::GzipStream(ByteStream& compressed, std::string source, const ArchiveLimits& limits,
                       ExpansionBudget& budget)
    : m_in(compressed), m_source(std::move(source)), m_limits(limits), m_budget(budget),
      m_state(std::make_unique<State>()), m_buffer(64 * 1024) {
    // 16 + MAX_WBITS: gzip wrapper only, so a raw zlib stream is an error.
    if (inflateInit2(&m_state->z, 16 + MAX_WBITS) != Z_OK) {
        throw InputError(m_source + ": gzip: cannot initialise zlib");
    }
}

GzipStream::~GzipStream() {
    inflateEnd(&m_state->z);
}

void GzipStream::fail(const std::string& problem) const {
    throw InputError(m_source + ": gzip: " + problem);
}

bool GzipStream::refill() {
    const std::size_t n = m_in.read(m_buffer.data(), m_buffer.size());
    m_state->z.next_in = m_buffer.data();
    m_state->z.avail_in = static_cast<uInt>(n);
    return n > 0;
}

std::size_t GzipStream::read(std::uint8_t* buffer, std::size_t size) {
    z_stream& z = m_state->z;
    if (m_eof || size == 0) {
        return 0;
    }
    size = std::min<std::size_t>(size, std::numeric_limits<uInt>::max());
    z.next_out = buffer;
    z.avail_out = static_cast<uInt>(size);
    while (z.avail_out == size) {
        if (z.avail_in == 0 && !refill()) {
            if (!m_member_done) {
                fail("data ends early (truncated after " + std::to_string(m_in_total) +
                     " compressed bytes)");
            }
            m_eof = true;
            break;
        }
        if (m_member_done) {
            // Another member may follow (multi-member gzip); anything else
            // after a complete member is ignored, as gzip(1) does.
            if (z.next_in[0] != 0x1f) {
                m_eof = true;
                break;
            }
            inflateReset(&z);
            m_member_done = false;
        }
        const uInt before_in = z.avail_in;
        const int rc = inflate(&z, Z_NO_FLUSH);
        m_in_total += before_in - z.avail_in;
        if (rc == Z_STREAM_END) {
            m_member_done = true;
        } else if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR) {
            fail(std::string("corrupt data after ") + std::to_string(m_in_total) +
                 " compressed bytes: " + (z.msg != nullptr ? z.msg : "invalid deflate stream"));
        } else if (rc == Z_MEM_ERROR) {
            fail("out of memory");
        }
        // Z_BUF_ERROR only means "no progress possible": more input follows.
    }
    const std::size_t produced = size - z.avail_out;
    m_out_total += produced;
    if (!m_budget.add(produced)) {
        fail("expands past the limit of " + std::to_string(m_budget.limit() >> 20) +
             " MiB for one input (decompression bomb?)");
    }
    if (m_out_total > m_limits.ratio_grace_bytes &&
        static_cast<double>(m_out_total) >
            m_limits.max_ratio * static_cast<double>(std::max<std::uint64_t>(m_in_total, 1))) {
        fail("expands more than " + std::to_string(static_cast<int>(m_limits.max_ratio)) + ":1 (" +
             std::to_string(m_out_total) + " bytes from " + std::to_string(m_in_total) +
             "; decompression bomb?)");
    }
    return produced;
}

} // namespace ultrastrength
