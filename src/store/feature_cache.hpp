// The feature cache: a SQLite file that remembers what every input decoded
// to, so a nightly run decodes only what changed (DESIGN.md, "Scale").
// An input is identified by its path, size and modification time; the
// content hash lets a moved or renamed file be recognised without decoding.
#ifndef ULTRASTRENGTH_STORE_FEATURE_CACHE_HPP
#define ULTRASTRENGTH_STORE_FEATURE_CACHE_HPP

#include "converters/scan_cache.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ultrastrength {

class FeatureCache final : public ScanCache {
public:
    /// Bumped whenever a reader changes what it computes: entries written by
    /// another version are never trusted.
    static constexpr int features_version = 3;
    /// The on-disk schema version (PRAGMA user_version); older schemas are migrated.
    /// 2: export indexes stored beside the outcomes.
    static constexpr int schema_version = 2;

    /// Opens the cache at `path`, creating it (and its folder) if needed. A file
    /// that is not a cache of ours, or is corrupt, is moved aside to
    /// `path + ".corrupt"` and a new cache is started; `warnings()` says so.
    /// Throws std::runtime_error if no cache can be created at `path`.
    explicit FeatureCache(const std::string& path);
    ~FeatureCache() override;
    FeatureCache(const FeatureCache&) = delete;
    FeatureCache& operator=(const FeatureCache&) = delete;

    /// `$XDG_CACHE_HOME/ultrastrength/features.sqlite`, else `~/.cache/...`.
    static std::string default_path();

    const std::vector<std::string>& warnings() const noexcept { return m_warnings; }
    const std::string& path() const noexcept { return m_path; }

    /// The outcomes stored for exactly this stamp, if any.
    std::optional<std::vector<InputOutcome>> find(const FileStamp& stamp);
    /// The outcomes of a file with this content hash and size stored under
    /// another path (a moved or renamed file), with their sources renamed.
    std::optional<std::vector<InputOutcome>> find_moved(const FileStamp& stamp, std::uint64_t hash);

    /// Stores (or replaces) the outcomes of one input.
    void put(const FileStamp& stamp, std::uint64_t hash, const std::vector<InputOutcome>& outcomes,
             const std::vector<ExportIndex>& indexes = {});

    // ScanCache: what scan() uses. A failure to store is a warning, not an
    // error: the scan's results stand, the next run decodes again.
    std::optional<DecodedFile> lookup(const FileStamp& stamp) override;
    std::optional<DecodedFile> lookup_moved(const FileStamp& stamp, std::uint64_t hash) override;
    void store(const std::vector<Update>& updates) override;
    void begin_lookups() override;
    void end_lookups() override;

    /// Groups writes into one transaction (much faster for many puts).
    void begin();
    void commit();

    /// Number of inputs stored.
    std::size_t size();

private:
    void open_or_rebuild();
    /// Opens (creating or migrating) the cache: false with `problem` set if
    /// the file is not a usable cache of ours. Retries while another run
    /// holds a lock; throws if it is still held after the busy timeout.
    bool try_open(std::string& problem);
    bool open_once(std::string& problem);
    void close() noexcept;

    std::string m_path;
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_lookup = nullptr; ///< prepared once: a warm run looks up every input
    bool m_reading = false;
    std::vector<std::string> m_warnings;
};

/// Serialization of outcomes (CBOR), exposed for tests.
std::vector<std::uint8_t> encode_outcomes(const std::vector<InputOutcome>& outcomes);
/// Throws std::runtime_error on malformed data.
std::vector<InputOutcome> decode_outcomes(const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> encode_indexes(const std::vector<ExportIndex>& indexes);
std::vector<ExportIndex> decode_indexes(const std::vector<std::uint8_t>& bytes);

} // namespace ultrastrength

#endif
