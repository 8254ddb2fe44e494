#include "store/feature_cache.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <type_traits>

namespace ultrastrength {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

/// PRAGMA application_id of our cache files ("USTR"): tells our cache from
/// any other SQLite database the option may point at by mistake.
constexpr int application_id = 0x55535452;

/// Busy wait for a lock held by a concurrent run on the same cache.
constexpr int busy_timeout_ms = 30000;

/// An SQLite failure with its primary result code, taken when it happened:
/// a ROLLBACK run afterwards would reset sqlite3_errcode().
class SqliteError : public std::runtime_error {
public:
    explicit SqliteError(sqlite3* db)
        : SqliteError(sqlite3_extended_errcode(db), sqlite3_errmsg(db)) {}
    SqliteError(int code, const std::string& message)
        : std::runtime_error("cache: " + message), m_code(code & 0xFF) {}
    /// Another connection holds a lock: wait and try again, never "corrupt".
    bool busy() const noexcept { return m_code == SQLITE_BUSY || m_code == SQLITE_LOCKED; }

private:
    int m_code;
};

class Statement {
public:
    Statement(sqlite3* db, const char* sql) : m_db(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) {
            throw SqliteError(db);
        }
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& v) {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Statement& bind_blob(int i, const std::vector<std::uint8_t>& v) {
        sqlite3_bind_blob(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    /// True while there is a row.
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc != SQLITE_DONE) {
            throw SqliteError(m_db);
        }
        return false;
    }
    std::int64_t integer(int col) { return sqlite3_column_int64(m_stmt, col); }
    std::string text(int col) {
        const auto* p = sqlite3_column_text(m_stmt, col);
        return p != nullptr ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    }
    std::vector<std::uint8_t> blob(int col) {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, col));
        const int n = sqlite3_column_bytes(m_stmt, col);
        return p != nullptr ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
    }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

void exec(sqlite3* db, const char* sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error != nullptr ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw SqliteError(rc, message);
    }
}

void rollback(sqlite3* db) noexcept {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::int64_t pragma_int(sqlite3* db, const char* sql) {
    Statement st(db, sql);
    return st.step() ? st.integer(0) : 0;
}

template <class T> json opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}
template <class T> std::optional<T> get_opt(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return std::nullopt;
    }
    return it->get<T>();
}

// The outcomes codec. Hand-written rather than CBOR through nlohmann::json:
// decoding the cached outcomes is most of what a warm run does, and
// building a JSON tree per activity cost a third of it. Little-endian,
// fixed-width fields, strings as u32 length + bytes; the first byte is the
// codec version.
constexpr std::uint8_t codec_version = 3;

class Encoder {
public:
    template <class T> void raw(T v) {
        static_assert(std::is_trivially_copyable_v<T>);
        std::uint8_t b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T));
        if constexpr (std::endian::native == std::endian::big) {
            std::reverse(b, b + sizeof(T));
        }
        m_out.insert(m_out.end(), b, b + sizeof(T));
    }
    void str(const std::string& v) {
        raw(static_cast<std::uint32_t>(v.size()));
        m_out.insert(m_out.end(), v.begin(), v.end());
    }
    template <class T> void opt(const std::optional<T>& v) {
        raw(static_cast<std::uint8_t>(v ? 1 : 0));
        if (v) {
            raw(*v);
        }
    }
    std::vector<std::uint8_t> take() { return std::move(m_out); }

private:
    std::vector<std::uint8_t> m_out;
};

class Decoder {
public:
    explicit Decoder(const std::vector<std::uint8_t>& in) : m_in(in) {}
    template <class T> T raw() {
        need(sizeof(T));
        std::uint8_t b[sizeof(T)];
        std::memcpy(b, m_in.data() + m_pos, sizeof(T));
        if constexpr (std::endian::native == std::endian::big) {
            std::reverse(b, b + sizeof(T));
        }
        m_pos += sizeof(T);
        T v;
        std::memcpy(&v, b, sizeof(T));
        return v;
    }
    std::string str() {
        const auto n = raw<std::uint32_t>();
        need(n);
        std::string v(reinterpret_cast<const char*>(m_in.data() + m_pos), n);
        m_pos += n;
        return v;
    }
    template <class T> std::optional<T> opt() {
        const auto present = raw<std::uint8_t>();
        if (present > 1) {
            throw std::runtime_error("cache: malformed entry (optional flag)");
        }
        return present != 0 ? std::optional<T>(raw<T>()) : std::nullopt;
    }
    /// A count of items at least `min_item` bytes each: bounded by what is left.
    std::uint32_t count(std::size_t min_item) {
        const auto n = raw<std::uint32_t>();
        if (static_cast<std::uint64_t>(n) * min_item > m_in.size() - m_pos) {
            throw std::runtime_error("cache: malformed entry (count)");
        }
        return n;
    }
    bool done() const noexcept { return m_pos == m_in.size(); }

private:
    void need(std::size_t n) const {
        if (n > m_in.size() - m_pos) {
            throw std::runtime_error("cache: malformed entry (truncated)");
        }
    }
    const std::vector<std::uint8_t>& m_in;
    std::size_t m_pos = 0;
};

