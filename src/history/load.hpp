// Per-activity training load (analysis.md §1.2) and the formulas it rests
// on. Unit everywhere: "TSS-equivalent", 100 = one hour at threshold.
#ifndef ULTRASTRENGTH_HISTORY_LOAD_HPP
#define ULTRASTRENGTH_HISTORY_LOAD_HPP

#include "model/activity.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace ultrastrength {

enum class Sex : std::uint8_t { unknown, male, female };
std::string_view to_string(Sex sex) noexcept;
std::optional<Sex> sex_from_string(std::string_view name) noexcept;

/// The rung of the §1.2 ladder that scored an activity, in priority order.
enum class LoadRung : std::uint8_t {
    gap_pace,      ///< rTSS from normalized grade-adjusted speed vs threshold speed
    heart_rate,    ///< hrTSS: TRIMP over the per-bpm histogram / TRIMP of 1 h at LTHR
    rpe,           ///< session-RPE x c
    athlete_model, ///< the athlete's own recent load per effort-km (or per hour)
    default_rate,  ///< a flat rate per moving hour
};
/// "gap", "hr", "rpe", "model", "default".
std::string_view to_string(LoadRung rung) noexcept;

/// Banister TRIMP weighting (analysis.md §1.1, Runalyze Trimp/Factor.php):
/// A = 0.64, B = 1.92 men; 0.821776, 1.67 women; 0.725215, 1.795 unknown
/// (A re-scaled so that the ranges match).
struct TrimpFactors {
    double a = 0.725215;
    double b = 1.795;
};
TrimpFactors trimp_factors(Sex sex) noexcept;

/// Heart-rate reserve fraction, clamped at 0 (Runalyze: max(0, ...)).
double heart_rate_reserve(double bpm, double hr_rest, double hr_max) noexcept;

/// TRIMP = sum over bpm of minutes x HRr x A x e^(B HRr). Samples below
/// `min_bpm` or above HRmax + `above_max_bpm` are dropped as sensor errors
/// (§1.2 rung 2 data hygiene: < 40 or > HRmax + 5).
double trimp_from_histogram(const HeartRateHistogram& histogram, double hr_rest, double hr_max,
                            Sex sex, double min_bpm = 40, double above_max_bpm = 5);

/// TRIMP of one hour at `lthr`: the hrTSS denominator (GoldenCheetah TRIMP(100)).
double trimp_one_hour(double lthr, double hr_rest, double hr_max, Sex sex) noexcept;

/// hrTSS = 100 x TRIMP / TRIMP(1 h at LTHR).
double hr_tss(double trimp, double lthr, double hr_rest, double hr_max, Sex sex) noexcept;

/// rTSS = 100 x moving hours x IF^2 with IF = NGS / v_T (TrainingPeaks rTSS
/// on normalized grade-adjusted speed, §1.2 rung 1).
double gap_tss(double moving_s, double ngp_speed_mps, double threshold_speed_mps) noexcept;

/// ITRA effort-km: km + D+(m)/100 (§1.5; unrounded here, rounding is for display).
double effort_km(double distance_m, double ascent_m) noexcept;

/// Minetti et al. 2002 energy cost of running (J/kg/m) at grade `grade`
/// (rise/run), clamped to [-0.45, +0.45], the fitted range (§1.1 GOVSS).
double minetti_cost(double grade) noexcept;

/// Foster session-RPE = RPE (CR-10) x minutes.
double session_rpe(double rpe, double moving_s) noexcept;

/// Speed over 60 minutes equivalent to `speed_mps` held for `duration_s`,
/// by Riegel's endurance model T2 = T1 (D2/D1)^1.06, i.e. speed scales with
/// duration^(-0.06/1.06). Used to estimate threshold speed (§1.2) and to
/// compare efforts of different lengths in race detection.
double riegel_speed_60min(double speed_mps, double duration_s, double exponent = 1.06) noexcept;

} // namespace ultrastrength

#endif
