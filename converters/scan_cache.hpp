// The cache interface of scan(): what one input file decoded to, stored
// and found again by its stamp (path, size, mtime) or its content hash.
#ifndef ULTRASTRENGTH_CONVERTERS_SCAN_CACHE_HPP
#define ULTRASTRENGTH_CONVERTERS_SCAN_CACHE_HPP

#include "converters/exports/export_index.hpp"
#include "converters/scan.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace ultrastrength {

/// What one input file decoded to, before export indexes and dedupe are
/// applied across inputs: what a cache stores per file.
struct DecodedFile {
    std::vector<InputOutcome> outcomes;
    std::vector<ExportIndex> indexes; ///< export index files found in it
};

/// Remembers what input files decoded to (store/feature_cache.hpp is the
/// SQLite one), so that an unchanged file is not decoded again. Called from
/// the scanning thread only, never from the decoding workers.
class ScanCache {
public:
    ScanCache() = default;
    ScanCache(const ScanCache&) = delete;
    ScanCache& operator=(const ScanCache&) = delete;
    virtual ~ScanCache() = default;

    /// The stored result for exactly this path, size and modification time.
    virtual std::optional<DecodedFile> lookup(const FileStamp& stamp) = 0;
    /// The stored result of a file with this content hash and size (the same
    /// file touched, moved or renamed), with its sources renamed to `stamp.path`.
    virtual std::optional<DecodedFile> lookup_moved(const FileStamp& stamp, std::uint64_t hash) = 0;
    /// Stores the results of one scan, as one transaction.
    struct Update {
        FileStamp stamp;
        std::uint64_t hash = 0;
        const DecodedFile* decoded = nullptr;
    };
    virtual void store(const std::vector<Update>& updates) = 0;
    /// Bracket a run of lookup() calls (one read transaction for all of them).
    virtual void begin_lookups() {}
    virtual void end_lookups() {}
};

} // namespace ultrastrength

#endif