void encode_activity(Encoder& e, const ActivityFeatures& a) {
    e.str(a.source);
    e.raw(static_cast<std::uint8_t>(a.format));
    e.raw(a.content_hash);
    e.str(a.name);
    e.raw(static_cast<std::uint8_t>(a.sport));
    e.str(a.sub_sport);
    e.opt(a.start_utc);
    e.opt(a.utc_offset_s);
    for (const auto* v : {&a.elapsed_s, &a.timer_s, &a.moving_s, &a.distance_m, &a.ascent_m,
                          &a.descent_m, &a.avg_hr, &a.max_hr, &a.rpe, &a.device_tss,
                          &a.calories_kcal, &a.ngp_speed_mps, &a.best60_gap_speed_mps}) {
        e.opt(*v);
    }
    e.raw(a.records);
    e.raw(a.flags);
    e.raw(static_cast<std::uint8_t>(a.has_hr_histogram ? 1 : 0));
    if (a.has_hr_histogram) {
        // Sparse: (bpm, seconds) pairs of the non-empty bins.
        const auto bins = static_cast<std::uint32_t>(std::count_if(
            a.hr_histogram.begin(), a.hr_histogram.end(), [](std::uint32_t v) { return v != 0; }));
        e.raw(bins);
        for (std::size_t bpm = 0; bpm < a.hr_histogram.size(); ++bpm) {
            if (a.hr_histogram[bpm] != 0) {
                e.raw(static_cast<std::uint8_t>(bpm));
                e.raw(a.hr_histogram[bpm]);
            }
        }
    }
}

ActivityFeatures decode_activity(Decoder& d) {
    ActivityFeatures a;
    a.source = d.str();
    const auto format = d.raw<std::uint8_t>();
    a.content_hash = d.raw<std::uint64_t>();
    a.name = d.str();
    const auto sport = d.raw<std::uint8_t>();
    // A format no registered reader has (a reader removed since): not trusted.
    if (sport > static_cast<int>(Sport::other) ||
        default_readers().find(static_cast<Format>(format)) == nullptr) {
        throw std::runtime_error("cache: unknown sport or format");
    }
    a.format = static_cast<Format>(format);
    a.sport = static_cast<Sport>(sport);
    a.sub_sport = d.str();
    a.start_utc = d.opt<std::int64_t>();
    a.utc_offset_s = d.opt<std::int32_t>();
    for (auto* v : {&a.elapsed_s, &a.timer_s, &a.moving_s, &a.distance_m, &a.ascent_m, &a.descent_m,
                    &a.avg_hr, &a.max_hr, &a.rpe, &a.device_tss, &a.calories_kcal, &a.ngp_speed_mps,
                    &a.best60_gap_speed_mps}) {
        *v = d.opt<double>();
    }
    a.records = d.raw<std::uint64_t>();
    a.flags = d.raw<std::uint32_t>();
    const auto has_hist = d.raw<std::uint8_t>();
    if (has_hist > 1) {
        throw std::runtime_error("cache: malformed entry (histogram flag)");
    }
    a.has_hr_histogram = has_hist != 0;
    if (a.has_hr_histogram) {
        const auto bins = d.count(5);
        for (std::uint32_t i = 0; i < bins; ++i) {
            const auto bpm = d.raw<std::uint8_t>();
            a.hr_histogram[bpm] = d.raw<std::uint32_t>();
        }
    }
    return a;
}

} // namespace

