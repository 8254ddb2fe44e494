#include "converters/scan.hpp"

#include "converters/archive/gzip_stream.hpp"
#include "converters/archive/zip_archive.hpp"
#include "converters/dedupe.hpp"
#include "converters/exports/export_index.hpp"
#include "converters/scan_cache.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <sys/stat.h>
#include <system_error>
#include <thread>

namespace ultrastrength {

namespace fs = std::filesystem;

std::optional<FileStamp> stamp_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    FileStamp stamp;
    stamp.path = path;
    stamp.size = static_cast<std::uint64_t>(st.st_size);
    stamp.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return stamp;
}

namespace {

/// The plain files below `folder` (symlinked folders are not followed, as
/// with recursive_directory_iterator). A folder that cannot be listed
/// (permissions, I/O) is reported as a rejected input naming it, and the
/// rest is still listed: never skipped without a word.
void list_folder(const std::string& folder, std::vector<std::string>& found,
                 std::vector<InputOutcome>& problems) {
    std::vector<fs::path> pending{fs::path(folder)};
    while (!pending.empty()) {
        const fs::path dir = std::move(pending.back());
        pending.pop_back();
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code type_ec;
            const auto status = it->symlink_status(type_ec);
            if (fs::is_directory(status)) {
                pending.push_back(it->path());
            } else if (it->is_regular_file(type_ec)) {
                found.push_back(it->path().string());
            }
        }
        if (ec) {
            InputOutcome unreadable;
            unreadable.source = dir.string();
            unreadable.kind = InputOutcome::Kind::rejected;
            unreadable.message =
                "cannot list folder: " + ec.message() + " (the files in it were not read)";
            problems.push_back(std::move(unreadable));
        }
    }
}

} // namespace

InputList list_inputs(const std::vector<std::string>& paths) {
    InputList list;
    for (const auto& path : paths) {
        std::error_code ec;
        const auto status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            InputOutcome missing;
            missing.source = path;
            missing.message = "no such file or folder";
            list.missing.push_back(std::move(missing));
            continue;
        }
        if (!fs::is_directory(status)) {
            list.files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        std::vector<InputOutcome> unreadable;
        list_folder(path, found, unreadable);
        std::sort(unreadable.begin(), unreadable.end(),
                  [](const InputOutcome& a, const InputOutcome& b) { return a.source < b.source; });
        std::move(unreadable.begin(), unreadable.end(), std::back_inserter(list.missing));
        std::sort(found.begin(), found.end());
        list.files.insert(list.files.end(), found.begin(), found.end());
    }
    return list;
}

