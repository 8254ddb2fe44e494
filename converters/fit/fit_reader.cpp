// The FIT activity reader (specs/input-formats.md §1). One streaming pass:
// each definition message is compiled into a decode plan (offset, kind and
// target slot of the few fields we use, byte order fixed once), so the
// per-record loop does no lookups, no virtual calls and no allocations.
#include "converters/fit/fit_reader.hpp"

#include "converters/features.hpp"
#include "converters/fit/fit_input.hpp"
#include "converters/fit/fit_validate.hpp"
#include "fit/base_type.hpp"
#include "fit/header.hpp"
#include "fit/profile.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength {

namespace {

namespace prof = fit::profile;

// ---------------------------------------------------------------------------
// Decode plans

/// How one field is read: element type and byte order folded into one code.
enum class Kind : std::uint8_t { u8, s8, u8z, u16, s16, u16z, u32, s32, u32z, f32, speed_distance };
constexpr std::size_t kind_count = 11;

struct FieldOp {
    std::uint16_t offset; ///< from the start of the message body
    Kind kind;
    std::uint8_t slot;
    std::uint8_t base_type;
};

/// The messages whose fields we decode; everything else is skipped by size.
enum class Msg : std::uint8_t { other, file_id, sport, session, record, event, activity };

constexpr std::size_t max_slots = 16;
constexpr std::size_t max_ops = 16;
constexpr std::uint8_t slot_timestamp = 0; // field 253 in every message
/// Sessions kept per file: a triathlon has 5, long multisport days a few
/// dozen; the cap bounds memory and the per-record session lookup.
constexpr std::size_t max_sessions = 64;
constexpr std::size_t max_warnings = 20;

// Slots per message (index into Values::v).
namespace rec {
constexpr std::uint8_t lat = 1, lon = 2, altitude = 3, enhanced_altitude = 4, heart_rate = 5,
                       distance = 6, speed = 7, enhanced_speed = 8, speed_distance = 9;
}
namespace ses {
constexpr std::uint8_t start_time = 1, sport = 2, sub_sport = 3, elapsed = 4, timer = 5,
                       distance = 6, calories = 7, avg_hr = 8, max_hr = 9, ascent = 10,
                       descent = 11, tss = 12, rpe = 13;
}
namespace evt {
constexpr std::uint8_t event = 1, event_type = 2;
}
namespace act {
constexpr std::uint8_t local_timestamp = 1;
}
namespace fid {
constexpr std::uint8_t type = 1;
}
namespace spt {
constexpr std::uint8_t sport = 1, sub_sport = 2;
}

Msg message_kind(std::uint16_t global) noexcept {
    switch (global) {
    case prof::mesg::file_id:
        return Msg::file_id;
    case prof::mesg::sport:
        return Msg::sport;
    case prof::mesg::session:
        return Msg::session;
    case prof::mesg::record:
        return Msg::record;
    case prof::mesg::event:
        return Msg::event;
    case prof::mesg::activity:
        return Msg::activity;
    default:
        return Msg::other;
    }
}

/// Slot of field `num` of message kind `msg`, or -1 if we do not use it.
int slot_of(Msg msg, std::uint8_t num) noexcept {
    if (num == prof::field::common::timestamp.num) {
        return slot_timestamp;
    }
    namespace f = prof::field;
    switch (msg) {
    case Msg::record:
        if (num == f::record::position_lat.num)
            return rec::lat;
        if (num == f::record::position_long.num)
            return rec::lon;
        if (num == f::record::altitude.num)
            return rec::altitude;
        if (num == f::record::enhanced_altitude.num)
            return rec::enhanced_altitude;
        if (num == f::record::heart_rate.num)
            return rec::heart_rate;
        if (num == f::record::distance.num)
            return rec::distance;
        if (num == f::record::speed.num)
            return rec::speed;
        if (num == f::record::enhanced_speed.num)
            return rec::enhanced_speed;
        if (num == f::record::compressed_speed_distance.num)
            return rec::speed_distance;
        return -1;
    case Msg::session:
        if (num == f::session::start_time.num)
            return ses::start_time;
        if (num == f::session::sport.num)
            return ses::sport;
        if (num == f::session::sub_sport.num)
            return ses::sub_sport;
        if (num == f::session::total_elapsed_time.num)
            return ses::elapsed;
        if (num == f::session::total_timer_time.num)
            return ses::timer;
        if (num == f::session::total_distance.num)
            return ses::distance;
        if (num == f::session::total_calories.num)
            return ses::calories;
        if (num == f::session::avg_heart_rate.num)
            return ses::avg_hr;
        if (num == f::session::max_heart_rate.num)
            return ses::max_hr;
        if (num == f::session::total_ascent.num)
            return ses::ascent;
        if (num == f::session::total_descent.num)
            return ses::descent;
        if (num == f::session::training_stress_score.num)
            return ses::tss;
        if (num == f::session::workout_rpe.num)
            return ses::rpe;
        return -1;
    case Msg::event:
        if (num == f::event::event.num)
            return evt::event;
        if (num == f::event::event_type.num)
            return evt::event_type;
        return -1;
    case Msg::activity:
        if (num == f::activity::local_timestamp.num)
            return act::local_timestamp;
        return -1;
    case Msg::file_id:
        if (num == f::file_id::type.num)
            return fid::type;
        return -1;
    case Msg::sport:
        if (num == f::sport::sport.num)
            return spt::sport;
        if (num == f::sport::sub_sport.num)
            return spt::sub_sport;
        return -1;
    case Msg::other:
        return -1;
    }
    return -1;
}

/// The element kind for a field of `size` bytes and base type `type`, or
/// nothing when the field is not a number we can read (strings, 64-bit
/// values, sizes that are not a multiple of the type: treated as bytes, §1.4).
std::optional<Kind> kind_of(std::uint8_t type, std::uint8_t size) noexcept {
    if (!fit::is_known_base_type(type) || size == 0 || size % fit::base_type_size(type) != 0) {
        return std::nullopt;
    }
    switch (type & 0x1F) {
    case fit::base_type::enum_ & 0x1F:
    case fit::base_type::uint8 & 0x1F:
        return Kind::u8;
    case fit::base_type::sint8 & 0x1F:
        return Kind::s8;
    case fit::base_type::uint8z & 0x1F:
        return Kind::u8z;
    case fit::base_type::sint16 & 0x1F:
        return Kind::s16;
    case fit::base_type::uint16 & 0x1F:
        return Kind::u16;
    case fit::base_type::uint16z & 0x1F:
        return Kind::u16z;
    case fit::base_type::sint32 & 0x1F:
        return Kind::s32;
    case fit::base_type::uint32 & 0x1F:
        return Kind::u32;
    case fit::base_type::uint32z & 0x1F:
        return Kind::u32z;
    case fit::base_type::float32 & 0x1F:
        return Kind::f32;
    default:
        return std::nullopt;
    }
}

struct Plan {
    bool defined = false;
    bool big_endian = false;
    Msg msg = Msg::other;
    std::uint16_t global = 0;
    std::uint32_t size = 0; ///< body bytes, developer fields included
    std::uint8_t n_ops = 0;
    std::array<FieldOp, max_ops> ops{}; ///< grouped by kind, see kind_end
    /// ops[kind_end[k-1] .. kind_end[k]) are of Kind k: one tight loop per
    /// kind instead of a jump per field (the jump did not predict well).
    std::array<std::uint8_t, kind_count> kind_end{};

