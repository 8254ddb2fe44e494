#include "converters/archive/zip_archive.hpp"

#include "converters/reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cstring>

namespace ultrastrength {

bool is_zip(std::span<const std::uint8_t> head) noexcept {
    return head.size() >= 4 && head[0] == 'P' && head[1] == 'K' &&
           ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}

bool is_empty_zip(std::span<const std::uint8_t> head) noexcept {
    return head.size() >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6;
}

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
            if (m_owner.m_inner_error) {
                std::rethrow_exception(m_owner.m_inner_error);
            }
            const char* msg = archive_error_string(m_owner.m_archive);
            throw InputError(m_owner.m_source + "!" + m_name + ": " +
                             (msg != nullptr ? msg : "cannot unpack member"));
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
    : m_in(in), m_source(std::move(source)), m_limits(limits), m_budget(budget),
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
        fail("not a readable zip archive");
    }
}

ByteStream& ZipArchive::member() {
    return *m_member;
}

ZipArchive::~ZipArchive() {
    m_member.reset();
    archive_read_free(m_archive);
}

long ZipArchive::read_callback(struct archive* a, void* self, const void** buffer) {
    auto* zip = static_cast<ZipArchive*>(self);
    try {
        const std::size_t n = zip->m_in.read(zip->m_buffer.data(), zip->m_buffer.size());
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

bool ZipArchive::next(ZipEntry& entry) {
    m_member.reset();
    if (m_count >= m_limits.max_members) {
        fail("more than " + std::to_string(m_limits.max_members) + " members; the rest not read");
    }
    struct archive_entry* e = nullptr;
    const int rc = archive_read_next_header(m_archive, &e);
    if (rc == ARCHIVE_EOF) {
        return false;
    }
    if (rc == ARCHIVE_FATAL || e == nullptr) {
        // The error may lie in the previous member's data, which libarchive
        // skips only now.
        fail(m_count == 0 ? std::string("not a readable zip archive")
                          : "archive broken in or after member " + std::to_string(m_count) + " (" +
                                m_last_name + "); the rest not read");
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
    m_last_name = entry.name;
    m_member = std::make_unique<MemberStream>(*this, entry.name);
    return true;
}

} // namespace ultrastrength
