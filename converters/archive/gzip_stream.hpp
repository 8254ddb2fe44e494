// gzip (RFC 1952) as a ByteStream: inflates another ByteStream on the fly
// with zlib, so a .fit.gz is read in bounded memory. Several concatenated
// gzip members are one stream, as gzip(1) treats them.
#ifndef ULTRASTRENGTH_CONVERTERS_ARCHIVE_GZIP_STREAM_HPP
#define ULTRASTRENGTH_CONVERTERS_ARCHIVE_GZIP_STREAM_HPP

#include "converters/archive/limits.hpp"
#include "converters/stream.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ultrastrength {

/// True when `head` starts with the gzip magic bytes 1f 8b.
bool is_gzip(std::span<const std::uint8_t> head) noexcept;

class GzipStream final : public ByteStream {
public:
    /// `source` names the .gz in errors. Throws InputError when a limit of
    /// `limits` or `budget` is exceeded, or the data is corrupt or truncated.
    GzipStream(ByteStream& compressed, std::string source, const ArchiveLimits& limits,
               ExpansionBudget& budget);
    ~GzipStream() override;
    std::size_t read(std::uint8_t* buffer, std::size_t size) override;

private:
    bool refill();
    [[noreturn]] void fail(const std::string& problem) const;

    ByteStream& m_in;
    std::string m_source;
    const ArchiveLimits& m_limits;
    ExpansionBudget& m_budget;
    struct State;
    std::unique_ptr<State> m_state;
    std::vector<std::uint8_t> m_buffer;
    std::uint64_t m_in_total = 0;  ///< compressed bytes consumed
    std::uint64_t m_out_total = 0; ///< bytes produced
    bool m_member_done = false;    ///< between two members (or at the end)
    bool m_eof = false;
};

} // namespace ultrastrength

#endif