namespace detail {

namespace {

/// Export indexes met while decoding, from any thread.
class IndexCollector {
public:
    void add(ExportIndex index) {
        const std::lock_guard lock(m_mutex);
        m_indexes.push_back(std::move(index));
    }
    std::vector<ExportIndex> take() {
        const std::lock_guard lock(m_mutex);
        return std::move(m_indexes);
    }
    /// Applies every index to `outcomes`, in the order of the index sources.
    void apply(std::vector<InputOutcome>& outcomes) {
        const std::lock_guard lock(m_mutex);
        std::sort(m_indexes.begin(), m_indexes.end(),
                  [](const auto& a, const auto& b) { return a.source < b.source; });
        apply_export_indexes(m_indexes, outcomes);
    }

private:
    std::mutex m_mutex;
    std::vector<ExportIndex> m_indexes;
};

/// The skipped entries of one top-level input: the first `listed` kept as
/// outcomes, the rest counted per reason (ArchiveLimits::max_listed_skips).
class SkipTally {
public:
    explicit SkipTally(std::uint64_t listed) : m_listed(listed) {}
    /// Moves the skipped outcomes past the limit out of `outcomes` into the counts.
    void screen(std::vector<InputOutcome>& outcomes) {
        const std::lock_guard lock(m_mutex);
        std::erase_if(outcomes, [&](const InputOutcome& o) {
            if (o.kind != InputOutcome::Kind::skipped || o.count != 1 || !o.activities.empty()) {
                return false;
            }
            if (m_kept < m_listed) {
                ++m_kept;
                return false;
            }
            // Reasons are few; a hostile archive could make many (folder
            // names), so past a few dozen they share one count.
            auto it = m_counts.find(o.message);
            if (it == m_counts.end() && m_counts.size() >= 32) {
                it = m_counts.try_emplace("other entries").first;
            } else if (it == m_counts.end()) {
                it = m_counts.try_emplace(o.message).first;
            }
            ++it->second;
            return true;
        });
    }
    /// One outcome per reason counted, for the input `source`.
    void append_counts(const std::string& source, std::vector<InputOutcome>& outcomes) {
        const std::lock_guard lock(m_mutex);
        for (const auto& [reason, n] : m_counts) {
            InputOutcome o;
            o.source = source;
            o.kind = InputOutcome::Kind::skipped;
            o.count = n;
            o.message = std::to_string(n) + " more entries skipped (" + reason +
                        "), counted but not listed past the first " + std::to_string(m_listed);
            outcomes.push_back(std::move(o));
        }
        m_counts.clear();
    }

private:
    std::mutex m_mutex;
    std::uint64_t m_listed;
    std::uint64_t m_kept = 0;
    std::map<std::string, std::uint64_t> m_counts;
};

struct DecodeContext {
    const ReaderRegistry& registry;
    const ArchiveLimits& limits;
    unsigned jobs;
    ExpansionBudget& budget;
    IndexCollector& indexes;
    SkipTally& skips;
    /// Whether skipped leaves are tallied here. Worker threads do not: which
    /// entries are listed must not depend on thread timing, and what they
    /// decode is what a reader claimed (rarely skipped).
    bool tally = true;
    /// The top-level input when it is a regular file, which a zip can be
    /// read from again through its central directory (decode_zip).
    const SeekableFile* seekable = nullptr;
};

std::vector<InputOutcome> decode_nested(const DecodeContext& ctx, ByteStream& in,
                                        const std::string& source, unsigned depth);

InputOutcome make_outcome(const std::string& source, InputOutcome::Kind kind, std::string message) {
    InputOutcome o;
    o.source = source;
    o.kind = kind;
    o.message = std::move(message);
    return o;
}

std::string_view base_name(std::string_view path) noexcept {
    const auto slash = path.find_last_of("/!");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// A stream that replays bytes already read, then continues with the rest.
class ReplayStream final : public ByteStream {
public:
    ReplayStream(std::vector<std::uint8_t> head, ByteStream& rest)
        : m_head(std::move(head)), m_rest(rest) {}
    std::size_t read(std::uint8_t* buffer, std::size_t size) override {
        if (m_pos < m_head.size()) {
            const std::size_t n = std::min(size, m_head.size() - m_pos);
            std::copy_n(m_head.data() + m_pos, n, buffer);
            m_pos += n;
            return n;
        }
        return m_rest.read(buffer, size);
    }

private:
    std::vector<std::uint8_t> m_head;
    std::size_t m_pos = 0;
    ByteStream& m_rest;
};

/// Passes a stream through and fails once it grows past a limit.
class LimitedStream final : public ByteStream {
public:
    LimitedStream(ByteStream& in, std::uint64_t limit, const std::string& source)
        : m_in(in), m_limit(limit), m_source(source) {}
    std::size_t read(std::uint8_t* buffer, std::size_t size) override {
        const std::size_t n = m_in.read(buffer, size);
        m_read += n;
        if (m_read > m_limit) {
            throw InputError(m_source + ": export index larger than " +
                             std::to_string(m_limit >> 20) + " MiB: not read");
        }
        return n;
    }
    std::uint64_t bytes_read() const noexcept { return m_read; }

private:
    ByteStream& m_in;
    std::uint64_t m_limit;
    const std::string& m_source;
    std::uint64_t m_read = 0;
};

/// Reads up to `cap` bytes; the result holds cap + 1 bytes when there are more.
std::vector<std::uint8_t> read_up_to(ByteStream& in, std::uint64_t cap) {
    std::vector<std::uint8_t> bytes;
    std::uint8_t chunk[64 * 1024];
    while (bytes.size() <= cap) {
        const std::size_t n = in.read(chunk, sizeof chunk);
        if (n == 0) {
            break;
        }
        bytes.insert(bytes.end(), chunk, chunk + n);
    }
    return bytes;
}

/// Decodes an index file (activities.csv, summarizedActivities.json).
InputOutcome read_export_index(const DecodeContext& ctx, PeekStream& peek,
                               const std::string& source) {
    InputOutcome outcome = make_outcome(source, InputOutcome::Kind::skipped, {});
    try {
        // Streamed (memory bounded whatever the content); past the size
        // limit the index is not used at all.
        LimitedStream limited(peek, ctx.limits.max_index_bytes, source);
        ExportIndex index = parse_export_index(limited, source);
        outcome.bytes = limited.bytes_read();
        if (!index.unusable.empty()) {
            outcome.message = "not an export index: " + index.unusable;
            return outcome;
        }
        outcome.message =
            std::string(index.kind == ExportIndex::Kind::strava ? "Strava activity index"
                                                                : "Garmin activity summaries") +
            " (" + std::to_string(index.entries.size()) +
            " entries, applied to this export's activities)";
        ctx.indexes.add(std::move(index));
    } catch (const ReadError& e) {
        outcome.kind = InputOutcome::Kind::rejected;
        outcome.message = e.what();
    } catch (const InputError& e) {
        outcome.kind = InputOutcome::Kind::rejected;
        outcome.message = e.what();
    }
    return outcome;
}

/// Decodes a stream that is not a container with the reader that claims it.
InputOutcome read_activity_file(const DecodeContext& ctx, PeekStream& peek,
                                const std::string& source) {
    InputOutcome outcome;
    outcome.source = source;
    const Reader* reader = ctx.registry.identify(peek.head(), base_name(source));
    if (reader == nullptr) {
        outcome.kind = InputOutcome::Kind::skipped;
        outcome.message =
            peek.head().empty() ? "empty file" : "not an activity file (unknown format)";
        outcome.bytes = peek.bytes_read();
        return outcome;
    }
    try {
        ReadResult result = reader->read(peek, source);
        outcome.content_hash = peek.finish_hash();
        outcome.warnings = std::move(result.warnings);
        if (!result.activities.empty()) {
            outcome.kind = InputOutcome::Kind::read;
            for (auto& activity : result.activities) {
                activity.content_hash = outcome.content_hash;
                if (activity.source.empty()) {
                    activity.source = source;
                }
            }
            outcome.activities = std::move(result.activities);
        } else {
            outcome.kind = InputOutcome::Kind::skipped;
            outcome.message = result.skipped.empty() ? "no activity in file" : result.skipped;
        }
    } catch (const ReadError& e) {
        outcome.kind = InputOutcome::Kind::rejected;
        outcome.message = e.what();
    } catch (const InputError& e) {
        // The container below failed (corrupt gzip, CRC, bomb): this input only.
        outcome.kind = InputOutcome::Kind::rejected;
        outcome.message = e.what();
    } catch (const std::exception& e) {
        // A reader broke its contract (or memory ran out): lose this input,
        // not the rest of its archive.
        outcome.kind = InputOutcome::Kind::rejected;
        outcome.message = source + ": internal error: " + e.what();
    }
    outcome.bytes = peek.bytes_read();
    return outcome;
}

/// Why a zip entry is not looked at, or nullopt to decode it.
std::optional<std::pair<InputOutcome::Kind, std::string>> screen_entry(const ZipEntry& entry) {
    using Kind = InputOutcome::Kind;
    const std::string_view name = entry.name;
    // Names are never used as paths (nothing is extracted), but an archive
    // that tries to escape its folder is hostile and worth reporting.
    const bool absolute =
        name.starts_with('/') || name.starts_with('\\') || (name.size() >= 2 && name[1] == ':');
    bool dot_dot = false;
    for (std::size_t pos = 0; pos <= name.size();) {
        const auto end = name.find_first_of("/\\", pos);
        const auto part = name.substr(pos, end == std::string_view::npos ? name.npos : end - pos);
        dot_dot = dot_dot || part == "..";
        if (end == std::string_view::npos) {
            break;
        }
        pos = end + 1;
    }
    if (absolute || dot_dot) {
        return std::pair{Kind::rejected,
                         std::string("member name ") +
                             (absolute ? "is an absolute path" : "has a '..' component") +
                             ": rejected, not read"};
    }
    if (!entry.is_file) {
        return std::pair{Kind::skipped, std::string("folder or special entry")};
    }
    if (entry.encrypted) {
        return std::pair{Kind::rejected, std::string("encrypted member: not read")};
    }
    if (name.starts_with("__MACOSX/") || name.find("/__MACOSX/") != std::string_view::npos) {
        return std::pair{Kind::skipped, std::string("macOS resource data (__MACOSX)")};
    }
    const auto base = base_name(name);
    if (base.starts_with("._")) {
        return std::pair{Kind::skipped, std::string("AppleDouble metadata (._ file)")};
    }
    if (base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini") {
        return std::pair{Kind::skipped, std::string("folder metadata")};
    }
    // Garmin export (spec 4.2): only DI-Connect-Uploaded-Files and
    // DI-Connect-Fitness hold activities; the other DI_CONNECT folders are
    // daily monitoring and profile data.
    if (const auto root = name.find("DI_CONNECT/"); root != std::string_view::npos) {
        const auto folder = name.substr(root + 11, name.find('/', root + 11) - (root + 11));
        if (!folder.starts_with("DI-Connect-Uploaded-Files") &&
            !folder.starts_with("DI-Connect-Fitness")) {
            return std::pair{Kind::skipped,
                             "Garmin export: " + std::string(folder) + " holds no activities"};
        }
    }
    return std::nullopt;
}

/// Members buffered for the worker threads: at most `capacity` at a time.
class MemberQueue {
public:
    struct Job {
        std::vector<std::uint8_t> bytes;
        std::string source;
        std::vector<InputOutcome>* slot;
    };
    explicit MemberQueue(std::size_t capacity) : m_capacity(capacity) {}

    void push(Job job) {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_jobs.size() < m_capacity; });
        m_jobs.push_back(std::move(job));
        m_not_empty.notify_one();
    }
    std::optional<Job> pop() {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return !m_jobs.empty() || m_closed; });
        if (m_jobs.empty()) {
            return std::nullopt;
        }
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_not_full.notify_one();
        return job;
    }
    void close() {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_empty.notify_all();
    }