    /// Record plans whose fields all have their profile's base types, in
    /// little-endian order (what every device we know writes), are decoded
    /// straight into a Sample by Decoder::on_record_fast(); fast_offset[slot]
    /// is valid where fast_mask has the slot's bit.
    bool fast_record = false;
    std::uint32_t fast_mask = 0;
    std::array<std::uint16_t, max_slots> fast_offset{};

    void add(FieldOp op) noexcept {
        if (n_ops == max_ops)
            return;
        const auto k = static_cast<std::size_t>(op.kind);
        std::size_t at = kind_end[k];
        for (std::size_t i = n_ops; i > at; --i)
            ops[i] = ops[i - 1];
        ops[at] = op;
        ++n_ops;
        for (std::size_t j = k; j < kind_count; ++j)
            ++kind_end[j];
    }
};

/// The kind each record field has in the profile; compressed_speed_distance
/// (a byte array with a rolling counter) always takes the general path.
constexpr std::optional<Kind> profile_record_kind(std::uint8_t slot) noexcept {
    switch (slot) {
    case slot_timestamp:
    case rec::enhanced_altitude:
    case rec::distance:
    case rec::enhanced_speed:
        return Kind::u32;
    case rec::lat:
    case rec::lon:
        return Kind::s32;
    case rec::altitude:
    case rec::speed:
        return Kind::u16;
    case rec::heart_rate:
        return Kind::u8;
    default:
        return std::nullopt;
    }
}

/// Sets up the fast record path when `plan` qualifies (see Plan::fast_record).
void plan_fast_record(Plan& plan) noexcept {
    plan.fast_record = false;
    plan.fast_mask = 0;
    if (plan.msg != Msg::record || plan.big_endian) {
        return;
    }
    for (std::size_t i = 0; i < plan.n_ops; ++i) {
        const FieldOp& op = plan.ops[i];
        const std::uint32_t bit = 1U << op.slot;
        if (profile_record_kind(op.slot) != op.kind || (plan.fast_mask & bit) != 0) {
            plan.fast_mask = 0; // another type, or a field defined twice
            return;
        }
        plan.fast_mask |= bit;
        plan.fast_offset[op.slot] = op.offset;
    }
    plan.fast_record = true;
}

struct Values {
    std::array<double, max_slots> v{};
    std::uint32_t present = 0;
    bool has(std::uint8_t slot) const noexcept { return (present >> slot) & 1U; }
};

inline std::uint16_t load16(const std::uint8_t* p, bool big) noexcept {
    std::uint16_t x;
    std::memcpy(&x, p, 2);
    return big ? static_cast<std::uint16_t>((x >> 8) | (x << 8)) : x;
}
inline std::uint32_t load32(const std::uint8_t* p, bool big) noexcept {
    std::uint32_t x;
    std::memcpy(&x, p, 4);
    return big ? __builtin_bswap32(x) : x;
}

template <Kind K> inline bool read_one(const std::uint8_t* p, bool big, double& value) noexcept {
    if constexpr (K == Kind::u8) {
        value = p[0];
        return p[0] != 0xFF;
    } else if constexpr (K == Kind::s8) {
        value = static_cast<std::int8_t>(p[0]);
        return p[0] != 0x7F;
    } else if constexpr (K == Kind::u8z) {
        value = p[0];
        return p[0] != 0;
    } else if constexpr (K == Kind::u16) {
        const std::uint16_t x = load16(p, big);
        value = x;
        return x != 0xFFFF;
    } else if constexpr (K == Kind::s16) {
        const std::uint16_t x = load16(p, big);
        value = static_cast<std::int16_t>(x);
        return x != 0x7FFF;
    } else if constexpr (K == Kind::u16z) {
        const std::uint16_t x = load16(p, big);
        value = x;
        return x != 0;
    } else if constexpr (K == Kind::u32) {
        const std::uint32_t x = load32(p, big);
        value = x;
        return x != 0xFFFFFFFFU;
    } else if constexpr (K == Kind::s32) {
        const std::uint32_t x = load32(p, big);
        value = static_cast<std::int32_t>(x);
        return x != 0x7FFFFFFFU;
    } else if constexpr (K == Kind::u32z) {
        const std::uint32_t x = load32(p, big);
        value = x;
        return x != 0;
    } else if constexpr (K == Kind::f32) {
        const std::uint32_t x = load32(p, big);
        value = static_cast<double>(std::bit_cast<float>(x));
        return x != 0xFFFFFFFFU && std::isfinite(value);
    } else {
        // byte[3]: 12-bit speed (1/100 m/s) then 12-bit rolling distance (1/16 m), §1.3.
        value = static_cast<double>(static_cast<std::uint32_t>(p[0]) |
                                    (static_cast<std::uint32_t>(p[1]) << 8) |
                                    (static_cast<std::uint32_t>(p[2]) << 16));
        return !(p[0] == 0xFF && p[1] == 0xFF && p[2] == 0xFF);
    }
}

template <Kind K>
inline void decode_kind(const Plan& plan, const std::uint8_t* body, double* values,
                        std::uint32_t& present) noexcept {
    constexpr auto k = static_cast<std::size_t>(K);
    const std::size_t begin = k == 0 ? 0 : plan.kind_end[k - 1];
    for (std::size_t i = begin; i < plan.kind_end[k]; ++i) {
        const FieldOp& op = plan.ops[i];
        double value;
        if (read_one<K>(body + op.offset, plan.big_endian, value)) {
            values[op.slot] = value;
            present |= 1U << op.slot;
        }
    }
}

/// Decodes the fields of `plan` from `body` into `out`; invalid values are
/// left absent (the sentinel is checked before any scale, §1.5).
inline void decode(const Plan& plan, const std::uint8_t* body, Values& out) noexcept {
    std::uint32_t present = 0; // a local, so the bit mask stays in a register
    double* v = out.v.data();
    decode_kind<Kind::u8>(plan, body, v, present);
    decode_kind<Kind::s8>(plan, body, v, present);
    decode_kind<Kind::u8z>(plan, body, v, present);
    decode_kind<Kind::u16>(plan, body, v, present);
    decode_kind<Kind::s16>(plan, body, v, present);
    decode_kind<Kind::u16z>(plan, body, v, present);
    decode_kind<Kind::u32>(plan, body, v, present);
    decode_kind<Kind::s32>(plan, body, v, present);
    decode_kind<Kind::u32z>(plan, body, v, present);
    decode_kind<Kind::f32>(plan, body, v, present);
    decode_kind<Kind::speed_distance>(plan, body, v, present);
    out.present = present;
}

std::string hex2(unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", v & 0xFFU);
    return buf;
}

// ---------------------------------------------------------------------------
// Activity assembly

struct Session {
    Values values;
    std::optional<std::size_t> builder; ///< index into chunks once records were routed to it
};

/// Records fed to one FeatureBuilder: a session's, or a run of records seen
/// before any session covering them (sessions are often written last).
struct Chunk {
    FeatureBuilder builder;
    double first_time_s = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t samples = 0;
    std::optional<std::size_t> session;
    /// While no session is known: the builder's totals every few seconds,
    /// so that sessions written after all the records can each be given the
    /// features of their own time (input-formats.md §1.8).
    std::vector<FeatureCheckpoint> checkpoints;
    double checkpoint_every_s = 15;
    double next_checkpoint_s = std::numeric_limits<double>::quiet_NaN();
};

/// ~1.2 KiB each, so at most ~5 MiB per file: when full, every other one is
/// folded into the next and the interval doubles (17 h at 15 s, then 30 s...).
constexpr std::size_t max_checkpoints = 4096;

/// An enum or count as unsigned; a field written with a signed or float base
/// type may hold anything, so out-of-range values become the invalid 0xFFFFFFFF.
unsigned as_uint(double value) noexcept {
    return value >= 0 && value <= 4294967295.0 ? static_cast<unsigned>(value) : 0xFFFFFFFFU;
}

/// True for a raw date_time a uint32 can hold (same reason as as_uint).
bool valid_time(double raw) noexcept {
    return raw >= 0 && raw <= 4294967295.0;
}

double fit_time_to_unix(double raw) noexcept {
    return raw + static_cast<double>(fit::fit_epoch_unix_s);
}

Sport map_sport(std::optional<unsigned> sport, std::optional<unsigned> sub) noexcept {
    namespace s = prof::value::sport;
    namespace ss = prof::value::sub_sport;
    if (!sport) {
        return Sport::other;
    }
    switch (*sport) {
    case s::running:
        if (sub == ss::trail)
            return Sport::trail_running;
        if (sub == ss::treadmill)
            return Sport::treadmill_running;
        return Sport::running;
    case s::hiking:
        return Sport::hiking;
    case s::walking:
        return Sport::walking;
    case s::cycling:
    case s::e_biking:
        return Sport::cycling;
    case s::swimming:
        return Sport::swimming;
    case s::training:
        return sub == ss::strength_training ? Sport::strength : Sport::other;
    default:
        return Sport::other;
    }
}

class Decoder {
public:
    Decoder(ByteStream& in, const std::string& source) : m_in(in), m_source(source) {}

