#include "converters/stream.hpp"

#include "converters/reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
// The hash runs over every input byte: on x86-64 through the library's
// runtime dispatch, which takes AVX2 or AVX-512 where the CPU has them (the
// inlined code could only use SSE2 in a portable build); same hash values.
#define XXH_STATIC_LINKING_ONLY // XXH3_state_t's definition, for HashState
#include <xxhash.h>
#if defined(__x86_64__)
#include <xxh_x86dispatch.h>
#endif

namespace ultrastrength {

FileStream::FileStream(const std::string& path) : m_path(path) {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        throw InputError(path + ": cannot open: " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode)) {
        // A FIFO or `<(...)` pipe has no size in advance.
        m_size = static_cast<std::uint64_t>(st.st_size);
    }
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

FileStream::~FileStream() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

std::size_t FileStream::read(std::uint8_t* buffer, std::size_t size) {
    for (;;) {
        const ssize_t n = ::read(m_fd, buffer, size);
        if (n >= 0) {
            return static_cast<std::size_t>(n);
        }
        if (errno != EINTR) {
            throw InputError(m_path + ": read failed: " + std::strerror(errno));
        }
    }
}

std::uint64_t hash_file(const std::string& path) {
    FileStream file(path);
    XXH3_state_t state{};
    XXH3_64bits_reset(&state);
    std::vector<std::uint8_t> buffer(std::size_t{1} << 20);
    while (const std::size_t n = file.read(buffer.data(), buffer.size())) {
        XXH3_64bits_update(&state, buffer.data(), n);
    }
    return XXH3_64bits_digest(&state);
}

std::size_t MemoryStream::read(std::uint8_t* buffer, std::size_t size) {
    const std::size_t n = std::min(size, m_bytes.size() - m_pos);
    if (n > 0) {
        std::memcpy(buffer, m_bytes.data() + m_pos, n);
        m_pos += n;
    }
    return n;
}

struct PeekStream::HashState {
    XXH3_state_t state{};
};

PeekStream::PeekStream(ByteStream& inner)
    : m_inner(inner), m_head(peek_size), m_hash(std::make_unique<HashState>()) {
    XXH3_64bits_reset(&m_hash->state);
    while (m_head_size < peek_size) {
        const std::size_t n = m_inner.read(m_head.data() + m_head_size, peek_size - m_head_size);
        if (n == 0) {
            break;
        }
        m_head_size += n;
    }
    XXH3_64bits_update(&m_hash->state, m_head.data(), m_head_size);
    m_total = m_head_size;
}

PeekStream::~PeekStream() = default;

std::size_t PeekStream::read(std::uint8_t* buffer, std::size_t size) {
    if (m_head_pos < m_head_size) {
        const std::size_t n = std::min(size, m_head_size - m_head_pos);
        std::memcpy(buffer, m_head.data() + m_head_pos, n);
        m_head_pos += n;
        return n;
    }
    const std::size_t n = m_inner.read(buffer, size);
    if (n > 0) {
        XXH3_64bits_update(&m_hash->state, buffer, n);
        m_total += n;
    }
    return n;
}

std::uint64_t PeekStream::finish_hash() {
    m_head_pos = m_head_size;
    // Not value-initialised: readers usually leave nothing, and zeroing
    // 64 KiB per input was ~9 instructions per record of a bulk folder.
    constexpr std::size_t rest_size = 64 * 1024;
    const std::unique_ptr<std::uint8_t[]> rest(new std::uint8_t[rest_size]);
    while (read(rest.get(), rest_size) > 0) {
    }
    return XXH3_64bits_digest(&m_hash->state);
}

} // namespace ultrastrength