private:
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_not_full;
    std::condition_variable m_not_empty;
    std::deque<Job> m_jobs;
    bool m_closed = false;
};

/// A running hash of entry names, to check that two readers of one zip list
/// the same members in the same order.
std::uint64_t mix_name(std::uint64_t hash, const std::string& name) {
    return (hash ^ std::hash<std::string>{}(name)) * 1099511628211ULL;
}

/// What the forward reader leaves to the seekable one when it breaks.
struct ForwardBreak {
    std::string error;                       ///< what the forward reader reported for the zip
    std::optional<std::uint64_t> last_index; ///< the last entry it gave
    std::vector<InputOutcome>* last_slot = nullptr;
    bool last_stored_with_descriptor = false;
    bool redo_last = false;  ///< it broke inside the last entry's data
    std::uint64_t names = 0; ///< mix_name of every entry it gave
};

/// Reads the member the forward reader broke in again, through the seekable
/// reader `zip`, into `slot` (on this thread), and says what was wrong.
void redo_member(const DecodeContext& ctx, ZipArchive& zip, const ZipEntry& entry,
                 const std::string& source, unsigned depth, const ForwardBreak& broke,
                 std::vector<InputOutcome>& slot) {
    const std::string member_source = source + "!" + entry.name;
    slot = decode_nested(ctx, zip.member(), member_source, depth);
    if (!broke.last_stored_with_descriptor) {
        return;
    }
    const std::string& error = zip.member_error();
    if (error.empty()) {
        if (!slot.empty()) {
            slot.front().warnings.push_back(
                "stored member whose data descriptor does not match its data (CRC): read with the "
                "size and CRC of the zip's central directory, which its data matches");
        }
        return;
    }
    for (auto& outcome : slot) {
        if (outcome.source == member_source && outcome.kind == InputOutcome::Kind::rejected) {
            outcome.message =
                member_source + ": stored member with a data descriptor " +
                (error.find("CRC") != std::string::npos ? "whose CRC does not match its data"
                                                        : "that does not match its data") +
                "; skipped (" + error + ")";
        }
    }
}