    ReadResult run();

private:
    enum class Stop : std::uint8_t { ok, truncated, desync, overrun };

    Stop decode_part(std::uint64_t data_end);
    bool read_definition(std::uint8_t header, std::uint64_t data_end, Stop& stop);
    void on_message(const Plan& plan, bool compressed, std::uint8_t time_offset);
    void on_record(const Values& v);
    void on_record_fast(const Plan& plan, const std::uint8_t* body, bool compressed,
                        std::uint8_t time_offset);
    void feed(const Sample& s);
    void on_session(const Values& v);
    void on_event(const Values& v);
    Chunk& target_for(double time_s);
    void problem(std::uint64_t offset, const std::string& text);
    ActivityFeatures make_activity(std::optional<std::size_t> session_index, Chunk* chunk,
                                   std::uint64_t records,
                                   const std::optional<StreamFeatures>& stretch = std::nullopt);
    std::vector<std::optional<StreamFeatures>> split_by_session(Chunk& chunk);

    detail::FitInput m_in;
    const std::string& m_source;
    std::array<Plan, 16> m_plans{};
    Values m_values;
    std::optional<std::uint32_t> m_last_timestamp; ///< raw FIT time, for compressed timestamps
    std::uint32_t m_flags = 0;
    std::vector<std::string> m_warnings;
    std::optional<std::pair<std::uint64_t, std::string>> m_first_problem;

