// zip archives through libarchive, read forward from a ByteStream (so a zip
// inside a zip is read without extracting anything) one member at a time.
// A zip that is a regular file can also be read through its central
// directory (seekable), which finds members the forward reader cannot.
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
    /// Stored (uncompressed) with its size only in a data descriptor after
    /// the data: reading forward, its end is found by the descriptor alone.
    bool stored_with_descriptor = false;
};

/// A regular file as it was when its reading began: a zip is opened again
/// by path only while it is still that file.
struct SeekableFile {
    std::string path;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

class ZipArchive {
public:
    /// `source` names the archive in errors (`outer.zip!inner.zip`).
    ZipArchive(ByteStream& in, std::string source, const ArchiveLimits& limits,
               ExpansionBudget& budget);
    /// Reads `file` through its central directory (libarchive's seekable zip
    /// reader): each member's size comes from there, so a member whose data
    /// descriptor is wrong does not hide the ones after it. Members are
    /// listed in the same order with the same indexes. Throws InputError if
    /// the file changed since `file` was taken, or if its central directory
    /// may list more than limits.max_members entries (libarchive loads them
    /// all before the first member).
    ZipArchive(const SeekableFile& file, std::string source, const ArchiveLimits& limits,
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

    /// True once libarchive gave up on the archive (ARCHIVE_FATAL): no
    /// member after the current one can be read from this reader.
    bool broken() const noexcept { return m_broken; }
    /// libarchive's error for the current member's data (empty if none):
    /// a CRC mismatch, or why the archive broke inside this member.
    const std::string& member_error() const noexcept { return m_member_error; }
    /// What next() reports once the archive broke after the current member
    /// (it throws this, so that it need not be called again).
    std::string broken_message() const;

private:
    class MemberStream;
    static long read_callback(struct archive* a, void* self, const void** buffer);
    static std::int64_t seek_callback(struct archive* a, void* self, std::int64_t offset,
                                      int whence);
    static std::int64_t skip_callback(struct archive* a, void* self, std::int64_t request);
    [[noreturn]] void fail(const std::string& problem);

    ByteStream* m_in = nullptr; ///< the forward reader's input
    int m_fd = -1;              ///< the seekable reader's file
    std::string m_source;
    const ArchiveLimits& m_limits;
    ExpansionBudget& m_budget;
    struct archive* m_archive = nullptr;
    std::vector<std::uint8_t> m_buffer;
    std::uint64_t m_raw_total = 0; ///< archive bytes handed to libarchive
    std::uint64_t m_count = 0;
    std::string m_last_name;
    bool m_last_stored_with_descriptor = false;
    bool m_broken = false;
    std::string m_member_error;
    std::exception_ptr m_inner_error; ///< thrown by m_in inside a libarchive callback
    std::unique_ptr<MemberStream> m_member;
};

} // namespace ultrastrength

#endif