/// Unpacks a zip member by member. With ctx.jobs > 1, members that a
/// reader claims are read whole (up to limits.max_buffered_member_bytes)
/// and decoded by worker threads while the next members are unpacked;
/// nested zips, indexes and oversized members are decoded in this thread.
/// The zip is read forward; when that breaks part way in a top-level zip
/// that is a regular file (ctx.seekable), it is read again through its
/// central directory from the member where the forward reader broke.
std::vector<InputOutcome> decode_zip(const DecodeContext& ctx, ByteStream& in,
                                     const std::string& source, unsigned depth) {
    std::deque<std::vector<InputOutcome>> slots; // one per entry, in archive order
    const bool parallel = ctx.jobs > 1;
    const DecodeContext worker_ctx{ctx.registry, ctx.limits, 1,     ctx.budget,
                                   ctx.indexes,  ctx.skips,  false, nullptr};
    MemberQueue queue(std::size_t{2} * ctx.jobs);
    std::vector<std::jthread> workers;
    if (parallel) {
        for (unsigned w = 0; w < ctx.jobs; ++w) {
            workers.emplace_back([&] {
                while (auto job = queue.pop()) {
                    try {
                        MemoryStream bytes(job->bytes);
                        *job->slot = decode_nested(worker_ctx, bytes, job->source, depth);
                    } catch (const std::exception& e) {
                        *job->slot = {make_outcome(job->source, InputOutcome::Kind::rejected,
                                                   job->source + ": " + e.what())};
                    }
                }
            });
        }
    }
    // Whatever leaves this function, the workers must see the end of the
    // queue before they are joined.
    struct CloseQueue {
        MemberQueue& queue;
        ~CloseQueue() { queue.close(); }
    } close_queue{queue};
    std::uint64_t entries = 0;
    bool last_queued = false;
    // Decodes one entry into a new slot, which it returns.
    auto decode_entry = [&](ZipArchive& zip, const ZipEntry& entry) -> std::vector<InputOutcome>& {
        ++entries;
        // The slot of an entry that was counted, not listed, is given
        // back (never one handed to a worker: it is filled later).
        if (!slots.empty() && slots.back().empty() && !last_queued) {
            slots.pop_back();
        }
        last_queued = false;
        auto& slot = slots.emplace_back();
        const std::string member_source = source + "!" + entry.name;
        if (auto screened = screen_entry(entry)) {
            slot.push_back(
                make_outcome(member_source, screened->first, std::move(screened->second)));
            ctx.skips.screen(slot);
            return slot;
        }
        try {
            if (!parallel || is_export_index_name(entry.name)) {
                slot = decode_nested(ctx, zip.member(), member_source, depth);
                return slot;
            }
            PeekStream peek(zip.member());
            const auto head = peek.head();
            const bool decodable =
                is_gzip(head) || ctx.registry.identify(head, base_name(entry.name)) != nullptr;
            if (!decodable || is_zip(head)) {
                // Nested zips (their members get the workers) and
                // unknown content (only its head is read) stay here.
                slot = decode_nested(ctx, peek, member_source, depth);
                return slot;
            }
            auto bytes = read_up_to(peek, ctx.limits.max_buffered_member_bytes);
            if (bytes.size() > ctx.limits.max_buffered_member_bytes) {
                ReplayStream whole(std::move(bytes), peek);
                slot = decode_nested(ctx, whole, member_source, depth);
                return slot;
            }
            last_queued = true;
            queue.push({std::move(bytes), member_source, &slot});
        } catch (const InputError& e) {
            slot.push_back(make_outcome(member_source, InputOutcome::Kind::rejected, e.what()));
        }
        return slot;
    };

    const SeekableFile* reopen = depth == 1 ? ctx.seekable : nullptr;
    std::optional<ForwardBreak> broke;
    ForwardBreak forward;
    std::optional<ZipArchive> zip;
    try {
        zip.emplace(in, source, ctx.limits, ctx.budget);
        ZipEntry entry;
        while (zip->next(entry)) {
            forward.names = mix_name(forward.names, entry.name);
            forward.last_index = entry.index;
            forward.last_stored_with_descriptor = entry.stored_with_descriptor;
            forward.last_slot = &decode_entry(*zip, entry);
            if (reopen != nullptr && zip->broken()) {
                // Broke inside this member's data: nothing after it can be
                // read forward.
                forward.redo_last = true;
                broke = forward;
                broke->error = zip->broken_message();
                break;
            }
        }
        if (!broke && entries == 0) {
            slots.emplace_back().push_back(
                make_outcome(source, InputOutcome::Kind::skipped, "empty zip archive"));
        }
    } catch (const InputError& e) {
        if (reopen != nullptr && zip && zip->broken()) {
            broke = forward;
            broke->error = e.what();
        } else {
            // The archive itself broke (truncated, not a zip, too many
            // members); what was read before stays.
            slots.emplace_back().push_back(
                make_outcome(source, InputOutcome::Kind::rejected, e.what()));
        }
    }
    zip.reset();

    if (broke) {
        // Read again through the central directory, which gives every
        // member's size: the members already read are passed over unread,
        // the one the forward reader broke in is read again whole, the rest
        // as usual (same limits, same budget).
        bool resumed = !broke->last_index.has_value();
        try {
            ZipArchive again(*reopen, source, ctx.limits, ctx.budget);
            std::uint64_t names = 0;
            ZipEntry entry;
            while (again.next(entry)) {
                if (broke->last_index && entry.index <= *broke->last_index) {
                    names = mix_name(names, entry.name);
                    if (entry.index < *broke->last_index) {
                        continue;
                    }
                    if (names != broke->names) {
                        throw InputError(source +
                                         ": its central directory does not list the members read "
                                         "so far in the same order; the rest not read");
                    }
                    resumed = true;
                    if (broke->redo_last) {
                        redo_member(ctx, again, entry, source, depth, *broke, *broke->last_slot);
                    }
                    continue;
                }
                decode_entry(again, entry);
            }
            if (!resumed) {
                throw InputError(source + ": its central directory lists fewer members than were "
                                          "read; the rest not read");
            }
        } catch (const InputError& e) {
            std::string message = e.what();
            if (!resumed) {
                // Nothing gained: the forward reader's error comes first.
                if (message.starts_with(source + ": ")) {
                    message.erase(0, source.size() + 2);
                }
                message =
                    broke->error + "; not read again through its central directory: " + message;
            }
            slots.emplace_back().push_back(
                make_outcome(source, InputOutcome::Kind::rejected, std::move(message)));
        }
    }
    queue.close();
    workers.clear(); // joins: every slot is filled from here on
    std::vector<InputOutcome> outcomes;
    for (auto& slot : slots) {
        for (auto& outcome : slot) {
            outcomes.push_back(std::move(outcome));
        }
    }
    return outcomes;
}