    std::optional<unsigned> m_first_file_type;
    bool m_sessions_capped = false;
    bool m_activity_part = false; ///< some file_id says "activity"
    std::vector<Session> m_sessions;
    std::vector<Chunk> m_chunks;
    std::optional<std::size_t> m_open_chunk;
    bool m_segment_pending = false;
    std::optional<double> m_timer_since; ///< raw FIT time of the running timer's start
    std::optional<double> m_timer_s;     ///< timer time of closed start/stop pairs
    std::optional<double> m_activity_timestamp;
    std::optional<double> m_activity_local;
    std::optional<unsigned> m_sport_msg_sport;
    std::optional<unsigned> m_sport_msg_sub;
    std::uint64_t m_records = 0;
    bool m_relative_time = false;
    double m_speed_distance_m = 0; ///< accumulated compressed_speed_distance distance
    std::optional<std::uint32_t> m_last_rolling_16m;
};

void Decoder::problem(std::uint64_t offset, const std::string& text) {
    if (!m_first_problem) {
        m_first_problem.emplace(offset, text);
    }
    // Bounded, like everything the reader keeps: a chain of many broken parts
    // must not grow memory with the file's size.
    if (m_warnings.size() < max_warnings) {
        m_warnings.push_back("byte " + std::to_string(offset) + ": " + text);
    } else if (m_warnings.size() == max_warnings) {
        m_warnings.emplace_back("further problems not listed");
    }
}

ReadResult Decoder::run() {
    std::size_t parts = 0;
    while (true) {
        if (!m_in.ensure(1)) {
            if (parts == 0) {
                throw ReadError(m_source, {0, {}}, "expected a FIT header, found an empty input");
            }
            break;
        }
        const std::uint64_t part_start = m_in.offset();
        m_in.ensure(fit::max_header_size);
        fit::FileHeader header;
        std::string what;
        const auto status = fit::parse_header(
            std::span<const std::uint8_t>(m_in.data(), m_in.available()), header, &what);
        if (status != fit::HeaderStatus::ok) {
            if (parts == 0) {
                throw ReadError(m_source, {part_start, {}}, "expected " + what);
            }
            m_flags |= flag_bit(Flag::trailing_garbage);
            problem(part_start, "ignored the bytes after FIT part " + std::to_string(parts) +
                                    ": expected " + what);
            break;
        }
        m_in.reset_crc();
        if (!fit::header_crc_ok(std::span<const std::uint8_t>(m_in.data(), header.size), header)) {
            m_flags |= flag_bit(Flag::header_crc_mismatch);
            char text[96];
            std::snprintf(text, sizeof text, "header CRC 0x%04X does not match computed 0x%04X",
                          *header.crc, fit::computed_header_crc({m_in.data(), 12}));
            problem(part_start + 12, text);
        }
        m_in.consume(header.size);
        ++parts;
        m_plans = {};
        m_last_timestamp.reset();
        const std::uint64_t data_end = part_start + header.size + header.data_size;
        const Stop stop = decode_part(data_end);
        if (stop != Stop::ok) {
            m_flags |= flag_bit(stop == Stop::desync ? Flag::desynchronized : Flag::truncated);
            break;
        }
        const std::uint16_t computed = m_in.crc();
        if (!m_in.ensure(2)) {
            m_flags |= flag_bit(Flag::truncated);
            problem(m_in.offset(), "expected the 2-byte file CRC, found the end of the input");
            break;
        }
        const auto stored = static_cast<std::uint16_t>(m_in.data()[0] | (m_in.data()[1] << 8));
        if (stored != computed) {
            m_flags |= flag_bit(Flag::crc_mismatch);
            char text[96];
            std::snprintf(text, sizeof text, "file CRC 0x%04X does not match computed 0x%04X",
                          stored, computed);
            problem(m_in.offset(), text);
        }
        m_in.consume(2);
    }

    ReadResult result;
    const bool has_activity_part = !m_first_file_type || m_activity_part;
    if (!has_activity_part && m_sessions.empty() && m_records == 0) {
        const unsigned type = *m_first_file_type;
        const std::string_view name = prof::file_name(type);
        result.skipped = "FIT file type " +
                         (name.empty() ? std::to_string(type) : std::string(name)) +
                         ", not an activity";
        result.warnings = std::move(m_warnings);
        return result;
    }
    if (m_sessions.empty() && m_records == 0) {
        if (m_first_problem) {
            throw ReadError(m_source, {m_first_problem->first, {}}, m_first_problem->second);
        }
        throw ReadError(m_source, {m_in.offset(), {}},
                        "expected session or record messages, found none");
    }

    if (m_sessions.empty()) {
        Chunk* best = nullptr;
        for (Chunk& c : m_chunks) {
            if (best == nullptr || c.samples > best->samples) {
                best = &c;
            }
        }
        ActivityFeatures a = make_activity(std::nullopt, best, m_records);
        a.set(Flag::no_summary);
        // Without a session, timer start/stop pairs give the timer time (§1.10, event).
        if (m_timer_s) {
            double timer = *m_timer_s;
            if (m_timer_since && m_last_timestamp && *m_last_timestamp >= *m_timer_since) {
                timer += *m_last_timestamp - *m_timer_since;
            }
            a.timer_s = a.elapsed_s ? std::min(timer, *a.elapsed_s) : timer;
        }
        result.activities.push_back(std::move(a));
    } else {
        // Records seen before several sessions that all came after them
        // (sessions written at the end): each session gets the minutes of
        // its own time range, not the first one all of them.
        std::vector<std::optional<StreamFeatures>> split(m_sessions.size());
        std::vector<std::uint64_t> split_records(m_sessions.size(), 0);
        for (Chunk& c : m_chunks) {
            if (c.session || m_sessions.size() < 2 || c.checkpoints.empty()) {
                continue;
            }
            auto by_session = split_by_session(c);
            if (by_session.empty()) {
                continue;
            }
            c.session = m_sessions.size(); // consumed: no session takes it whole
            for (std::size_t si = 0; si < by_session.size(); ++si) {
                if (by_session[si]) {
                    split_records[si] += by_session[si]->samples;
                    if (!split[si] || by_session[si]->samples > split[si]->samples) {
                        split[si] = by_session[si];
                    }
                }
            }
        }
        // Chunks of records seen before their session: give each to the
        // session whose time range holds its first record (or the only one).
        for (std::size_t ci = 0; ci < m_chunks.size(); ++ci) {
            Chunk& c = m_chunks[ci];
            if (c.session) {
                continue;
            }
            std::optional<std::size_t> owner;
            if (m_sessions.size() == 1) {
                owner = 0;
            } else if (!std::isnan(c.first_time_s)) {
                for (std::size_t si = 0; si < m_sessions.size(); ++si) {
                    const Values& s = m_sessions[si].values;
                    if (s.has(ses::start_time) && s.has(ses::elapsed)) {
                        const double start = fit_time_to_unix(s.v[ses::start_time]);
                        if (c.first_time_s >= start - 1 &&
                            c.first_time_s <= start + s.v[ses::elapsed] / 1000.0 + 1) {
                            owner = si;
                            break;
                        }
                    }
                }
            }
            if (owner) {
                c.session = owner;
                Session& s = m_sessions[*owner];
                if (!s.builder || m_chunks[*s.builder].samples < c.samples) {
                    s.builder = ci;
                }
            }
        }
        for (std::size_t si = 0; si < m_sessions.size(); ++si) {
            std::uint64_t records = 0;
            for (const Chunk& c : m_chunks) {
                if (c.session == si) {
                    records += c.samples;
                }
            }
            Chunk* chunk = m_sessions[si].builder ? &m_chunks[*m_sessions[si].builder] : nullptr;
            std::optional<StreamFeatures> stretch;
            if (split[si] && (chunk == nullptr || chunk->samples < split[si]->samples)) {
                stretch = split[si];
                chunk = nullptr;
            }
            ActivityFeatures a = make_activity(si, chunk, records + split_records[si], stretch);
            if (m_sessions.size() > 1) {
                a.set(Flag::multisport);
            }
            result.activities.push_back(std::move(a));
        }
    }
    result.warnings = std::move(m_warnings);
    return result;
}

ActivityFeatures Decoder::make_activity(std::optional<std::size_t> session_index, Chunk* chunk,
                                        std::uint64_t records,
                                        const std::optional<StreamFeatures>& stretch) {
    ActivityFeatures a;
    a.source = m_source;
    a.format = Format::fit;
    a.flags = m_flags;
    a.records = records;
    std::optional<unsigned> sport = m_sport_msg_sport;
    std::optional<unsigned> sub = m_sport_msg_sub;
    bool relative = m_relative_time;
    if (session_index) {
        const Values& s = m_sessions[*session_index].values;
        const auto get = [&s](std::uint8_t slot, double scale) -> std::optional<double> {
            if (!s.has(slot))
                return std::nullopt;
            return s.v[slot] / scale;
        };
        if (s.has(ses::sport))
            sport = as_uint(s.v[ses::sport]);
        if (s.has(ses::sub_sport))
            sub = as_uint(s.v[ses::sub_sport]);
        if (s.has(ses::start_time)) {
            a.start_utc = static_cast<std::int64_t>(fit_time_to_unix(s.v[ses::start_time]));
            relative = relative || s.v[ses::start_time] < fit::min_absolute_time;
        }
        a.elapsed_s = get(ses::elapsed, prof::field::session::total_elapsed_time.scale);
        a.timer_s = get(ses::timer, prof::field::session::total_timer_time.scale);
        a.distance_m = get(ses::distance, prof::field::session::total_distance.scale);
        a.calories_kcal = get(ses::calories, 1);
        a.avg_hr = get(ses::avg_hr, 1);
        a.max_hr = get(ses::max_hr, 1);
        a.ascent_m = get(ses::ascent, 1);
        a.descent_m = get(ses::descent, 1);
        a.device_tss = get(ses::tss, prof::field::session::training_stress_score.scale);
        a.rpe = get(ses::rpe, prof::field::session::workout_rpe.scale);
        if (a.timer_s && a.elapsed_s && *a.timer_s > *a.elapsed_s) {
            // Timer time cannot exceed elapsed time (§1.6); sub-second excess is rounding.
            if (*a.timer_s > *a.elapsed_s + 1.0) {
                a.set(Flag::timer_clamped);
            }
            a.timer_s = a.elapsed_s;
        }
    }
    a.sport = map_sport(sport, sub);
    if (sub) {
        const std::string_view name = prof::sub_sport_name(*sub);
        a.sub_sport = name.empty() ? std::to_string(*sub) : std::string(name);
    }
    if (m_activity_timestamp && m_activity_local) {
        // A UTC offset is sane when it is a whole quarter hour within ±14 h.
        const double offset = *m_activity_local - *m_activity_timestamp;
        if (std::fmod(offset, 900.0) == 0.0 && std::fabs(offset) <= 14 * 3600.0) {
            a.utc_offset_s = static_cast<std::int32_t>(offset);
        }
    }
    if (chunk != nullptr || stretch) {
        const StreamFeatures stream = stretch ? *stretch : chunk->builder.finish();
        if (a.records == 0) {
            a.records = stream.samples;
        }
        apply_stream_features(a, stream);
    } else {
        apply_stream_features(a, StreamFeatures{});
        a.flags &= ~(flag_bit(Flag::no_heart_rate) | flag_bit(Flag::no_altitude) |
                     flag_bit(Flag::no_position) | flag_bit(Flag::no_timestamps));
    }
    if (relative) {
        a.set(Flag::relative_time);
    }
    return a;
}

Decoder::Stop Decoder::decode_part(std::uint64_t data_end) {
    while (m_in.offset() < data_end) {
        const std::uint64_t at = m_in.offset();
        if (!m_in.ensure(1)) {
            problem(at, "expected a record header (data section ends at byte " +
                            std::to_string(data_end) + "), found the end of the input");
            return Stop::truncated;
        }
        const std::uint8_t header = m_in.data()[0];
        if ((header & 0xC0) == 0x40) {
            Stop stop = Stop::ok;
            if (!read_definition(header, data_end, stop)) {
                return stop;
            }
            continue;
        }
        const bool compressed = (header & 0x80) != 0;
        const unsigned local = compressed ? (header >> 5) & 0x03U : header & 0x0FU;
        const Plan& plan = m_plans[local];
        if (!plan.defined) {
            problem(at, "record header " + hex2(header) + " uses local message type " +
                            std::to_string(local) + ", which has no definition");
            return Stop::desync;
        }
        const std::size_t total = 1 + static_cast<std::size_t>(plan.size);
        if (at + total > data_end) {
            problem(at, "message of " + std::to_string(total) +
                            " bytes overruns the data section, which ends at byte " +
                            std::to_string(data_end));
            return Stop::overrun;
        }
        if (!m_in.ensure(total)) {
            problem(at, "expected a message of " + std::to_string(total) +
                            " bytes, found the end of the input after " +
                            std::to_string(m_in.available()));
            return Stop::truncated;
        }
        if (plan.fast_record) {
            on_record_fast(plan, m_in.data() + 1, compressed,
                           static_cast<std::uint8_t>(header & 0x1F));
        } else if (plan.msg != Msg::other || plan.n_ops != 0) {
            decode(plan, m_in.data() + 1, m_values);
            on_message(plan, compressed, static_cast<std::uint8_t>(header & 0x1F));
        }
        m_in.consume(total);
    }
    return Stop::ok;
}

bool Decoder::read_definition(std::uint8_t header, std::uint64_t data_end, Stop& stop) {
    const std::uint64_t at = m_in.offset();
    const bool has_dev = (header & 0x20) != 0;
    if (!m_in.ensure(6)) {
        problem(at, "expected a definition message, found the end of the input");
        stop = Stop::truncated;
        return false;
    }
    const std::uint8_t* p = m_in.data();
    const std::uint8_t arch = p[2];
    if (arch > 1) {
        problem(at + 2, "definition architecture byte " + hex2(arch) +
                            " is neither 0 (little-endian) nor 1 (big-endian)");
        stop = Stop::desync;
        return false;
    }
    const bool big = arch == 1;
    const auto global = static_cast<std::uint16_t>(big ? (p[3] << 8) | p[4] : p[3] | (p[4] << 8));
    const std::size_t n_fields = p[5];
    std::size_t total = 6 + 3 * n_fields;
    if (!m_in.ensure(total + (has_dev ? 1 : 0))) {
        problem(at, "expected a definition message of " + std::to_string(total) +
                        " bytes, found the end of the input");
        stop = Stop::truncated;
        return false;
    }
    std::size_t n_dev = 0;
    if (has_dev) {
        n_dev = m_in.data()[total];
        total += 1 + 3 * n_dev;
        if (!m_in.ensure(total)) {
            problem(at, "expected a definition message of " + std::to_string(total) +
                            " bytes, found the end of the input");
            stop = Stop::truncated;
            return false;
        }
    }
    if (at + total > data_end) {
        problem(at, "definition message of " + std::to_string(total) +
                        " bytes overruns the data section, which ends at byte " +
                        std::to_string(data_end));
        stop = Stop::overrun;
        return false;
    }
    p = m_in.data();
    Plan& plan = m_plans[header & 0x0F];
    plan = Plan{};
    plan.defined = true;
    plan.big_endian = big;
    plan.global = global;
    plan.msg = message_kind(global);
    std::uint32_t offset = 0;
    for (std::size_t i = 0; i < n_fields; ++i) {
        const std::uint8_t num = p[6 + 3 * i];
        const std::uint8_t size = p[7 + 3 * i];
        const std::uint8_t type = p[8 + 3 * i];
        const int slot = slot_of(plan.msg, num);
        if (slot >= 0 && offset <= 0xFFFF) {
            std::optional<Kind> kind;
            if (plan.msg == Msg::record && slot == rec::speed_distance) {
                if (size == 3)
                    kind = Kind::speed_distance;
            } else {
                kind = kind_of(type, size);
            }
            if (kind) {
                plan.add(FieldOp{static_cast<std::uint16_t>(offset), *kind,
                                 static_cast<std::uint8_t>(slot), type});
            }
        }
        offset += size;
    }
    // Developer fields are skipped by their declared size, whether or not a
    // field_description names them (§1.7).
    for (std::size_t i = 0; i < n_dev; ++i) {
        offset += p[6 + 3 * n_fields + 1 + 3 * i + 1];
    }
    plan.size = offset;
    plan_fast_record(plan);
    m_in.consume(total);
    return true;
}

void Decoder::on_message(const Plan& plan, bool compressed, std::uint8_t time_offset) {
    Values& v = m_values;
    if (v.has(slot_timestamp) && !valid_time(v.v[slot_timestamp])) {
        v.present &= ~(1U << slot_timestamp);
    }
    if (compressed) {
        // §1.3: the 5-bit offset rolls over against the last full timestamp.
        if (m_last_timestamp) {
            const std::uint32_t last = *m_last_timestamp;
            std::uint32_t ts = (last & ~0x1FU) + time_offset;
            if (time_offset < (last & 0x1FU)) {
                ts += 0x20;
            }
            m_last_timestamp = ts;
            v.v[slot_timestamp] = ts;
            v.present |= 1U << slot_timestamp;
        }
    } else if (v.has(slot_timestamp)) {
        m_last_timestamp = static_cast<std::uint32_t>(v.v[slot_timestamp]);
    }
    switch (plan.msg) {
    case Msg::record:
        on_record(v);
        break;
    case Msg::session:
        on_session(v);
        break;
    case Msg::event:
        on_event(v);
        break;
    case Msg::file_id:
        if (v.has(fid::type)) {
            const unsigned type = as_uint(v.v[fid::type]);
            if (!m_first_file_type)
                m_first_file_type = type;
            m_activity_part = m_activity_part || type == prof::value::file::activity;
        }
        break;
    case Msg::activity:
        if (v.has(slot_timestamp) && v.has(act::local_timestamp) &&
            valid_time(v.v[act::local_timestamp])) {
            m_activity_timestamp = v.v[slot_timestamp];
            m_activity_local = v.v[act::local_timestamp];
        }
        break;
    case Msg::sport:
        if (v.has(spt::sport))
            m_sport_msg_sport = as_uint(v.v[spt::sport]);
        if (v.has(spt::sub_sport))
            m_sport_msg_sub = as_uint(v.v[spt::sub_sport]);
        break;
    case Msg::other:
        break;
    }
}

Chunk& Decoder::target_for(double time_s) {
    if (!m_sessions.empty() && !std::isnan(time_s)) {
        for (std::size_t si = 0; si < m_sessions.size(); ++si) {
            Session& s = m_sessions[si];
            const Values& sv = s.values;
            if (!sv.has(ses::start_time) || !sv.has(ses::elapsed)) {
                continue;
            }
            const double start = fit_time_to_unix(sv.v[ses::start_time]);
            if (time_s >= start && time_s <= start + sv.v[ses::elapsed] / 1000.0) {
                if (!s.builder) {
                    s.builder = m_chunks.size();
                    m_chunks.emplace_back();
                    m_chunks.back().session = si;
                    m_chunks.back().first_time_s = time_s;
                }
                return m_chunks[*s.builder];
            }
        }
    }
    if (!m_open_chunk) {
        m_open_chunk = m_chunks.size();
        m_chunks.emplace_back();
        m_chunks.back().first_time_s = time_s;
    }
    return m_chunks[*m_open_chunk];
}

void Decoder::on_record(const Values& v) {
    ++m_records;
    Sample s;
    if (v.has(slot_timestamp)) {
        const double raw = v.v[slot_timestamp];
        if (raw < fit::min_absolute_time) {
            m_relative_time = true;
        }
        s.time_s = fit_time_to_unix(raw);
    }
    if (v.has(rec::lat) && v.has(rec::lon)) {
        constexpr double semicircle_deg = 180.0 / 2147483648.0;
        s.lat_deg = v.v[rec::lat] * semicircle_deg;
        s.lon_deg = v.v[rec::lon] * semicircle_deg;
    }
    namespace f = prof::field::record;
    if (v.has(rec::enhanced_altitude)) {
        s.altitude_m =
            v.v[rec::enhanced_altitude] / f::enhanced_altitude.scale - f::enhanced_altitude.offset;
    } else if (v.has(rec::altitude)) {
        s.altitude_m = v.v[rec::altitude] / f::altitude.scale - f::altitude.offset;
    }
    if (v.has(rec::enhanced_speed)) {
        s.speed_mps = v.v[rec::enhanced_speed] / f::enhanced_speed.scale;
    } else if (v.has(rec::speed)) {
        s.speed_mps = v.v[rec::speed] / f::speed.scale;
    }
    if (v.has(rec::distance)) {
        s.distance_m = v.v[rec::distance] / f::distance.scale;
    } else if (v.has(rec::speed_distance)) {
        const auto packed = as_uint(v.v[rec::speed_distance]);
        const std::uint32_t rolling = packed >> 12; // 1/16 m, wraps at 4096
        if (m_last_rolling_16m) {
            m_speed_distance_m +=
                static_cast<double>((rolling - *m_last_rolling_16m) & 0xFFFU) / 16.0;
        }
        m_last_rolling_16m = rolling;
        s.distance_m = m_speed_distance_m;
        if (std::isnan(s.speed_mps)) {
            s.speed_mps = static_cast<double>(packed & 0xFFFU) / 100.0;
        }
    }
    if (v.has(rec::heart_rate)) {
        s.heart_rate = v.v[rec::heart_rate];
    }
    feed(s);
}

// The same as decode() + on_message() + on_record() for a plan with
// fast_record set, without the detour through Values: a record's fields go
// from the message bytes to the Sample, each checked against its sentinel.
// Records are nearly all of a file, and the detour was half the decode cost.
void Decoder::on_record_fast(const Plan& plan, const std::uint8_t* body, bool compressed,
                             std::uint8_t time_offset) {
    const std::uint32_t mask = plan.fast_mask;
    const auto has = [mask](std::uint8_t slot) { return ((mask >> slot) & 1U) != 0; };
    const auto at = [&plan, body](std::uint8_t slot) { return body + plan.fast_offset[slot]; };

    // A uint32 timestamp is always a valid date_time (see on_message).
    std::optional<std::uint32_t> ts;
    if (has(slot_timestamp)) {
        const std::uint32_t x = load32(at(slot_timestamp), false);
        if (x != 0xFFFFFFFFU) {
            ts = x;
        }
    }
    if (compressed) {
        if (m_last_timestamp) {
            const std::uint32_t last = *m_last_timestamp;
            std::uint32_t t = (last & ~0x1FU) + time_offset;
            if (time_offset < (last & 0x1FU)) {
                t += 0x20;
            }
            m_last_timestamp = t;
            ts = t;
        }
    } else if (ts) {
        m_last_timestamp = *ts;
    }

    ++m_records;
    Sample s;
    if (ts) {
        const double raw = *ts;
        if (raw < fit::min_absolute_time) {
            m_relative_time = true;
        }
        s.time_s = fit_time_to_unix(raw);
    }
    if (has(rec::lat) && has(rec::lon)) {
        const std::uint32_t lat = load32(at(rec::lat), false);
        const std::uint32_t lon = load32(at(rec::lon), false);
        if (lat != 0x7FFFFFFFU && lon != 0x7FFFFFFFU) {
            constexpr double semicircle_deg = 180.0 / 2147483648.0;
            s.lat_deg = static_cast<double>(static_cast<std::int32_t>(lat)) * semicircle_deg;
            s.lon_deg = static_cast<double>(static_cast<std::int32_t>(lon)) * semicircle_deg;
        }
    }
    namespace f = prof::field::record;
    bool altitude_set = false;
    if (has(rec::enhanced_altitude)) {
        const std::uint32_t x = load32(at(rec::enhanced_altitude), false);
        if (x != 0xFFFFFFFFU) {
            s.altitude_m =
                static_cast<double>(x) / f::enhanced_altitude.scale - f::enhanced_altitude.offset;
            altitude_set = true;
        }
    }
    if (!altitude_set && has(rec::altitude)) {
        const std::uint16_t x = load16(at(rec::altitude), false);
        if (x != 0xFFFF) {
            s.altitude_m = static_cast<double>(x) / f::altitude.scale - f::altitude.offset;
        }
    }
    bool speed_set = false;
    if (has(rec::enhanced_speed)) {
        const std::uint32_t x = load32(at(rec::enhanced_speed), false);
        if (x != 0xFFFFFFFFU) {
            s.speed_mps = static_cast<double>(x) / f::enhanced_speed.scale;
            speed_set = true;
        }
    }
    if (!speed_set && has(rec::speed)) {
        const std::uint16_t x = load16(at(rec::speed), false);
        if (x != 0xFFFF) {
            s.speed_mps = static_cast<double>(x) / f::speed.scale;
        }
    }
    if (has(rec::distance)) {
        const std::uint32_t x = load32(at(rec::distance), false);
        if (x != 0xFFFFFFFFU) {
            s.distance_m = static_cast<double>(x) / f::distance.scale;
        }
    }
    if (has(rec::heart_rate)) {
        const std::uint8_t x = *at(rec::heart_rate);
        if (x != 0xFF) {
            s.heart_rate = x;
        }
    }
    feed(s);
}

std::vector<std::optional<StreamFeatures>> Decoder::split_by_session(Chunk& chunk) {
    chunk.checkpoints.push_back(chunk.builder.final_checkpoint());
    const auto& cps = chunk.checkpoints;
    // The session whose time range holds the first time of each stretch.
    std::vector<std::optional<std::size_t>> owner(cps.size());
    std::size_t owned = 0;
    std::vector<bool> used(m_sessions.size(), false);
    for (std::size_t k = 0; k < cps.size(); ++k) {
        if (!cps[k].first_time_s) {
            continue;
        }
        for (std::size_t si = 0; si < m_sessions.size(); ++si) {
            const Values& v = m_sessions[si].values;
            if (v.has(ses::start_time) && v.has(ses::elapsed)) {
                const double start = fit_time_to_unix(v.v[ses::start_time]);
                const double end = start + v.v[ses::elapsed] / 1000.0;
                if (*cps[k].first_time_s >= start - 1 && *cps[k].first_time_s <= end + 1) {
                    owner[k] = si;
                    owned += used[si] ? 0 : 1;
                    used[si] = true;
                    break;
                }
            }
        }
    }
    std::vector<std::optional<StreamFeatures>> parts;
    if (owned < 2) {
        return parts; // one session (or none) covers these records: the whole chunk is its
    }
    parts.resize(m_sessions.size());
    for (std::size_t k = 0; k < cps.size();) {
        std::size_t end = k + 1;
        while (end < cps.size() && owner[end] == owner[k]) {
            ++end;
        }
        if (owner[k]) {
            StreamFeatures part = FeatureBuilder::between(
                k > 0 ? &cps[k - 1] : nullptr,
                std::span<const FeatureCheckpoint>(cps.data() + k, end - k));
            auto& slot = parts[*owner[k]];
            if (!slot || part.samples > slot->samples) {
                slot = part; // a session's longest run of minutes
            }
        }
        k = end;
    }
    return parts;
}

void Decoder::feed(const Sample& s) {
    Chunk& c = target_for(s.time_s);
    if (!c.session && !std::isnan(s.time_s)) {
        if (std::isnan(c.next_checkpoint_s)) {
            c.next_checkpoint_s = s.time_s + c.checkpoint_every_s;
        } else if (s.time_s >= c.next_checkpoint_s) {
            // The samples before this one end a stretch.
            if (c.checkpoints.size() == max_checkpoints) {
                std::size_t kept = 0;
                for (std::size_t k = 1; k < c.checkpoints.size(); k += 2) {
                    FeatureBuilder::fold(c.checkpoints[k - 1], c.checkpoints[k]);
                    c.checkpoints[kept++] = c.checkpoints[k];
                }
                c.checkpoints.resize(kept);
                c.checkpoint_every_s *= 2;
            }
            c.checkpoints.push_back(c.builder.checkpoint());
            c.next_checkpoint_s = s.time_s + c.checkpoint_every_s;
        }
    }
    if (m_segment_pending) {
        c.builder.begin_segment();
        m_segment_pending = false;
    }
    if (c.samples == 0 && std::isnan(c.first_time_s)) {
        c.first_time_s = s.time_s;
    }
    ++c.samples;
    c.builder.add(s);
}

void Decoder::on_session(const Values& v) {
    if (m_sessions.size() >= max_sessions) {
        if (!m_sessions_capped) {
            problem(m_in.offset(), "more than " + std::to_string(max_sessions) +
                                       " sessions; the rest are ignored");
            m_sessions_capped = true;
            // A loss the scan table shows on every activity of the file,
            // not a warning seen only with --verbose.
            m_flags |= flag_bit(Flag::sessions_dropped);
        }
        return;
    }
    m_sessions.push_back(Session{v, std::nullopt});
    Values& stored = m_sessions.back().values;
    if (stored.has(ses::start_time) && !valid_time(stored.v[ses::start_time])) {
        stored.present &= ~(1U << ses::start_time);
    }
    // Records after a session message belong to a later one (or to no session).
    m_open_chunk.reset();
}

void Decoder::on_event(const Values& v) {
    if (!v.has(evt::event) || !v.has(evt::event_type)) {
        return;
    }
    namespace e = prof::value::event;
    namespace et = prof::value::event_type;
    const auto event = as_uint(v.v[evt::event]);
    const auto type = as_uint(v.v[evt::event_type]);
    if (event != e::timer) {
        return;
    }
    const bool stop = type == et::stop || type == et::stop_all || type == et::stop_disable ||
                      type == et::stop_disable_all;
    const std::optional<double> at =
        v.has(slot_timestamp) ? std::optional<double>(v.v[slot_timestamp]) : std::nullopt;
    if (stop) {
        m_segment_pending = true;
        if (m_timer_since && at && *at >= *m_timer_since) {
            m_timer_s = m_timer_s.value_or(0) + (*at - *m_timer_since);
        }
        m_timer_since.reset();
    } else if (type == et::start && at && !m_timer_since) {
        m_timer_since = at;
        m_timer_s = m_timer_s.value_or(0);
    }
}

class FitReader final : public Reader {
public:
    std::string_view name() const noexcept override { return "fit"; }
    std::string_view description() const noexcept override {
        return "Garmin FIT activity files (protocol 1.0/2.0, chained files, developer fields)";
    }
    std::string_view extensions() const noexcept override { return ".fit"; }
    Format format() const noexcept override { return Format::fit; }

