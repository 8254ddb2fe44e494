#include "converters/archive/zip_archive.hpp"

#include "converters/reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ultrastrength {

bool is_zip(std::span<const std::uint8_t> head) noexcept {
    return head.size() >= 4 && head[0] == 'P' && head[1] == 'K' &&
           ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}

bool is_empty_zip(std::span<const std::uint8_t> head) noexcept {
    return head.size() >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6;
}

namespace {

const char* const stored_descriptor_problem =
    "stored member whose data descriptor is missing or does not match its data (CRC)";

} // namespace

/// Bytes of the current member. The expansion ratio is measured against the
/// archive bytes libarchive consumed since the member began, which includes
/// its read-ahead (one 64 KiB block), so it errs on the safe side.
class ZipArchive::MemberStream final : public ByteStream {
public:
    MemberStream(ZipArchive& owner, std::string name)
        : m_owner(owner), m_name(std::move(name)), m_raw_start(owner.m_raw_total) {}

    std::size_t read(std::uint8_t* buffer, std::size_t size) override {
        if (m_done || size == 0) {
            return 0;
        }
        const la_ssize_t n = archive_read_data(m_owner.m_archive, buffer, size);
        if (n < 0) {
            m_done = true;
            if (n == ARCHIVE_FATAL) {
                m_owner.m_broken = true;
            }
            if (m_owner.m_inner_error) {
                std::rethrow_exception(m_owner.m_inner_error);
            }
            const char* msg = archive_error_string(m_owner.m_archive);
            m_owner.m_member_error = msg != nullptr && *msg != '\0' ? msg : "cannot unpack member";
            if (n == ARCHIVE_FATAL && m_owner.m_last_stored_with_descriptor) {
                // Reading forward, libarchive ends such a member only at a
                // data descriptor whose CRC matches the data; without one it
                // reads to the end of the file and calls it truncated.
                throw InputError(m_owner.m_source + "!" + m_name + ": " +
                                 std::string(stored_descriptor_problem) +
                                 ": its end cannot be found reading forward, so the members "
                                 "after it are not read either");
            }
            throw InputError(m_owner.m_source + "!" + m_name + ": " + m_owner.m_member_error);
        }
        if (n == 0) {
            m_done = true;
            return 0;
        }
        const auto produced = static_cast<std::uint64_t>(n);
        m_out += produced;
        if (!m_owner.m_budget.add(produced)) {
            m_done = true;
            throw InputError(m_owner.m_source + "!" + m_name + ": expands past the limit of " +
                             std::to_string(m_owner.m_budget.limit() >> 20) +
                             " MiB for one input (decompression bomb?)");
        }
        const std::uint64_t raw = std::max<std::uint64_t>(m_owner.m_raw_total - m_raw_start, 1);
        if (m_out > m_owner.m_limits.ratio_grace_bytes &&
            static_cast<double>(m_out) > m_owner.m_limits.max_ratio * static_cast<double>(raw)) {
            m_done = true;
            throw InputError(m_owner.m_source + "!" + m_name + ": expands more than " +
                             std::to_string(static_cast<int>(m_owner.m_limits.max_ratio)) + ":1 (" +
                             std::to_string(m_out) + " bytes from " + std::to_string(raw) +
                             "; decompression bomb?)");
        }
        return static_cast<std::size_t>(n);
    }

private:
    ZipArchive& m_owner;
    std::string m_name;
    std::uint64_t m_raw_start;
    std::uint64_t m_out = 0;
    bool m_done = false;
};

ZipArchive::ZipArchive(ByteStream& in, std::string source, const ArchiveLimits& limits,
                       ExpansionBudget& budget)
    : m_in(&in), m_source(std::move(source)), m_limits(limits), m_budget(budget),
      m_buffer(64 * 1024) {
    m_archive = archive_read_new();
    if (m_archive == nullptr) {
        throw InputError(m_source + ": cannot initialise libarchive");
    }
    archive_read_support_format_zip(m_archive);
    // No seek callback: libarchive reads the local headers in order (the
    // streaming zip reader), which is what a member of another zip allows.
    if (archive_read_open(m_archive, this, nullptr, &ZipArchive::read_callback, nullptr) !=
        ARCHIVE_OK) {
        try {
            fail("not a readable zip archive");
        } catch (...) {
            // The destructor does not run for a constructor that throws.
            archive_read_free(m_archive);
            throw;
        }
    }
}

