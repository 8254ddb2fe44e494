// Input discovery and decoding: paths (files, folders, containers) in,
// one outcome per input out, decoded in parallel across files.
#ifndef ULTRASTRENGTH_CONVERTERS_SCAN_HPP
#define ULTRASTRENGTH_CONVERTERS_SCAN_HPP

#include "converters/archive/limits.hpp"
#include "converters/reader.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ultrastrength {

/// What became of one input (a file, or a member of an archive).
struct InputOutcome {
    enum class Kind : std::uint8_t {
        read,      ///< yielded one or more activities
        skipped,   ///< well-formed but not an activity (settings FIT, course, junk entry)
        rejected,  ///< could not be read: `message` says why and where
        duplicate, ///< every activity in it is listed from another input (see `duplicates`)
    };
    /// An activity found again in another input, and which one was kept.
    struct Duplicate {
        ActivityFeatures activity;
        std::string duplicate_of; ///< source of the activity kept instead
    };
    std::string source;
    Kind kind = Kind::rejected;
    std::vector<ActivityFeatures> activities;
    std::vector<Duplicate> duplicates; ///< activities dropped as duplicates (dedupe.hpp)
    std::string message;               ///< skip reason or error
    std::vector<std::string> warnings;
    std::uint64_t bytes = 0;
    std::uint64_t content_hash = 0;
};

/// What identifies one version of an input file without reading it.
struct FileStamp {
    std::string path;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

/// Reads the stamp of a file; nullopt if it cannot be stat'ed.
std::optional<FileStamp> stamp_of(const std::string& path);

class ScanCache; // scan_cache.hpp

/// How a scan got its results: counted per input file.
struct ScanCounts {
    std::size_t files = 0;    ///< input files found
    std::size_t decoded = 0;  ///< decoded (not in the cache, or changed)
    std::size_t cached = 0;   ///< taken from the cache without reading (same stamp)
    std::size_t rehashed = 0; ///< stamp changed but same content: read to hash, not decoded
};

struct ScanOptions {
    unsigned jobs = 0;  ///< worker threads; 0 = all cores
    bool dedupe = true; ///< list an activity found in several inputs once (dedupe.hpp)
    ArchiveLimits limits;
    ScanCache* cache = nullptr; ///< none: decode everything
    /// Called after each input file is done (from any thread, one call at a
    /// time): files done so far, files in all.
    std::function<void(std::size_t done, std::size_t total)> progress;
};

struct DecodeOptions {
    unsigned jobs = 1; ///< threads decoding the members of one zip
    ArchiveLimits limits;
};

/// Plain files below the given paths (folders recursively, in sorted order),
/// as they will be decoded. Paths that do not exist become rejected outcomes.
struct InputList {
    std::vector<std::string> files;
    std::vector<InputOutcome> missing;
};
InputList list_inputs(const std::vector<std::string>& paths);

/// Decodes one stream (a file or container member): identifies its format
/// by content, unpacks containers (gzip, zip, zips in zips; members named
/// `archive.zip!member`), applies export indexes found inside, and returns
/// the outcomes in archive order. Never throws for bad data.
std::vector<InputOutcome> decode_input(const ReaderRegistry& registry, ByteStream& in,
                                       const std::string& source,
                                       const DecodeOptions& options = {});

struct ScanResult {
    std::vector<InputOutcome> outcomes;
    ScanCounts counts;
};

/// Decodes every input below `paths` (or takes it from options.cache).
/// Outcomes come back in a stable order (input order, folders sorted)
/// whatever the number of jobs, and the same with or without a cache.
ScanResult scan(const ReaderRegistry& registry, const std::vector<std::string>& paths,
                const ScanOptions& options);

/// Counts of a scan's outcomes, for summaries and exit codes.
struct ScanSummary {
    std::size_t inputs = 0;
    std::size_t read = 0;
    std::size_t skipped = 0;
    std::size_t rejected = 0;
    std::size_t merged = 0; ///< duplicates of an activity already listed
    std::size_t activities = 0;
};

ScanSummary summarize(const std::vector<InputOutcome>& outcomes);

/// scan(), outcomes only.
std::vector<InputOutcome> scan_inputs(const ReaderRegistry& registry,
                                      const std::vector<std::string>& paths,
                                      const ScanOptions& options);

} // namespace ultrastrength

#endif