/// The outcome of a member that is not a container, screened by the skip
/// tally when it lies inside one.
std::vector<InputOutcome> leaf(const DecodeContext& ctx, unsigned depth,
                               std::vector<InputOutcome> outcomes) {
    if (depth > 0 && ctx.tally) {
        ctx.skips.screen(outcomes);
    }
    return outcomes;
}

std::vector<InputOutcome> decode_nested(const DecodeContext& ctx, ByteStream& in,
                                        const std::string& source, unsigned depth) {
    try {
        PeekStream peek(in);
        const auto head = peek.head();
        const bool gzip = is_gzip(head);
        const bool zip = is_zip(head);
        if (gzip || zip) {
            if (depth >= ctx.limits.max_depth) {
                return {make_outcome(source, InputOutcome::Kind::rejected,
                                     source + ": containers nested more than " +
                                         std::to_string(ctx.limits.max_depth) +
                                         " deep: not unpacked")};
            }
            if (zip && is_empty_zip(head)) {
                return leaf(
                    ctx, depth,
                    {make_outcome(source, InputOutcome::Kind::skipped, "empty zip archive")});
            }
            if (zip) {
                return decode_zip(ctx, peek, source, depth + 1);
            }
            // A .gz keeps its own name as the source: it has one member.
            GzipStream inflated(peek, source, ctx.limits, ctx.budget);
            return decode_nested(ctx, inflated, source, depth + 1);
        }
        if (is_export_index_name(source.substr(source.find_last_of('!') + 1))) {
            return {read_export_index(ctx, peek, source)};
        }
        return leaf(ctx, depth, {read_activity_file(ctx, peek, source)});
    } catch (const InputError& e) {
        return {make_outcome(source, InputOutcome::Kind::rejected, e.what())};
    }
}

} // namespace

} // namespace detail