namespace {

std::uint16_t le16(const std::uint8_t* p) noexcept {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::uint32_t le32(const std::uint8_t* p) noexcept {
    return static_cast<std::uint32_t>(le16(p)) | (static_cast<std::uint32_t>(le16(p + 2)) << 16);
}

std::uint64_t le64(const std::uint8_t* p) noexcept {
    return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}

bool read_at(int fd, std::uint64_t offset, std::uint8_t* buffer, std::size_t size) {
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::pread(fd, buffer + got, size - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        got += static_cast<std::size_t>(n);
    }
    return true;
}

/// An upper bound on the entries libarchive's seekable reader can load: the
/// central-directory headers (PK 1 2) from the earliest place that any end
/// record in the last 64 KiB says the central directory starts (APPNOTE
/// 4.3.16; zip64 4.3.14-4.3.15) to the end of the file; counting stops past
/// `enough`. Written by hand because that reader loads every entry it finds
/// into memory before the first member and has no limit of its own.
std::uint64_t central_entries_bound(int fd, std::uint64_t size, std::uint64_t enough) {
    constexpr std::uint64_t eocd = 22;
    const std::uint64_t tail_size = std::min<std::uint64_t>(size, eocd + 0xffff);
    std::vector<std::uint8_t> tail(tail_size);
    if (tail_size < eocd || !read_at(fd, size - tail_size, tail.data(), tail.size())) {
        return 0;
    }
    std::uint64_t start = size;
    for (std::size_t p = tail.size() - eocd + 1; p-- > 0;) {
        const std::uint8_t* r = tail.data() + p;
        if (le32(r) != 0x06054b50) {
            continue;
        }
        const std::uint64_t at = size - tail_size + p;
        // Where the record says, or right before it (a zip with a prefix).
        start = std::min<std::uint64_t>(start, le32(r + 16));
        start = std::min<std::uint64_t>(start, at - std::min<std::uint64_t>(at, le32(r + 12)));
        std::uint8_t locator[20];
        std::uint8_t record[56];
        if (at >= sizeof locator && read_at(fd, at - sizeof locator, locator, sizeof locator) &&
            le32(locator) == 0x07064b50 && read_at(fd, le64(locator + 8), record, sizeof record) &&
            le32(record) == 0x06064b50) {
            start = std::min(start, le64(record + 48));
            start = std::min(start, at - std::min(at, le64(record + 40)));
        }
    }
    std::uint64_t found = 0;
    std::vector<std::uint8_t> chunk(std::size_t{1} << 20);
    for (std::uint64_t at = start; at < size && found <= enough;) {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), size - at));
        if (!read_at(fd, at, chunk.data(), n)) {
            break;
        }
        for (std::size_t i = 0; i + 4 <= n; ++i) {
            found += le32(chunk.data() + i) == 0x02014b50 ? 1 : 0;
        }
        // Chunks overlap by 3 bytes: a signature across a boundary counts once.
        at += n > 3 && at + n < size ? n - 3 : n;
    }
    return found;
}

} // namespace

ZipArchive::ZipArchive(const SeekableFile& file, std::string source, const ArchiveLimits& limits,
                       ExpansionBudget& budget)
    : m_source(std::move(source)), m_limits(limits), m_budget(budget), m_buffer(64 * 1024) {
    m_fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        throw InputError(m_source + ": cannot open the file again: " + std::strerror(errno));
    }
    struct stat st {};
    const bool same =
        ::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<std::uint64_t>(st.st_dev) == file.device &&
        static_cast<std::uint64_t>(st.st_ino) == file.inode &&
        static_cast<std::uint64_t>(st.st_size) == file.size &&
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec ==
            file.mtime_ns;
    if (!same) {
        ::close(m_fd);
        throw InputError(m_source + ": the file changed while it was read");
    }
    if (central_entries_bound(m_fd, file.size, m_limits.max_members) > m_limits.max_members) {
        ::close(m_fd);
        throw InputError(m_source + ": it lists more than " + std::to_string(m_limits.max_members) +
                         " members");
    }
    m_archive = archive_read_new();
    if (m_archive == nullptr) {
        ::close(m_fd);
        throw InputError(m_source + ": cannot initialise libarchive");
    }
    archive_read_support_format_zip_seekable(m_archive);
    archive_read_set_callback_data(m_archive, this);
    archive_read_set_read_callback(m_archive, &ZipArchive::read_callback);
    archive_read_set_seek_callback(m_archive, &ZipArchive::seek_callback);
    archive_read_set_skip_callback(m_archive, &ZipArchive::skip_callback);
    if (archive_read_open1(m_archive) != ARCHIVE_OK) {
        // The destructor does not run for a constructor that throws.
        const char* msg = archive_error_string(m_archive);
        const std::string text =
            m_source + ": none found" +
            (msg != nullptr && *msg != '\0' ? " (" + std::string(msg) + ")" : std::string());
        archive_read_free(m_archive);
        ::close(m_fd);
        throw InputError(text);
    }
}

ByteStream& ZipArchive::member() {
    return *m_member;
}