std::vector<std::uint8_t> encode_outcomes(const std::vector<InputOutcome>& outcomes) {
    Encoder e;
    e.raw(codec_version);
    e.raw(static_cast<std::uint32_t>(outcomes.size()));
    for (const auto& o : outcomes) {
        e.str(o.source);
        e.raw(static_cast<std::uint8_t>(o.kind));
        e.str(o.message);
        e.raw(static_cast<std::uint32_t>(o.warnings.size()));
        for (const auto& w : o.warnings) {
            e.str(w);
        }
        e.raw(o.bytes);
        e.raw(o.content_hash);
        e.raw(o.count);
        e.raw(static_cast<std::uint32_t>(o.activities.size()));
        for (const auto& a : o.activities) {
            encode_activity(e, a);
        }
    }
    return e.take();
}

std::vector<std::uint8_t> encode_indexes(const std::vector<ExportIndex>& indexes) {
    if (indexes.empty()) {
        return {}; // most inputs: no index, nothing to parse back
    }
    json list = json::array();
    for (const auto& index : indexes) {
        json j;
        j["kind"] = static_cast<int>(index.kind);
        j["source"] = index.source;
        j["base"] = index.base;
        j["unusable"] = index.unusable;
        json entries = json::array();
        for (const auto& e : index.entries) {
            entries.push_back({{"file", e.file},
                               {"start", opt(e.start_utc)},
                               {"name", e.name},
                               {"sport", e.sport ? json(static_cast<int>(*e.sport)) : json()}});
        }
        j["entries"] = std::move(entries);
        list.push_back(std::move(j));
    }
    return json::to_cbor(list);
}

std::vector<ExportIndex> decode_indexes(const std::vector<std::uint8_t>& bytes) {
    std::vector<ExportIndex> indexes;
    if (bytes.empty()) {
        return indexes;
    }
    try {
        for (const auto& j : json::from_cbor(bytes)) {
            ExportIndex index;
            const int kind = j.at("kind").get<int>();
            if (kind < 0 || kind > static_cast<int>(ExportIndex::Kind::garmin)) {
                throw std::runtime_error("cache: unknown export index kind");
            }
            index.kind = static_cast<ExportIndex::Kind>(kind);
            index.source = j.at("source").get<std::string>();
            index.base = j.at("base").get<std::string>();
            index.unusable = j.at("unusable").get<std::string>();
            for (const auto& e : j.at("entries")) {
                ExportIndexEntry entry;
                entry.file = e.at("file").get<std::string>();
                entry.start_utc = get_opt<std::int64_t>(e, "start");
                entry.name = e.at("name").get<std::string>();
                if (const auto sport = get_opt<int>(e, "sport")) {
                    if (*sport < 0 || *sport > static_cast<int>(Sport::other)) {
                        throw std::runtime_error("cache: unknown sport");
                    }
                    entry.sport = static_cast<Sport>(*sport);
                }
                index.entries.push_back(std::move(entry));
            }
            indexes.push_back(std::move(index));
        }
    } catch (const json::exception& e) {
        throw std::runtime_error(std::string("cache: malformed export index: ") + e.what());
    }
    return indexes;
}

std::vector<InputOutcome> decode_outcomes(const std::vector<std::uint8_t>& bytes) {
    Decoder d(bytes);
    if (d.raw<std::uint8_t>() != codec_version) {
        throw std::runtime_error("cache: entry written by another version");
    }
    std::vector<InputOutcome> outcomes(d.count(34));
    for (auto& o : outcomes) {
        o.source = d.str();
        const auto kind = d.raw<std::uint8_t>();
        if (kind > static_cast<int>(InputOutcome::Kind::rejected)) {
            throw std::runtime_error("cache: unknown outcome kind");
        }
        o.kind = static_cast<InputOutcome::Kind>(kind);
        o.message = d.str();
        o.warnings.resize(d.count(4));
        for (auto& w : o.warnings) {
            w = d.str();
        }
        o.bytes = d.raw<std::uint64_t>();
        o.content_hash = d.raw<std::uint64_t>();
        o.count = d.raw<std::uint64_t>();
        const auto activities = d.count(40);
        o.activities.reserve(activities);
        for (std::uint32_t i = 0; i < activities; ++i) {
            o.activities.push_back(decode_activity(d));
        }
    }
    if (!d.done()) {
        throw std::runtime_error("cache: malformed entry (trailing bytes)");
    }
    return outcomes;
}