std::vector<InputOutcome> decode_input(const ReaderRegistry& registry, ByteStream& in,
                                       const std::string& source, const DecodeOptions& options) {
    ExpansionBudget budget(options.limits.max_expanded_bytes);
    detail::IndexCollector indexes;
    detail::SkipTally skips(options.limits.max_listed_skips);
    const detail::DecodeContext ctx{registry, options.limits, std::max(1U, options.jobs),
                                    budget,   indexes,        skips};
    auto outcomes = detail::decode_nested(ctx, in, source, 0);
    skips.append_counts(source, outcomes);
    indexes.apply(outcomes);
    return outcomes;
}

namespace {

/// Runs `work(i)` for i in [0, count) on up to `jobs` threads.
template <class Work> void parallel_for(std::size_t count, unsigned jobs, Work&& work) {
    const auto threads =
        static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, count)));
    if (threads <= 1) {
        for (std::size_t i = 0; i < count; ++i) {
            work(i);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::jthread> workers;
    workers.reserve(threads);
    for (unsigned w = 0; w < threads; ++w) {
        workers.emplace_back([&] {
            for (std::size_t k = next++; k < count; k = next++) {
                work(k);
            }
        });
    }
}

bool starts_as_zip(const std::string& path) {
    try {
        FileStream file(path);
        std::uint8_t head[4];
        std::size_t got = 0;
        while (got < sizeof head) {
            const std::size_t n = file.read(head + got, sizeof head - got);
            if (n == 0) {
                break;
            }
            got += n;
        }
        return is_zip({head, got});
    } catch (const std::exception&) {
        return false; // reported when it is decoded
    }
}

} // namespace

