// FeatureBuilder: the streaming half of every reader. A reader feeds the
// samples of one activity in time order (FIT records, TCX trackpoints, GPX
// trkpts); the builder derives what the analysis needs without keeping the
// stream: moving time, distance, ascent/descent with hysteresis, the
// heart-rate histogram, normalized grade-adjusted speed and the best
// 60-minute grade-adjusted speed. Memory is bounded (a 60-minute window).
#ifndef ULTRASTRENGTH_CONVERTERS_FEATURES_HPP
#define ULTRASTRENGTH_CONVERTERS_FEATURES_HPP

#include "model/activity.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <span>

namespace ultrastrength {

/// One sample. Every field may be missing (NaN).
struct Sample {
    static constexpr double none = std::numeric_limits<double>::quiet_NaN();
    double time_s = none; ///< Unix seconds (fraction allowed)
    double lat_deg = none;
    double lon_deg = none;
    double altitude_m = none;
    double distance_m = none; ///< cumulative distance as the device recorded it
    double speed_mps = none;
    double heart_rate = none; ///< bpm
};

/// Settings of the derivations, with the spec's defaults (analysis.md §1.2, §2.2).
struct FeatureSettings {
    double ascent_hysteresis_m = 3.0; ///< GoldenCheetah/Runalyze default for barometric altitude
    double moving_speed_mps = 0.3;    ///< moving if horizontal speed >= this ...
    double moving_climb_mps = 0.05;   ///< ... or vertical speed >= this (power-hiking)
    double pause_gap_s = 25.0;        ///< gaps longer than this with < 10 m displacement are pauses
    double max_running_speed_mps = 12.0; ///< position jumps faster than this are GPS errors
                                         ///< (input-formats.md §3.1; readers raise it for cycling)
    double grade_distance_m =
        25.0; ///< horizontal distance a grade is measured over (§1.2: 20-30 m)
};

/// What the stream says, before the reader merges it with the file's summary.
struct StreamFeatures {
    std::optional<double> first_time_s;
    std::optional<double> last_time_s;
    std::uint64_t samples = 0;
    std::uint64_t timed_samples = 0;
    std::optional<double> moving_s;
    std::optional<double> device_distance_m; ///< largest cumulative distance seen
    std::optional<double>
        haversine_m; ///< over positioned steps without device distance, per segment
    std::optional<double> ascent_m;
    std::optional<double> descent_m;
    std::optional<double> avg_hr; ///< time-weighted over samples with HR
    std::optional<double> max_hr;
    HeartRateHistogram hr_histogram{};
    bool has_hr = false;
    std::optional<double> ngp_speed_mps;
    std::optional<double> best60_gap_speed_mps;
    bool has_altitude = false;
    bool has_position = false;
    bool gps_jumps = false;
    bool bad_timestamps = false; ///< samples whose time went backwards
};

/// A builder's running totals at one moment (FeatureBuilder::checkpoint()):
/// the features of the stretch between two checkpoints are had from them
/// without keeping the samples. The FIT reader takes one every 15 s while it
/// does not yet know the sessions, for files that write every session after
/// all the records (input-formats.md §1.8).
struct FeatureCheckpoint {
    // Totals since the builder started.
    std::uint64_t samples = 0;
    std::uint64_t timed_samples = 0;
    std::uint64_t altitude_samples = 0;
    std::uint64_t position_samples = 0;
    std::uint64_t steps = 0;
    std::uint64_t haversine_steps = 0;
    double moving_s = 0;
    double ascent_m = 0;
    double descent_m = 0;
    double haversine_m = 0;
    double hr_weighted = 0;
    double hr_seconds = 0;
    double hr_plain_sum = 0;
    std::uint64_t hr_count = 0;
    std::array<float, 256> hr_seconds_at{}; ///< float: 1 KiB, to 0.01 s in a day
    double ngp_pow4_sum = 0;
    std::uint64_t ngp_count = 0;
    // Of the stretch since the previous checkpoint.
    std::optional<double> first_time_s;
    std::optional<double> last_time_s;
    double hr_max = 0;
    double best60_sum = -1; ///< best 60-min window ending in the stretch
    double device_distance_m = std::numeric_limits<double>::quiet_NaN();
    bool gps_jumps = false;
    bool bad_timestamps = false;
};

class FeatureBuilder {
public:
    explicit FeatureBuilder(FeatureSettings settings = {});
    ~FeatureBuilder();
    FeatureBuilder(FeatureBuilder&&) noexcept;
    FeatureBuilder& operator=(FeatureBuilder&&) noexcept;

    /// Starts a new segment (GPX trkseg, TCX track, FIT timer restart): no
    /// distance is counted across the gap between segments.
    void begin_segment() noexcept;
    void add(const Sample& sample);
    StreamFeatures finish();

    /// The totals now; the next checkpoint's stretch starts here.
    FeatureCheckpoint checkpoint();
    /// The totals at the end (the last bins made final, as finish() does);
    /// no sample may be added after it.
    FeatureCheckpoint final_checkpoint();
    /// The features of the samples after `before` (nullptr: from the first
    /// sample) up to the last of `stretch`, the checkpoints taken after
    /// `before` in order. Sums are exact; the best 60 minutes is the best
    /// window ending in the stretch (it may begin up to an hour before it).
    static StreamFeatures between(const FeatureCheckpoint* before,
                                  std::span<const FeatureCheckpoint> stretch);
    /// Folds the stretch of `earlier` into `later`, its next checkpoint (to
    /// keep fewer checkpoints: `later` then covers both stretches).
    static void fold(const FeatureCheckpoint& earlier, FeatureCheckpoint& later) noexcept;

    /// Great-circle distance on a sphere of the mean Earth radius (6371008.8 m).
    static double haversine_m(double lat1, double lon1, double lat2, double lon2) noexcept;
    /// Minetti et al. 2002 energy cost of running at grade `g` (J/kg/m), g clamped to ±0.45.
    static double minetti_cost(double grade) noexcept;

private:
    struct Impl;
    // Behind a pointer so the readers do not compile the window logic; the
    // builder is made once per activity, so one allocation does not matter.
    std::unique_ptr<Impl> m_impl;
};

/// Fills the stream-derived fields of `activity` that the file's summary did
/// not set, and sets the matching quality flags. The reader calls this once
/// per activity after its own summary values are in place.
void apply_stream_features(ActivityFeatures& activity, const StreamFeatures& stream);

} // namespace ultrastrength

#endif
