// zip archives through libarchive, read forward from a ByteStream (so a zip
// inside a zip is read without extracting anything) one member at a time.
#ifndef ULTRASTRENGTH_CONVERTERS_ARCHIVE_ZIP_ARCHIVE_HPP
#define ULTRASTRENGTH_CONVERTERS_ARCHIVE_ZIP_ARCHIVE_HPP

#include "converters/archive/limits.hpp"
#include "converters/stream.hpp"

#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct archive;

namespace ultrastrength {

/// True when `head` starts a zip: a local file header (PK 3 4) or the end
/// record of an empty zip (PK 5 6).
bool is_zip(std::span<const std::uint8_t> head) noexcept;
/// True for the end record alone: a zip without members.
bool is_empty_zip(std::span<const std::uint8_t> head) noexcept;

/// One entry as the archive describes it.
struct ZipEntry {
    std::string name;     ///< path inside the archive, as stored
    bool is_file = false; ///< false for folders, links and devices
    bool encrypted = false;
    std::uint64_t index = 0; ///< 0-based position in the archive
};

class ZipArchive {
public:
    /// `source` names the archive in errors (`outer.zip!inner.zip`).
    ZipArchive(ByteStream& in, std::string source, const ArchiveLimits& limits,
               ExpansionBudget& budget);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    /// Moves to the next entry; false at the end. Throws InputError when the
    /// archive itself is broken (truncated, not a zip, too many members):
    /// the members before it stay valid.
    bool next(ZipEntry& entry);

    /// The current member's bytes, streamed and checked against the limits;
    /// valid until the next call of next().
    ByteStream& member();

    const std::string& source() const noexcept { return m_source; }

private:
    class MemberStream;
    static long read_callback(struct archive* a, void* self, const void** buffer);
    [[noreturn]] void fail(const std::string& problem);

    ByteStream& m_in;
    std::string m_source;
    const ArchiveLimits& m_limits;
    ExpansionBudget& m_budget;
    struct archive* m_archive = nullptr;
    std::vector<std::uint8_t> m_buffer;
    std::uint64_t m_raw_total = 0; ///< archive bytes handed to libarchive
    std::uint64_t m_count = 0;
    std::string m_last_name;
    std::exception_ptr m_inner_error; ///< thrown by m_in inside a libarchive callback
    std::unique_ptr<MemberStream> m_member;
};

} // namespace ultrastrength

#endif