ScanResult scan(const ReaderRegistry& registry, const std::vector<std::string>& paths,
                const ScanOptions& options) {
    InputList list = list_inputs(paths);
    const std::size_t count = list.files.size();
    std::vector<DecodedFile> per_file(count);
    ScanResult result;
    result.counts.files = count;

    const unsigned jobs =
        options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());

    std::mutex progress_mutex;
    std::size_t done = 0;
    auto one_done = [&] {
        if (options.progress) {
            const std::lock_guard lock(progress_mutex);
            options.progress(++done, count);
        }
    };

    // With a cache: an unchanged stamp (stat only) takes the stored result;
    // a changed stamp is hashed, and the same content takes the stored
    // result too; only the rest is decoded. The stamp is taken before the
    // file is read, so a file changed while it is read is decoded again next time.
    // FIFOs, `<(...)` pipes and devices can be read once only: never hashed
    // for the cache, peeked at or stored, just decoded.
    std::vector<char> regular(count, 0);
    for (std::size_t i = 0; i < count; ++i) {
        struct stat st {};
        regular[i] = ::stat(list.files[i].c_str(), &st) == 0 && S_ISREG(st.st_mode) ? 1 : 0;
    }
    std::vector<std::optional<FileStamp>> stamps(count);
    std::vector<std::uint64_t> hashes(count, 0);
    std::vector<char> need_decode(count, 1);
    std::vector<char> need_store(count, 0);
    if (options.cache != nullptr) {
        std::vector<std::size_t> changed;
        struct Lookups {
            ScanCache& cache;
            explicit Lookups(ScanCache& c) : cache(c) { cache.begin_lookups(); }
            ~Lookups() { cache.end_lookups(); }
            Lookups(const Lookups&) = delete;
            Lookups& operator=(const Lookups&) = delete;
        };
        std::optional<Lookups> lookups(std::in_place, *options.cache);
        for (std::size_t i = 0; i < count; ++i) {
            if (regular[i] == 0) {
                continue;
            }
            stamps[i] = stamp_of(list.files[i]);
            if (!stamps[i]) {
                continue; // decoding reports why it cannot be read
            }
            if (auto hit = options.cache->lookup(*stamps[i])) {
                per_file[i] = std::move(*hit);
                need_decode[i] = 0;
                ++result.counts.cached;
                one_done();
            } else {
                changed.push_back(i);
            }
        }
        lookups.reset();
        std::vector<char> hashed(count, 0);
        parallel_for(changed.size(), jobs, [&](std::size_t k) {
            try {
                hashes[changed[k]] = hash_file(list.files[changed[k]]);
                hashed[changed[k]] = 1;
            } catch (const std::exception&) {
                // Decoding reports it.
            }
        });
        for (const std::size_t i : changed) {
            if (hashed[i] == 0) {
                continue;
            }
            need_store[i] = 1;
            if (auto hit = options.cache->lookup_moved(*stamps[i], hashes[i])) {
                per_file[i] = std::move(*hit);
                need_decode[i] = 0;
                ++result.counts.rehashed;
                one_done();
            }
        }
    }

    auto work_on = [&](std::size_t i, unsigned member_jobs) {
        const std::string& path = list.files[i];
        detail::IndexCollector indexes;
        try {
            // Taken before the file is opened: a zip is read again through
            // its central directory only while it is still this file.
            std::optional<SeekableFile> seekable;
            struct stat st {};
            if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
                seekable = SeekableFile{
                    path, static_cast<std::uint64_t>(st.st_dev),
                    static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size),
                    static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
            }
            FileStream file(path);
            ExpansionBudget budget(options.limits.max_expanded_bytes);
            detail::SkipTally skips(options.limits.max_listed_skips);
            const detail::DecodeContext ctx{
                registry, options.limits, member_jobs, budget,
                indexes,  skips,          true,        seekable ? &*seekable : nullptr};
            per_file[i].outcomes = detail::decode_nested(ctx, file, path, 0);
            skips.append_counts(path, per_file[i].outcomes);
            per_file[i].indexes = indexes.take();
        } catch (const std::exception& e) {
            // InputError (open/read) or an allocation failure: this input
            // only; the batch goes on. Not stored: it may work next time.
            InputOutcome failed;
            failed.source = path;
            failed.message = e.what();
            per_file[i].outcomes = {std::move(failed)};
            need_store[i] = 0;
        }
        one_done();
    };

    // Zips get all the threads for their members, one zip at a time; the
    // other files are spread over the threads. Either way at most `jobs`
    // threads decode at once.
    std::vector<std::size_t> plain;
    std::vector<std::size_t> zips;
    for (std::size_t i = 0; i < count; ++i) {
        if (need_decode[i] == 0) {
            continue;
        }
        ++result.counts.decoded;
        (jobs > 1 && regular[i] != 0 && starts_as_zip(list.files[i]) ? zips : plain).push_back(i);
    }
    parallel_for(plain.size(), jobs, [&](std::size_t k) { work_on(plain[k], 1); });
    for (const std::size_t i : zips) {
        work_on(i, jobs);
    }

    if (options.cache != nullptr) {
        std::vector<ScanCache::Update> updates;
        for (std::size_t i = 0; i < count; ++i) {
            if (need_store[i] != 0 && stamps[i]) {
                updates.push_back({*stamps[i], hashes[i], &per_file[i]});
            }
        }
        if (!updates.empty()) {
            options.cache->store(updates);
        }
    }

    result.outcomes = std::move(list.missing);
    std::vector<ExportIndex> all_indexes;
    for (auto& file : per_file) {
        for (auto& outcome : file.outcomes) {
            result.outcomes.push_back(std::move(outcome));
        }
        for (auto& index : file.indexes) {
            all_indexes.push_back(std::move(index));
        }
    }
    std::stable_sort(all_indexes.begin(), all_indexes.end(),
                     [](const auto& a, const auto& b) { return a.source < b.source; });
    apply_export_indexes(all_indexes, result.outcomes);
    if (options.dedupe) {
        mark_duplicates(result.outcomes);
    }
    return result;
}

std::vector<InputOutcome> scan_inputs(const ReaderRegistry& registry,
                                      const std::vector<std::string>& paths,
                                      const ScanOptions& options) {
    return scan(registry, paths, options).outcomes;
}

ScanSummary summarize(const std::vector<InputOutcome>& outcomes) {
    ScanSummary s;
    s.inputs = outcomes.size();
    for (const auto& o : outcomes) {
        // An input whose activities were all found elsewhere was still read.
        switch (o.kind) {
        case InputOutcome::Kind::read:
        case InputOutcome::Kind::duplicate:
            ++s.read;
            break;
        case InputOutcome::Kind::skipped:
            ++s.skipped;
            break;
        case InputOutcome::Kind::rejected:
            ++s.rejected;
            break;
        }
        s.activities += o.activities.size();
        s.merged += o.duplicates.size();
    }
    return s;
}

} // namespace ultrastrength
