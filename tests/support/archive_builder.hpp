// Builds small zips and gzips in memory for tests (libarchive and zlib
// write them), so that container tests need no binary files in the repo.
#ifndef ULTRASTRENGTH_TESTS_SUPPORT_ARCHIVE_BUILDER_HPP
#define ULTRASTRENGTH_TESTS_SUPPORT_ARCHIVE_BUILDER_HPP

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes to_bytes(std::string_view s) {
    return Bytes(s.begin(), s.end());
}

inline Bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct ZipMember {
    std::string name;
    Bytes bytes;
    bool folder = false;
    std::uint64_t zeros = 0; ///< zero bytes appended, written in chunks (bombs)
};

/// `options` as for archive_write_set_options, e.g. "zip:compression=store"
/// or "zip:encryption=zipcrypt" (then `passphrase` is used).
inline Bytes make_zip(const std::vector<ZipMember>& members, const std::string& options = "",
                      const std::string& passphrase = "") {
    struct archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    if (!options.empty() && archive_write_set_options(a, options.c_str()) != ARCHIVE_OK) {
        std::string msg = archive_error_string(a) != nullptr ? archive_error_string(a) : "";
        archive_write_free(a);
        throw std::runtime_error("zip options: " + msg);
    }
    if (!passphrase.empty()) {
        archive_write_set_passphrase(a, passphrase.c_str());
    }
    Bytes out;
    archive_write_open(
        a, &out, nullptr,
        [](struct archive*, void* self, const void* buf, size_t n) -> la_ssize_t {
            auto* o = static_cast<Bytes*>(self);
            const auto* p = static_cast<const std::uint8_t*>(buf);
            o->insert(o->end(), p, p + n);
            return static_cast<la_ssize_t>(n);
        },
        nullptr);
    for (const auto& m : members) {
        struct archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, m.name.c_str());
        archive_entry_set_filetype(e, m.folder ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, m.folder ? 0 : static_cast<la_int64_t>(m.bytes.size() + m.zeros));
        archive_entry_set_mtime(e, 1700000000, 0);
        archive_write_header(a, e);
        if (!m.folder && !m.bytes.empty()) {
            archive_write_data(a, m.bytes.data(), m.bytes.size());
        }
        const Bytes zero_chunk(1U << 20, 0);
        for (std::uint64_t left = m.zeros; left > 0;) {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(left, zero_chunk.size()));
            archive_write_data(a, zero_chunk.data(), n);
            left -= n;
        }
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

/// A zip of stored (uncompressed) members with sizes and CRC in the local
/// headers, written by hand (APPNOTE 4.3.7, 4.3.12, 4.3.16) so that a test
/// can damage member data at a known place without breaking the layout.
/// With `descriptors`, as a streaming writer does: general-purpose bit 3,
/// zeros for CRC and sizes in the local headers, and a data descriptor with
/// its signature after each member's data (APPNOTE 4.3.9); the central
/// directory holds the real values either way.
inline Bytes make_stored_zip(const std::vector<ZipMember>& members, bool descriptors = false) {
    Bytes out;
    Bytes central;
    auto u16 = [](Bytes& b, unsigned v) {
        b.push_back(static_cast<std::uint8_t>(v));
        b.push_back(static_cast<std::uint8_t>(v >> 8));
    };
    auto u32 = [&](Bytes& b, std::uint32_t v) {
        u16(b, v & 0xffff);
        u16(b, v >> 16);
    };
    for (const auto& m : members) {
        const auto crc =
            static_cast<std::uint32_t>(crc32(0, m.bytes.data(), static_cast<uInt>(m.bytes.size())));
        const auto size = static_cast<std::uint32_t>(m.bytes.size());
        const auto offset = static_cast<std::uint32_t>(out.size());
        const unsigned flags = descriptors ? 0x08 : 0;
        u32(out, 0x04034b50);
        u16(out, 10);
        u16(out, flags);
        u16(out, 0);
        u16(out, 0);
        u16(out, 0x21);
        u32(out, descriptors ? 0 : crc);
        u32(out, descriptors ? 0 : size);
        u32(out, descriptors ? 0 : size);
        u16(out, static_cast<unsigned>(m.name.size()));
        u16(out, 0);
        out.insert(out.end(), m.name.begin(), m.name.end());
        out.insert(out.end(), m.bytes.begin(), m.bytes.end());
        if (descriptors) {
            u32(out, 0x08074b50);
            u32(out, crc);
            u32(out, size);
            u32(out, size);
        }
        u32(central, 0x02014b50);
        u16(central, 20);
        u16(central, 10);
        u16(central, flags);
        u16(central, 0);
        u16(central, 0);
        u16(central, 0x21);
        u32(central, crc);
        u32(central, size);
        u32(central, size);
        u16(central, static_cast<unsigned>(m.name.size()));
        u16(central, 0);
        u16(central, 0);
        u16(central, 0);
        u16(central, 0);
        u32(central, 0);
        u32(central, offset);
        central.insert(central.end(), m.name.begin(), m.name.end());
    }
    const auto central_offset = static_cast<std::uint32_t>(out.size());
    out.insert(out.end(), central.begin(), central.end());
    u32(out, 0x06054b50);
    u16(out, 0);
    u16(out, 0);
    u16(out, static_cast<unsigned>(members.size()));
    u16(out, static_cast<unsigned>(members.size()));
    u32(out, static_cast<std::uint32_t>(central.size()));
    u32(out, central_offset);
    u16(out, 0);
    return out;
}

/// Flips the CRC in the data descriptor of the member whose bytes are `data`
/// in a make_stored_zip(..., true) zip, and with `central` in its central
/// directory entry too (as a writer that got the CRC wrong would).
inline void corrupt_descriptor_crc(Bytes& zip, const Bytes& data, bool central) {
    const auto crc =
        static_cast<std::uint32_t>(crc32(0, data.data(), static_cast<uInt>(data.size())));
    const Bytes crc_bytes{static_cast<std::uint8_t>(crc), static_cast<std::uint8_t>(crc >> 8),
                          static_cast<std::uint8_t>(crc >> 16),
                          static_cast<std::uint8_t>(crc >> 24)};
    auto flip = [&](const Bytes& signature, std::size_t crc_offset) {
        for (auto it = zip.begin();
             (it = std::search(it, zip.end(), signature.begin(), signature.end())) != zip.end();
             ++it) {
            const auto at = static_cast<std::size_t>(it - zip.begin()) + crc_offset;
            if (at + 4 <= zip.size() && std::equal(crc_bytes.begin(), crc_bytes.end(),
                                                   zip.begin() + static_cast<std::ptrdiff_t>(at))) {
                zip[at] ^= 0x5a;
                return;
            }
        }
        throw std::runtime_error("corrupt_descriptor_crc: member not found");
    };
    flip({'P', 'K', 7, 8}, 4);
    if (central) {
        flip({'P', 'K', 1, 2}, 16);
    }
}

/// One gzip member (RFC 1952) of `data`.
inline Bytes make_gzip(const Bytes& data) {
    z_stream z{};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    Bytes out(deflateBound(&z, static_cast<uLong>(data.size())) + 64);
    z.next_in = const_cast<Bytef*>(data.data());
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

} // namespace ultrastrength::test

#endif
