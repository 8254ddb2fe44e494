// Races: the ones the athlete names (--race) and the ones found in the
// history without a date (analysis.md §3.2 "Race detection", extended:
// real races show as distance spikes, at standard distances, near the
// athlete's best pace or heart rate for their length, with unloading
// before and easy days after). Every detection carries its evidence.
#ifndef ULTRASTRENGTH_HISTORY_RACES_HPP
#define ULTRASTRENGTH_HISTORY_RACES_HPP

#include "history/history.hpp"
#include "model/plan.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// Parses `DATE[,NAME[,KM[,D+]]]`, e.g. "2026-06-27,Lavaredo,120,5800".
/// Returns nullopt and sets `error` on bad text.
std::optional<Race> parse_race(std::string_view text, std::string& error);

/// Effort-km of a race when its distance is known (km + D+/100).
std::optional<double> race_effort_km(const Race& race);

struct RaceDetectionSettings {
    double min_moving_s = 15 * 60; ///< shorter sessions are never races [choice]
    /// Standard race distances (km): 5k, 10k, half, marathon, 50 km, 50 mi, 100 km, 100 mi.
    std::vector<double> standard_km = {5.0, 10.0, 21.0975, 42.195, 50.0, 80.4672, 100.0, 160.934};
    double standard_tolerance = 0.03; ///< +-3 % (GPS and course length)
    /// Evidence weight of a standard distance: 5 km and 10 km are everyday
    /// training distances, a half marathon or longer is rarely run to the
    /// metre in training [choice].
    double short_standard_score = 0.5;  ///< 5 km
    double medium_standard_score = 1.0; ///< 10 km
    double long_standard_score = 2.0;   ///< half marathon and longer
    int min_prior_days = 28;     ///< spikes and bests need this much earlier history [choice]
    int usual_window_days = 180; ///< a distance is "usual" when ...
    double usual_share = 0.2;    ///< ... >= 20 % of runs in the window match it [choice]
    double spike_ratio = 1.25;   ///< §3.2 (i): >= 1.25 x the longest of the prior 30 days
    int spike_window_days = 30;
    /// A running day >= 2 x the longest of the prior 30 days and >= 3 h
    /// moving (24-hour and 100-mile races) weighs more than a spike [choice].
    double ultra_spike_ratio = 2.0;
    double ultra_min_moving_s = 3 * 3600;
    int season_window_days = 90;  ///< longest in 90 days: weaker distance evidence [choice]
    int best_window_days = 365;   ///< own best pace/HR over the last year
    double near_best_pace = 0.97; ///< Riegel 60-min speed >= 97 % of the year's best [choice]
    double fair_pace = 0.94;      ///< >= 94 %: weaker evidence [choice]
    /// An effort must also stand out from everyday training: Riegel speed
    /// >= 103 % of the median of the year's runs, or average HR >= 5 bpm
    /// above their median [choice].
    double above_typical_pace = 1.03;
    double above_typical_hr_bpm = 5;
    double hr_duration_band = 0.6; ///< compare HR with runs at least 60 % as long [choice]
    double hr_margin_bpm = 2;      ///< within 2 bpm of the highest such average HR [choice]
    /// ... unless >= 4 such runs in the year reached it too: a session's usual HR [choice]
    int hr_common_runs = 4;
    double form_before = -0.05; ///< §3.2 (ii): form% >= -5 % on race morning
    double shakeout_fraction =
        0.4; ///< or only runs < 40 % of the race's time in the 2 days before [choice]
    double after_load_fraction = 0.5; ///< §3.2 (iii): next 7 days' load < 50 % of 7 x CTL
    int cluster_days = 3;        ///< one race per 3 days: the strongest candidate wins [choice]
    double likely_score = 5.0;   ///< score for "race" [choice]
    double possible_score = 4.0; ///< score for "possible race" [choice]
    double full_confidence_score = 8.0; ///< confidence = score / this, capped at 1 [choice]
    /// Activity-title words that count as evidence (§3.2: "race", "ultra", "50k", "UTMB"...).
    std::vector<std::string> keywords = {"race", "marathon",  "ultra",      "utmb",
                                         "50k",  "100k",      "100 mi",     "parkrun",
                                         "half", "wettkampf", "competition"};
    double keyword_score = 3.0;
};

struct DetectedRace {
    std::size_t session = 0; ///< index into History::sessions
    std::int64_t day = 0;    ///< local day
    double score = 0;
    double confidence = 0;             ///< 0-1
    bool likely = false;               ///< false: "possible race"
    std::optional<double> standard_km; ///< the standard distance it matches
    double pace_ratio = 0;             ///< Riegel 60-min speed / the year's best before it
    std::vector<std::string> reasons;
};

std::vector<DetectedRace> detect_races(const History& history,
                                       const RaceDetectionSettings& settings = {});

} // namespace ultrastrength

#endif