ZipArchive::~ZipArchive() {
    m_member.reset();
    archive_read_free(m_archive);
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

long ZipArchive::read_callback(struct archive* a, void* self, const void** buffer) {
    auto* zip = static_cast<ZipArchive*>(self);
    if (zip->m_fd >= 0) {
        ssize_t n = 0;
        do {
            n = ::read(zip->m_fd, zip->m_buffer.data(), zip->m_buffer.size());
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            archive_set_error(a, errno, "read failed: %s", std::strerror(errno));
            return -1;
        }
        zip->m_raw_total += static_cast<std::uint64_t>(n);
        *buffer = zip->m_buffer.data();
        return static_cast<long>(n);
    }
    try {
        const std::size_t n = zip->m_in->read(zip->m_buffer.data(), zip->m_buffer.size());
        zip->m_raw_total += n;
        *buffer = zip->m_buffer.data();
        return static_cast<long>(n);
    } catch (...) {
        // Exceptions must not cross libarchive's C frames: keep it and let
        // the caller rethrow once libarchive has returned its error.
        zip->m_inner_error = std::current_exception();
        archive_set_error(a, EIO, "read failed");
        return -1;
    }
}

std::int64_t ZipArchive::seek_callback(struct archive* a, void* self, std::int64_t offset,
                                       int whence) {
    auto* zip = static_cast<ZipArchive*>(self);
    const off_t at = ::lseek(zip->m_fd, static_cast<off_t>(offset), whence);
    if (at < 0) {
        archive_set_error(a, errno, "seek failed: %s", std::strerror(errno));
        return ARCHIVE_FATAL;
    }
    return at;
}

std::int64_t ZipArchive::skip_callback(struct archive*, void* self, std::int64_t request) {
    auto* zip = static_cast<ZipArchive*>(self);
    const off_t from = ::lseek(zip->m_fd, 0, SEEK_CUR);
    const off_t to = ::lseek(zip->m_fd, static_cast<off_t>(request), SEEK_CUR);
    // 0 makes libarchive read the bytes instead.
    return from < 0 || to < 0 ? 0 : to - from;
}

void ZipArchive::fail(const std::string& problem) {
    if (m_inner_error) {
        std::rethrow_exception(m_inner_error);
    }
    const char* msg = archive_error_string(m_archive);
    std::string text = m_source + ": " + problem;
    if (msg != nullptr && *msg != '\0') {
        text += std::string(" (") + msg + ")";
    }
    throw InputError(text);
}

std::string ZipArchive::broken_message() const {
    if (m_last_stored_with_descriptor && !m_inner_error) {
        // libarchive's own words ("Truncated ZIP file data") would mislead:
        // the file goes on, the member's end was not found.
        return m_source + ": the members after member " + std::to_string(m_count) + " (" +
               m_last_name + ") cannot be found reading forward: it is a " +
               stored_descriptor_problem + "; the rest not read";
    }
    std::string text = m_source + ": archive broken in or after member " + std::to_string(m_count) +
                       " (" + m_last_name + "); the rest not read";
    const char* msg = archive_error_string(m_archive);
    if (msg != nullptr && *msg != '\0') {
        text += std::string(" (") + msg + ")";
    }
    return text;
}

bool ZipArchive::next(ZipEntry& entry) {
    m_member.reset();
    m_member_error.clear();
    if (m_count >= m_limits.max_members) {
        fail("more than " + std::to_string(m_limits.max_members) + " members; the rest not read");
    }
    struct archive_entry* e = nullptr;
    const int rc = archive_read_next_header(m_archive, &e);
    if (rc == ARCHIVE_EOF) {
        return false;
    }
    if (rc == ARCHIVE_FATAL || e == nullptr) {
        m_broken = true;
        // The error may lie in the previous member's data, which libarchive
        // skips only now.
        if (m_count == 0) {
            fail("not a readable zip archive");
        }
        if (m_inner_error) {
            std::rethrow_exception(m_inner_error);
        }
        throw InputError(broken_message());
    }
    // ARCHIVE_WARN (odd name encoding, a previous member's CRC) still gives
    // a usable entry.
    entry = ZipEntry{};
    entry.index = m_count++;
    const char* name = archive_entry_pathname_utf8(e);
    if (name == nullptr) {
        name = archive_entry_pathname(e);
    }
    entry.name = name != nullptr ? name : "member " + std::to_string(entry.index);
    entry.is_file = archive_entry_filetype(e) == AE_IFREG;
    entry.encrypted = archive_entry_is_encrypted(e) != 0;
    // Reading forward, libarchive leaves the size unset when the local
    // header defers it to a data descriptor, and names the method in the
    // format name ("ZIP 2.0 (uncompressed)").
    const char* format = archive_format_name(m_archive);
    entry.stored_with_descriptor = entry.is_file && archive_entry_size_is_set(e) == 0 &&
                                   format != nullptr &&
                                   std::strstr(format, "(uncompressed)") != nullptr;
    m_last_name = entry.name;
    m_last_stored_with_descriptor = entry.stored_with_descriptor;
    m_member = std::make_unique<MemberStream>(*this, entry.name);
    return true;
}

} // namespace ultrastrength
