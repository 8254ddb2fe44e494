// Byte streams: the one way readers get their input, whether it is a plain
// file, a gzip member or a member of a (nested) zip. Forward-only and pulled
// in chunks, so a reader's memory does not grow with the file's size.
#ifndef ULTRASTRENGTH_CONVERTERS_STREAM_HPP
#define ULTRASTRENGTH_CONVERTERS_STREAM_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ultrastrength {

class ByteStream {
public:
    ByteStream() = default;
    ByteStream(const ByteStream&) = delete;
    ByteStream& operator=(const ByteStream&) = delete;
    virtual ~ByteStream() = default;

    /// Reads up to `size` bytes into `buffer`; returns 0 only at the end.
    /// Throws InputError on an I/O failure or when a safety limit is hit.
    virtual std::size_t read(std::uint8_t* buffer, std::size_t size) = 0;

    /// The total size when it is known in advance (plain files), for sanity checks.
    virtual std::optional<std::uint64_t> size_hint() const { return std::nullopt; }
};

/// A plain file, read with stdio-free POSIX calls into the caller's buffer.
class FileStream final : public ByteStream {
public:
    /// Throws InputError naming the path if it cannot be opened.
    explicit FileStream(const std::string& path);
    ~FileStream() override;
    std::size_t read(std::uint8_t* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size_hint() const override { return m_size; }

private:
    std::string m_path;
    int m_fd = -1;
    std::optional<std::uint64_t> m_size; ///< regular files only
};

/// XXH3-64 of a whole file's bytes (what a cache recognises a touched or
/// moved file by). Throws InputError naming the path when it cannot be read.
std::uint64_t hash_file(const std::string& path);

/// Bytes already in memory (archive members read whole, tests, fuzzers).
class MemoryStream final : public ByteStream {
public:
    explicit MemoryStream(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}
    std::size_t read(std::uint8_t* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size_hint() const override { return m_bytes.size(); }

private:
    std::span<const std::uint8_t> m_bytes;
    std::size_t m_pos = 0;
};

/// Wraps a stream so that its first bytes can be looked at (to identify the
/// format) and are then read again from the start, and so that a content hash
/// of everything read is computed on the way (XXH3-64, see util/hash.hpp).
class PeekStream final : public ByteStream {
public:
    static constexpr std::size_t peek_size = 4096;

    explicit PeekStream(ByteStream& inner);
    ~PeekStream() override;

    /// The first bytes (fewer if the stream is shorter than peek_size).
    std::span<const std::uint8_t> head() const { return {m_head.data(), m_head_size}; }
    std::size_t read(std::uint8_t* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size_hint() const override { return m_inner.size_hint(); }

    /// Reads and hashes whatever the reader left unread, then returns the
    /// hash of the whole stream and its length in bytes.
    std::uint64_t finish_hash();
    std::uint64_t bytes_read() const { return m_total; }

private:
    ByteStream& m_inner;
    std::vector<std::uint8_t> m_head;
    std::size_t m_head_size = 0;
    std::size_t m_head_pos = 0;
    std::uint64_t m_total = 0;
    struct HashState;
    std::unique_ptr<HashState> m_hash;
};

} // namespace ultrastrength

#endif