std::string FeatureCache::default_path() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg != nullptr && xdg[0] == '/') {
        return std::string(xdg) + "/ultrastrength/features.sqlite";
    }
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.cache/ultrastrength/features.sqlite";
}

FeatureCache::FeatureCache(const std::string& path) : m_path(path) {
    open_or_rebuild();
}

FeatureCache::~FeatureCache() {
    close();
}

void FeatureCache::close() noexcept {
    if (m_lookup != nullptr) {
        sqlite3_finalize(m_lookup);
        m_lookup = nullptr;
    }
    if (m_db != nullptr) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

namespace {

/// The header and schema of a cache as one read transaction saw them.
struct CacheHead {
    std::int64_t app = 0;
    std::int64_t version = 0;
    std::int64_t tables = 0;
    std::string features; ///< meta 'features_version', empty if none
};

/// Reads the head inside the caller's transaction. Any read fails here on a
/// file that is not SQLite (SQLITE_NOTADB).
CacheHead read_head(sqlite3* db) {
    CacheHead head;
    head.app = pragma_int(db, "PRAGMA application_id");
    head.version = pragma_int(db, "PRAGMA user_version");
    head.tables = pragma_int(db, "SELECT count(*) FROM sqlite_master");
    if (head.app == application_id &&
        pragma_int(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'") >
            0) {
        Statement get(db, "SELECT value FROM meta WHERE key='features_version'");
        head.features = get.step() ? get.text(0) : "";
    }
    return head;
}

/// Why a cache with this head is not ours to use, or empty.
std::string refusal(const CacheHead& head, int schema_version) {
    if (head.tables > 0 && head.app != application_id) {
        return "not an ultrastrength cache (another SQLite database)";
    }
    if (head.version > schema_version) {
        return "written by a newer version (schema " + std::to_string(head.version) + ")";
    }
    return {};
}

/// True if opening needs to write: a new file, an old schema, entries of
/// another reader version.
bool needs_setup(const CacheHead& head, int schema_version, int features_version) {
    return head.tables == 0 || head.version < schema_version ||
           head.features != std::to_string(features_version);
}

} // namespace

bool FeatureCache::open_once(std::string& problem) {
    close();
    // NOFOLLOW: a symlink planted as the cache is refused, never written through.
    if (sqlite3_open_v2(m_path.c_str(), &m_db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                        nullptr) != SQLITE_OK) {
        problem = m_db != nullptr ? sqlite3_errmsg(m_db) : "cannot open";
        close();
        return false;
    }
    sqlite3_busy_timeout(m_db, busy_timeout_ms);
    try {
        // One read transaction: the header and schema from one moment, never
        // half of another run's creation (that run writes in one transaction).
        exec(m_db, "BEGIN");
        CacheHead head;
        try {
            head = read_head(m_db);
        } catch (...) {
            rollback(m_db);
            throw;
        }
        exec(m_db, "COMMIT");
        problem = refusal(head, schema_version);
        if (!problem.empty()) {
            return false;
        }
        {
            Statement check(m_db, "PRAGMA quick_check");
            if (check.step() && check.text(0) != "ok") {
                problem = "corrupt: " + check.text(0);
                return false;
            }
        }
        // Changing the journal mode takes an exclusive lock without calling
        // the busy handler: SQLITE_BUSY here is retried by try_open().
        exec(m_db, "PRAGMA journal_mode=WAL");
        exec(m_db, "PRAGMA synchronous=NORMAL");
        if (needs_setup(head, schema_version, features_version)) {
            // Creating the schema, migrating it and clearing the entries of
            // another reader version happen in one write transaction, after
            // looking again inside it: of runs opening one new (or old) cache
            // at once, the first does it and the others find it done, so
            // none clears the entries another has stored meanwhile.
            exec(m_db, "BEGIN IMMEDIATE");
            try {
                head = read_head(m_db);
                problem = refusal(head, schema_version);
                if (!problem.empty()) {
                    rollback(m_db);
                    return false;
                }
                if (head.tables == 0) {
                    exec(m_db, "CREATE TABLE IF NOT EXISTS meta("
                               "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                               "CREATE TABLE IF NOT EXISTS inputs("
                               "  path TEXT PRIMARY KEY,"
                               "  size INTEGER NOT NULL,"
                               "  mtime_ns INTEGER NOT NULL,"
                               "  hash INTEGER NOT NULL,"
                               "  outcomes BLOB NOT NULL,"
                               "  indexes BLOB);"
                               "CREATE INDEX IF NOT EXISTS inputs_by_hash ON inputs(hash, size);");
                    exec(m_db, ("PRAGMA application_id=" + std::to_string(application_id)).c_str());
                    head.version = schema_version;
                } else if (head.version < 2) {
                    // Schema migrations, one step per version. 1 -> 2: export
                    // indexes beside the outcomes. Version-1 entries do not
                    // say which files held an index: they are dropped.
                    exec(m_db, "ALTER TABLE inputs ADD COLUMN indexes BLOB;"
                               "DELETE FROM inputs;");
                    head.version = 2;
                }
                exec(m_db, ("PRAGMA user_version=" + std::to_string(head.version)).c_str());
                if (head.features != std::to_string(features_version)) {
                    // Entries from other reader versions are never trusted: start over.
                    exec(m_db, "DELETE FROM inputs");
                    Statement put(m_db, "INSERT OR REPLACE INTO meta(key, value) "
                                        "VALUES('features_version', ?)");
                    put.bind(1, std::to_string(features_version)).step();
                }
                exec(m_db, "COMMIT");
            } catch (...) {
                rollback(m_db);
                throw;
            }
        }
    } catch (const SqliteError& e) {
        if (e.busy()) {
            throw; // another run holds it: waited for, never moved aside
        }
        problem = e.what();
        return false;
    } catch (const std::exception& e) {
        problem = e.what();
        return false;
    }
    return true;
}

bool FeatureCache::try_open(std::string& problem) {
    // The busy handler covers most waits; the ones SQLite does not hand to it
    // (the journal mode change, a lock that could deadlock) are retried here
    // from a fresh connection, with a growing pause, for as long.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (int pause_ms = 1;; pause_ms = std::min(pause_ms * 2, 100)) {
        try {
            return open_once(problem);
        } catch (const SqliteError& e) {
            close();
            if (std::chrono::steady_clock::now() > deadline) {
                throw std::runtime_error("cache " + m_path +
                                         ": busy (another run is using it): " + e.what());
            }
            sqlite3_sleep(pause_ms);
        }
    }
}

void FeatureCache::open_or_rebuild() {
    std::error_code ec;
    const fs::path parent = fs::path(m_path).parent_path();
    if (!parent.empty()) {
        fs::create_directories(parent, ec);
    }
    std::string problem;
    if (try_open(problem)) {
        return;
    }
    close();
    const std::string aside = m_path + ".corrupt";
    if (fs::exists(m_path, ec)) {
        fs::rename(m_path, aside, ec);
        if (ec) {
            throw std::runtime_error("cache " + m_path + ": " + problem +
                                     ", and it cannot be moved aside: " + ec.message());
        }
        fs::remove(m_path + "-wal", ec);
        fs::remove(m_path + "-shm", ec);
        m_warnings.push_back("cache " + m_path + ": " + problem + "; moved aside to " + aside +
                             " and rebuilt");
    }
    std::string second;
    if (!try_open(second)) {
        close();
        throw std::runtime_error("cache " + m_path + ": cannot be created: " + second);
    }
}

std::optional<DecodedFile> FeatureCache::lookup(const FileStamp& stamp) {
    if (m_lookup == nullptr &&
        sqlite3_prepare_v2(m_db,
                           "SELECT outcomes, indexes FROM inputs WHERE path=? AND size=? AND "
                           "mtime_ns=?",
                           -1, &m_lookup, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string("cache: ") + sqlite3_errmsg(m_db));
    }
    struct Reset {
        sqlite3_stmt* st;
        ~Reset() {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
        }
    } reset{m_lookup};
    sqlite3_bind_text(m_lookup, 1, stamp.path.data(), static_cast<int>(stamp.path.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(m_lookup, 2, static_cast<std::int64_t>(stamp.size));
    sqlite3_bind_int64(m_lookup, 3, stamp.mtime_ns);
    const int rc = sqlite3_step(m_lookup);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE) {
            throw std::runtime_error(std::string("cache: ") + sqlite3_errmsg(m_db));
        }
        return std::nullopt;
    }
    auto blob = [&](int col) {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_lookup, col));
        const int n = sqlite3_column_bytes(m_lookup, col);
        return p != nullptr ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
    };
    try {
        return DecodedFile{decode_outcomes(blob(0)), decode_indexes(blob(1))};
    } catch (const std::exception&) {
        return std::nullopt; // never trusted: the caller decodes the file again
    }
}

