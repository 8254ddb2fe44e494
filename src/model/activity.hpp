// ActivityFeatures: what the analysis needs from one recorded activity,
// computed in one streaming pass by a reader and independent of the
// athlete's settings, so it can be cached (see DESIGN.md, "Contracts").
#ifndef ULTRASTRENGTH_MODEL_ACTIVITY_HPP
#define ULTRASTRENGTH_MODEL_ACTIVITY_HPP

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

enum class Sport : std::uint8_t {
    running,
    trail_running,
    treadmill_running,
    hiking,
    walking,
    cycling,
    swimming,
    strength,
    other,
};

std::string_view to_string(Sport sport) noexcept;
std::optional<Sport> sport_from_string(std::string_view name) noexcept;
bool is_running(Sport sport) noexcept;

/// Data-quality and provenance flags of one activity. Each flag names a
/// metric that should be trusted less, or a repair the reader made.
enum class Flag : std::uint32_t {
    crc_mismatch = 1U << 0,        ///< FIT file CRC did not match; data kept
    header_crc_mismatch = 1U << 1, ///< FIT header CRC did not match; data kept
    truncated = 1U << 2,           ///< file ended early; whole records kept
    trailing_garbage = 1U << 3,    ///< bytes after the last valid part ignored
    no_summary = 1U << 4,          ///< no session/lap summary; values from records
    relative_time = 1U << 5,       ///< timestamps are device-relative, not dates
    no_timestamps = 1U << 6,       ///< too few timed points: distance/ascent only
    no_heart_rate = 1U << 7,
    no_altitude = 1U << 8,
    no_position = 1U << 9,
    timer_clamped = 1U << 10,      ///< timer time exceeded elapsed time; clamped
    summary_mismatch = 1U << 11,   ///< summary disagrees with the points
    bad_timestamp = 1U << 12,      ///< at least one bogus timestamp ignored
    leading_whitespace = 1U << 13, ///< BOM/whitespace before the XML declaration
    undeclared_prefix = 1U << 14,  ///< XML used an undeclared namespace prefix
    gps_jumps = 1U << 15,          ///< implausible position jumps dropped
    multisport = 1U << 16,         ///< one leg of a multisport activity
    desynchronized = 1U << 17,     ///< FIT record stream lost sync; rest dropped
    sessions_dropped = 1U << 18,   ///< FIT file with more sessions than kept; the rest dropped
};

constexpr std::uint32_t flag_bit(Flag f) noexcept {
    return static_cast<std::uint32_t>(f);
}
std::string_view to_string(Flag flag) noexcept;
/// Names of every flag set in `bits`, in the order of the enum.
std::vector<std::string_view> flag_names(std::uint32_t bits);

/// Which reader made an activity: the reader's own value, stored as is in the
/// feature cache. The built-in readers' values are named here; the readers'
/// registry names every value (converters/reader.hpp: format_name) and a
/// reader added elsewhere takes an unused value of its own, so nothing here
/// lists formats. The order is a preference: when two files hold one activity
/// (converters/dedupe.hpp), the copy of the lower value is kept (FIT's
/// records are the richest), and a value above these ranks after them.
enum class Format : std::uint8_t { fit, tcx, gpx };

/// Seconds spent at each heart rate, index = bpm (0-255).
using HeartRateHistogram = std::array<std::uint32_t, 256>;

struct ActivityFeatures {
    // Provenance
    std::string source; ///< path; `archive.zip!member` inside archives
    Format format = Format::fit;
    std::uint64_t content_hash = 0; ///< hash of the input bytes (see util/hash.hpp)
    std::string name;               ///< activity name when a file or export carries one

    // What and when
    Sport sport = Sport::other;
    std::string sub_sport; ///< reader's sub-sport name ("trail", "treadmill", ...); empty if none
    std::optional<std::int64_t> start_utc;    ///< Unix seconds, UTC
    std::optional<std::int32_t> utc_offset_s; ///< local wall clock minus UTC, when the file says

    // Durations, s
    std::optional<double> elapsed_s;
    std::optional<double> timer_s;
    std::optional<double> moving_s;

    // Distance and elevation, m
    std::optional<double> distance_m;
    std::optional<double> ascent_m; ///< 3 m hysteresis from the altitude stream, or the device's
    std::optional<double> descent_m;

    // Device summary values when present
    std::optional<double> avg_hr; ///< bpm
    std::optional<double> max_hr; ///< bpm
    std::optional<double> rpe;    ///< 1-10
    std::optional<double> device_tss;
    std::optional<double> calories_kcal;

    /// Seconds at each bpm: any TRIMP can be computed later with any HRrest/HRmax.
    HeartRateHistogram hr_histogram{};
    bool has_hr_histogram = false;

    std::optional<double> ngp_speed_mps; ///< normalized grade-adjusted speed (30 s, 4th-power mean)
    std::optional<double> best60_gap_speed_mps; ///< best 60-min grade-adjusted speed

    std::uint64_t records = 0; ///< samples read (FIT records, trackpoints)
    std::uint32_t flags = 0;   ///< Flag bits

    bool has(Flag f) const noexcept { return (flags & flag_bit(f)) != 0; }
    void set(Flag f) noexcept { flags |= flag_bit(f); }
};

} // namespace ultrastrength

#endif