    int identify(std::span<const std::uint8_t> head,
                 std::string_view /*file_name*/) const noexcept override {
        if (head.size() >= 12 && (head[0] == 12 || head[0] == 14) &&
            std::memcmp(head.data() + 8, ".FIT", 4) == 0) {
            return 100;
        }
        return 0;
    }

    ReadResult read(ByteStream& in, const std::string& source) const override {
        Decoder decoder(in, source);
        return decoder.run();
    }

    /// Header, CRCs and structure of every chained part (fit_validate.hpp).
    std::optional<ValidationReport> validate(const std::string& path,
                                             std::span<const std::uint8_t> /*head*/,
                                             const std::string& /*schemas_dir*/) const override {
        ValidationReport report;
        report.checked_against = "FIT protocol: header, header and file CRC, record structure";
        FileStream stream(path);
        for (std::string& problem : validate_fit(stream, path)) {
            // validate_fit names the file first; `validate` prints it itself.
            const std::string prefix = path + ": ";
            if (problem.rfind(prefix, 0) == 0) {
                problem.erase(0, prefix.size());
            }
            report.problems.push_back({std::nullopt, std::nullopt, std::move(problem)});
        }
        return report;
    }
};

} // namespace

std::unique_ptr<Reader> make_fit_reader() {
    return std::make_unique<FitReader>();
}

} // namespace ultrastrength