void FeatureCache::begin_lookups() {
    if (!m_reading) {
        exec(m_db, "BEGIN");
        m_reading = true;
    }
}

void FeatureCache::end_lookups() {
    if (m_reading) {
        m_reading = false;
        char* error = nullptr;
        sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, &error); // a read: nothing to lose
        sqlite3_free(error);
    }
}

std::optional<DecodedFile> FeatureCache::lookup_moved(const FileStamp& stamp, std::uint64_t hash) {
    Statement st(m_db,
                 "SELECT path, outcomes, indexes FROM inputs WHERE hash=? AND size=? LIMIT 1");
    st.bind(1, static_cast<std::int64_t>(hash)).bind(2, static_cast<std::int64_t>(stamp.size));
    if (!st.step()) {
        return std::nullopt;
    }
    const std::string old_path = st.text(0);
    DecodedFile found;
    try {
        found = {decode_outcomes(st.blob(1)), decode_indexes(st.blob(2))};
    } catch (const std::exception&) {
        return std::nullopt;
    }
    auto rename = [&](std::string& source) {
        if (source.compare(0, old_path.size(), old_path) == 0) {
            source = stamp.path + source.substr(old_path.size());
        }
    };
    // Errors and warnings name the file they were found in: name the new one.
    auto rename_in_text = [&](std::string& text) {
        if (old_path.empty()) {
            return;
        }
        for (auto at = text.find(old_path); at != std::string::npos;
             at = text.find(old_path, at + stamp.path.size())) {
            text.replace(at, old_path.size(), stamp.path);
        }
    };
    for (auto& o : found.outcomes) {
        rename(o.source);
        rename_in_text(o.message);
        for (auto& w : o.warnings) {
            rename_in_text(w);
        }
        for (auto& a : o.activities) {
            rename(a.source);
        }
        for (auto& d : o.duplicates) {
            rename(d.activity.source);
            rename(d.duplicate_of);
        }
    }
    for (auto& index : found.indexes) {
        rename(index.source);
        rename(index.base);
    }
    return found;
}

