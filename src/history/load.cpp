#include "history/load.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace ultrastrength {

namespace {
constexpr std::array<std::string_view, 3> sex_names = {"unknown", "male", "female"};
constexpr std::array<std::string_view, 5> rung_names = {"gap", "hr", "rpe", "model", "default"};
} // namespace

std::string_view to_string(Sex sex) noexcept {
    return sex_names[static_cast<std::size_t>(sex)];
}

std::optional<Sex> sex_from_string(std::string_view name) noexcept {
    if (name == "male" || name == "m" || name == "M") {
        return Sex::male;
    }
    if (name == "female" || name == "f" || name == "F") {
        return Sex::female;
    }
    if (name == "unknown") {
        return Sex::unknown;
    }
    return std::nullopt;
}

std::string_view to_string(LoadRung rung) noexcept {
    return rung_names[static_cast<std::size_t>(rung)];
}

TrimpFactors trimp_factors(Sex sex) noexcept {
    switch (sex) {
    case Sex::male:
        return {0.64, 1.92};
    case Sex::female:
        return {0.821776, 1.67};
    case Sex::unknown:
        break;
    }
    return {0.725215, 1.795};
}

double heart_rate_reserve(double bpm, double hr_rest, double hr_max) noexcept {
    if (!(hr_max > hr_rest)) {
        return 0.0;
    }
    return std::max(0.0, (bpm - hr_rest) / (hr_max - hr_rest));
}

double trimp_from_histogram(const HeartRateHistogram& histogram, double hr_rest, double hr_max,
                            Sex sex, double min_bpm, double above_max_bpm) {
    const TrimpFactors f = trimp_factors(sex);
    double trimp = 0.0;
    for (std::size_t bpm = 0; bpm < histogram.size(); ++bpm) {
        const auto b = static_cast<double>(bpm);
        if (histogram[bpm] == 0 || b < min_bpm || b > hr_max + above_max_bpm) {
            continue;
        }
        const double hrr = heart_rate_reserve(b, hr_rest, hr_max);
        trimp += static_cast<double>(histogram[bpm]) / 60.0 * hrr * f.a * std::exp(f.b * hrr);
    }
    return trimp;
}

double trimp_one_hour(double lthr, double hr_rest, double hr_max, Sex sex) noexcept {
    const TrimpFactors f = trimp_factors(sex);
    const double hrr = heart_rate_reserve(lthr, hr_rest, hr_max);
    return 60.0 * hrr * f.a * std::exp(f.b * hrr);
}

double hr_tss(double trimp, double lthr, double hr_rest, double hr_max, Sex sex) noexcept {
    const double one_hour = trimp_one_hour(lthr, hr_rest, hr_max, sex);
    return one_hour > 0 ? 100.0 * trimp / one_hour : 0.0;
}

double gap_tss(double moving_s, double ngp_speed_mps, double threshold_speed_mps) noexcept {
    if (!(threshold_speed_mps > 0) || !(moving_s > 0) || !(ngp_speed_mps > 0)) {
        return 0.0;
    }
    const double intensity = ngp_speed_mps / threshold_speed_mps;
    return 100.0 * moving_s / 3600.0 * intensity * intensity;
}

double effort_km(double distance_m, double ascent_m) noexcept {
    return distance_m / 1000.0 + ascent_m / 100.0;
}

double minetti_cost(double grade) noexcept {
    const double i = std::clamp(grade, -0.45, 0.45);
    return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6;
}

double session_rpe(double rpe, double moving_s) noexcept {
    return rpe * moving_s / 60.0;
}

double riegel_speed_60min(double speed_mps, double duration_s, double exponent) noexcept {
    if (!(duration_s > 0) || !(speed_mps > 0) || !(exponent > 0)) {
        return 0.0;
    }
    return speed_mps * std::pow(duration_s / 3600.0, (exponent - 1.0) / exponent);
}

} // namespace ultrastrength
