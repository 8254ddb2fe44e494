// Safety limits for containers (.gz, .zip, zips inside zips). An archive is
// untrusted input: a few KiB of deflate can expand to gigabytes, a zip can
// nest itself, and member names can point outside any folder. Every limit
// here turns into an InputError naming the archive and the member.
#ifndef ULTRASTRENGTH_CONVERTERS_ARCHIVE_LIMITS_HPP
#define ULTRASTRENGTH_CONVERTERS_ARCHIVE_LIMITS_HPP

#include <atomic>
#include <cstdint>

namespace ultrastrength {

struct ArchiveLimits {
    /// Bytes all decompressors of one top-level input may produce together.
    /// A real Garmin export holds a few GB of uploads, and its nested zips
    /// count twice (once as the outer member, once unpacked), so 8 GiB leaves
    /// room for a large history while bounding the time a bomb can cost
    /// (inflate runs at roughly 0.3-1 GB/s: seconds, not hours).
    std::uint64_t max_expanded_bytes = 8ULL << 30;
    /// Expansion ratio (output / compressed input) above which a member is
    /// taken for a bomb. FIT and XML compress 2:1 to 20:1; a run of zeros
    /// compresses about 1000:1, so 200:1 separates them with margin.
    double max_ratio = 200.0;
    /// The ratio is only checked past this much output: tiny members have
    /// high ratios from headers alone, and a MiB costs nothing.
    std::uint64_t ratio_grace_bytes = 1ULL << 20;
    /// Containers inside containers: a Garmin export is zip > zip > file
    /// (depth 2), a Strava one zip > gz > file; 4 leaves one spare level.
    unsigned max_depth = 4;
    /// Entries in one zip: Garmin exports reach tens of thousands of files.
    std::uint64_t max_members = 200'000;
    /// Skipped entries (junk, unknown content) listed one by one per
    /// top-level input; the rest are counted per reason. A zip of nested junk
    /// zips holds millions of entries in a few tens of MB, and an outcome
    /// each would cost gigabytes.
    std::uint64_t max_listed_skips = 1000;
    /// A member read whole so that a worker thread can decode it while the
    /// next one is unpacked. Larger members are decoded in place instead,
    /// so this bounds memory (queue length x this), not what can be read.
    std::uint64_t max_buffered_member_bytes = 32ULL << 20;
    /// Export index files (activities.csv, summarizedActivities.json) are
    /// parsed whole; real ones are a few MB.
    std::uint64_t max_index_bytes = 256ULL << 20;
};

/// The running total of bytes decompressed for one top-level input, shared
/// by every decompressor below it (also across worker threads).
class ExpansionBudget {
public:
    explicit ExpansionBudget(std::uint64_t limit) : m_limit(limit) {}
    /// Adds `bytes`; false once the total exceeds the limit.
    bool add(std::uint64_t bytes) noexcept {
        return m_used.fetch_add(bytes, std::memory_order_relaxed) + bytes <= m_limit;
    }
    std::uint64_t limit() const noexcept { return m_limit; }

private:
    std::uint64_t m_limit;
    std::atomic<std::uint64_t> m_used{0};
};

} // namespace ultrastrength

#endif