std::optional<std::vector<InputOutcome>> FeatureCache::find(const FileStamp& stamp) {
    auto found = lookup(stamp);
    return found ? std::optional(std::move(found->outcomes)) : std::nullopt;
}

std::optional<std::vector<InputOutcome>> FeatureCache::find_moved(const FileStamp& stamp,
                                                                  std::uint64_t hash) {
    auto found = lookup_moved(stamp, hash);
    return found ? std::optional(std::move(found->outcomes)) : std::nullopt;
}

void FeatureCache::put(const FileStamp& stamp, std::uint64_t hash,
                       const std::vector<InputOutcome>& outcomes,
                       const std::vector<ExportIndex>& indexes) {
    Statement st(m_db, "INSERT OR REPLACE INTO inputs(path, size, mtime_ns, hash, outcomes, "
                       "indexes) VALUES(?, ?, ?, ?, ?, ?)");
    st.bind(1, stamp.path)
        .bind(2, static_cast<std::int64_t>(stamp.size))
        .bind(3, stamp.mtime_ns)
        .bind(4, static_cast<std::int64_t>(hash))
        .bind_blob(5, encode_outcomes(outcomes))
        .bind_blob(6, encode_indexes(indexes))
        .step();
}

void FeatureCache::store(const std::vector<Update>& updates) {
    try {
        begin();
        try {
            for (const auto& update : updates) {
                put(update.stamp, update.hash, update.decoded->outcomes, update.decoded->indexes);
            }
        } catch (...) {
            exec(m_db, "ROLLBACK");
            throw;
        }
        commit();
    } catch (const std::exception& e) {
        m_warnings.push_back("cache " + m_path + ": results not stored (" + e.what() +
                             "); the next run decodes these inputs again");
    }
}

void FeatureCache::begin() {
    exec(m_db, "BEGIN IMMEDIATE");
}
void FeatureCache::commit() {
    exec(m_db, "COMMIT");
}

std::size_t FeatureCache::size() {
    return static_cast<std::size_t>(pragma_int(m_db, "SELECT count(*) FROM inputs"));
}

} // namespace ultrastrength
