#include "converters/features.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace ultrastrength {

namespace {

constexpr double earth_radius_m = 6371008.8;
constexpr double deg_to_rad = 3.14159265358979323846 / 180.0;
constexpr double minetti_flat_cost = 3.6; // J/kg/m at grade 0 (Minetti et al. 2002)
constexpr double min_valid_hr = 30.0; // below: sensor noise (analysis.md §1.2 drops < 40 for TRIMP;
constexpr double max_valid_hr = 250.0;        //  the histogram keeps 30-250 so TRIMP can choose)
constexpr double max_hr_gap_s = 25.0;         // HR is carried over dropouts up to 25 s (§1.2)
constexpr double bin_s = 5.0;                 // time bins for the grade-adjusted speed series
constexpr std::size_t ngp_window_bins = 6;    // 30 s rolling mean (§1.2)
constexpr std::size_t best_window_bins = 720; // 60 min

bool valid(double v) noexcept {
    return !std::isnan(v);
}

/// Median of the last five altitudes: removes single-sample barometer and
/// GPS spikes before the hysteresis (analysis.md §2.2). A sorting network of
/// min/max pairs: no branches, no calls, on every sample of every reader.
class Median5 {
public:
    double push(double v) noexcept {
        m_values[m_next] = v;
        m_next = m_next == 4 ? 0 : m_next + 1;
        if (m_count < 5) {
            ++m_count;
            std::array<double, 5> sorted = m_values;
            std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(m_count));
            return sorted[m_count / 2];
        }
        // Devillard's median-of-five network ("Fast median search", 1998),
        // keeping only the min or the max where the other one is not used.
        double a = m_values[0], b = m_values[1], c = m_values[2], d = m_values[3], e = m_values[4];
        sort2(a, b);
        sort2(d, e);
        d = std::max(a, d);
        b = std::min(b, e);
        sort2(b, c);
        c = std::min(c, d);
        return std::max(b, c);
    }

private:
    static void sort2(double& x, double& y) noexcept {
        const double lo = std::min(x, y);
        y = std::max(x, y);
        x = lo;
    }
    std::array<double, 5> m_values{};
    std::size_t m_next = 0;
    std::size_t m_count = 0;
};

} // namespace

struct FeatureBuilder::Impl {
    FeatureSettings settings;
    StreamFeatures out;

    // Previous sample of the current segment.
    bool have_prev = false;
    double prev_time = Sample::none;
    double prev_lat = Sample::none;
    double prev_lon = Sample::none;
    double prev_dist = Sample::none;
    double prev_alt = Sample::none; // smoothed
    double prev_hr = Sample::none;
    double last_time = Sample::none; // last valid time over all segments

    // Equirectangular scale, refreshed when the latitude moves (see step_distance).
    double cos_lat = 1.0;
    double cos_lat_at = Sample::none;

    // Elevation: median filter and hysteresis reference.
    Median5 median;
    double alt_ref = Sample::none;
    double ascent = 0;
    double descent = 0;

    double moving_s = 0;
    bool any_step = false;
    double hr_weighted = 0;
    double hr_seconds = 0;
    double hr_plain_sum = 0;
    std::uint64_t hr_count = 0;
    double hr_max = 0;
    std::array<double, 256> hr_hist{};

    double haversine = 0;
    bool have_haversine = false;
    double device_distance = Sample::none;

    // Grade chunks: grade is measured over >= grade_distance_m of horizontal travel.
    bool chunk_open = false;
    double chunk_t0 = 0;
    double chunk_alt0 = Sample::none;
    double chunk_dh = 0;

    // 5-s bins of equivalent flat distance; bins before `bin_base` are final.
    std::int64_t bin_base = 0;
    bool bins_started = false;
    std::vector<double> pending; // bins from bin_base on, not yet final
    std::array<double, ngp_window_bins> ngp_ring{};
    std::size_t ngp_filled = 0;
    double ngp_sum = 0;
    double ngp_pow4_sum = 0;
    std::uint64_t ngp_count = 0;
    std::vector<double> best_ring = std::vector<double>(best_window_bins, 0.0);
    std::size_t best_filled = 0;
    double best_sum = 0;
    double best_max = -1;
    std::uint64_t final_bins = 0;

    // For checkpoints (FeatureCheckpoint): counts and the stretch since the last one.
    std::uint64_t altitude_samples = 0;
    std::uint64_t position_samples = 0;
    std::uint64_t steps = 0;
    std::uint64_t haversine_steps = 0;
    std::optional<double> stretch_first_time;
    std::optional<double> stretch_last_time;
    double stretch_hr_max = 0;
    double stretch_best_max = -1;
    double stretch_device_distance = Sample::none;
    bool stretch_gps_jumps = false;
    bool stretch_bad_timestamps = false;

    double step_distance(double lat1, double lon1, double lat2, double lon2) noexcept {
        // Equirectangular on 1-10 m steps differs from haversine by < 1e-6
        // relative, at a fraction of the cost (no trigonometry per sample).
        if (!valid(cos_lat_at) || std::fabs(lat2 - cos_lat_at) > 0.01) {
            cos_lat = std::cos(lat2 * deg_to_rad);
            cos_lat_at = lat2;
        }
        const double dlat = (lat2 - lat1) * deg_to_rad;
        const double dlon = (lon2 - lon1) * deg_to_rad * cos_lat;
        const double d = earth_radius_m * std::sqrt(dlat * dlat + dlon * dlon);
        if (d > 20000.0) {
            // Long jumps (sparse points, GPS glitches) get the exact formula.
            return haversine_m(lat1, lon1, lat2, lon2);
        }
        return d;
    }

    void finalize_bin(double eq_distance_m) {
        ++final_bins;
        // 30-s rolling mean of grade-adjusted speed, then 4th-power mean (§1.2 NGS).
        ngp_sum += eq_distance_m - ngp_ring[final_bins % ngp_window_bins];
        ngp_ring[final_bins % ngp_window_bins] = eq_distance_m;
        ngp_filled = std::min(ngp_filled + 1, ngp_window_bins);
        // Stopped bins (no distance) are left out, as a stop is not easy running.
        if (ngp_filled == ngp_window_bins && eq_distance_m > 0) {
            const double v = std::max(0.0, ngp_sum) / (bin_s * ngp_window_bins);
            const double v2 = v * v;
            ngp_pow4_sum += v2 * v2;
            ++ngp_count;
        }
        best_sum += eq_distance_m - best_ring[final_bins % best_window_bins];
        best_ring[final_bins % best_window_bins] = eq_distance_m;
        best_filled = std::min(best_filled + 1, best_window_bins);
        if (best_filled == best_window_bins) {
            best_max = std::max(best_max, best_sum);
            stretch_best_max = std::max(stretch_best_max, best_sum);
        }
    }

    /// Spreads `eq_m` of equivalent flat distance evenly over [t0, t1].
    void add_equivalent(double t0, double t1, double eq_m) {
        if (!(t1 > t0)) {
            return;
        }
        if (!bins_started) {
            bin_base = static_cast<std::int64_t>(std::floor(t0 / bin_s));
            bins_started = true;
        }
        const auto first = std::max(bin_base, static_cast<std::int64_t>(std::floor(t0 / bin_s)));
        const auto last = static_cast<std::int64_t>(std::floor(t1 / bin_s));
        const double rate = eq_m / (t1 - t0);
        if (last - bin_base >= static_cast<std::int64_t>(pending.size())) {
            // Bounded: a pause longer than a few minutes is final already.
            const auto needed = static_cast<std::size_t>(last - bin_base + 1);
            if (needed > 4 * best_window_bins) {
                flush_until(last - static_cast<std::int64_t>(best_window_bins));
            }
            pending.resize(static_cast<std::size_t>(last - bin_base + 1), 0.0);
        }
        // A long pause flushed the window above: bins before the new base are final.
        for (auto b = std::max(first, bin_base); b <= last; ++b) {
            const double lo = std::max(t0, static_cast<double>(b) * bin_s);
            const double hi = std::min(t1, static_cast<double>(b + 1) * bin_s);
            if (hi > lo) {
                pending[static_cast<std::size_t>(b - bin_base)] += rate * (hi - lo);
            }
        }
        flush_until(static_cast<std::int64_t>(std::floor(t0 / bin_s)));
    }

    /// Makes every bin before `bin` final.
    void flush_until(std::int64_t bin) {
        if (!bins_started || bin <= bin_base) {
            return;
        }
        const auto n = static_cast<std::size_t>(
            std::min<std::int64_t>(bin - bin_base, static_cast<std::int64_t>(pending.size())));
        for (std::size_t i = 0; i < n; ++i) {
            finalize_bin(pending[i]);
        }
        // Bins past the pending range that were never touched are empty (pauses).
        const auto empty = static_cast<std::uint64_t>(bin - bin_base) - n;
        for (std::uint64_t i = 0;
             i < std::min<std::uint64_t>(empty, best_window_bins + ngp_window_bins); ++i) {
            finalize_bin(0.0);
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
        bin_base = bin;
    }

    void close_chunk(double t1, double alt1) {
        if (chunk_dh > 0 && t1 > chunk_t0) {
            double grade = 0;
            if (valid(alt1) && valid(chunk_alt0)) {
                grade = (alt1 - chunk_alt0) / chunk_dh;
            }
            add_equivalent(chunk_t0, t1, chunk_dh * minetti_cost(grade) / minetti_flat_cost);
        }
        chunk_open = true;
        chunk_t0 = t1;
        chunk_alt0 = alt1;
        chunk_dh = 0;
    }
};

FeatureBuilder::FeatureBuilder(FeatureSettings settings) : m_impl(std::make_unique<Impl>()) {
    m_impl->settings = settings;
}

FeatureBuilder::~FeatureBuilder() = default;
FeatureBuilder::FeatureBuilder(FeatureBuilder&&) noexcept = default;
FeatureBuilder& FeatureBuilder::operator=(FeatureBuilder&&) noexcept = default;

void FeatureBuilder::begin_segment() noexcept {
    Impl& s = *m_impl;
    s.have_prev = false;
    s.chunk_open = false;
}

double FeatureBuilder::haversine_m(double lat1, double lon1, double lat2, double lon2) noexcept {
    const double p1 = lat1 * deg_to_rad;
    const double p2 = lat2 * deg_to_rad;
    const double dp = p2 - p1;
    const double dl = (lon2 - lon1) * deg_to_rad;
    const double a = std::sin(dp / 2) * std::sin(dp / 2) +
                     std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(a)));
}

double FeatureBuilder::minetti_cost(double grade) noexcept {
    // C(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6, valid for |i| <= 0.45
    // (Minetti et al. 2002, J Appl Physiol 93:1039; analysis.md §1.2).
    const double i = std::clamp(grade, -0.45, 0.45);
    return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6;
}

void FeatureBuilder::add(const Sample& in) {
    Impl& s = *m_impl;
    StreamFeatures& out = s.out;
    ++out.samples;

    double time = in.time_s;
    if (valid(time)) {
        if (valid(s.last_time) && time < s.last_time) {
            // Time going backwards: keep the values, not the time.
            out.bad_timestamps = true;
            s.stretch_bad_timestamps = true;
            time = Sample::none;
        } else {
            ++out.timed_samples;
            if (!out.first_time_s) {
                out.first_time_s = time;
            }
            if (!s.stretch_first_time) {
                s.stretch_first_time = time;
            }
            out.last_time_s = time;
            s.stretch_last_time = time;
            s.last_time = time;
        }
    }

    const bool has_pos = valid(in.lat_deg) && valid(in.lon_deg);
    out.has_position = out.has_position || has_pos;
    s.position_samples += has_pos ? 1 : 0;
    if (valid(in.distance_m) && !(in.distance_m <= s.device_distance)) {
        s.device_distance = in.distance_m;
    }
    if (valid(in.distance_m) && !(in.distance_m <= s.stretch_device_distance)) {
        s.stretch_device_distance = in.distance_m;
    }

    double alt = Sample::none;
    if (valid(in.altitude_m)) {
        out.has_altitude = true;
        ++s.altitude_samples;
        alt = s.median.push(in.altitude_m);
        // Elevation gain with hysteresis (analysis.md §2.2: 3 m, GoldenCheetah/Runalyze).
        if (!valid(s.alt_ref)) {
            s.alt_ref = alt;
        } else if (alt - s.alt_ref >= s.settings.ascent_hysteresis_m) {
            s.ascent += alt - s.alt_ref;
            s.alt_ref = alt;
        } else if (s.alt_ref - alt >= s.settings.ascent_hysteresis_m) {
            s.descent += s.alt_ref - alt;
            s.alt_ref = alt;
        }
    }

    double hr = Sample::none;
    // Comparisons with NaN are false: a missing value fails these tests.
    if (in.heart_rate >= min_valid_hr && in.heart_rate <= max_valid_hr) {
        hr = in.heart_rate;
        out.has_hr = true;
        s.hr_max = std::max(s.hr_max, hr);
        s.stretch_hr_max = std::max(s.stretch_hr_max, hr);
        s.hr_plain_sum += hr;
        ++s.hr_count;
    }

    if (s.have_prev) {
        // Horizontal step: device distance when both samples have it, else positions.
        double dh = Sample::none;
        if (in.distance_m >= s.prev_dist) { // false when either is missing
            dh = in.distance_m - s.prev_dist;
        }
        // Positions are only measured where the device gave no distance: the
        // device's own distance is preferred (input-formats.md §3.1), and this
        // keeps trigonometry out of the per-record cost of FIT files.
        double dpos = Sample::none;
        if (!valid(dh) && has_pos && valid(s.prev_lat)) {
            dpos = s.step_distance(s.prev_lat, s.prev_lon, in.lat_deg, in.lon_deg);
        }
        const double dt = time - s.prev_time; // NaN when either is missing
        if (valid(dpos)) {
            // Faster than running allows, or a long step without timing.
            if ((valid(dt) && dt > 0 && dpos > 50.0 &&
                 dpos > s.settings.max_running_speed_mps * dt) ||
                (!valid(dt) && dpos > 1000.0)) {
                out.gps_jumps = true;
                s.stretch_gps_jumps = true;
                dpos = Sample::none;
            } else {
                s.haversine += dpos;
                s.have_haversine = true;
                ++s.haversine_steps;
            }
        }
        if (!valid(dh)) {
            dh = dpos;
        }

        if (dt > 0) {
            s.any_step = true;
            ++s.steps;
            // The climb is only looked at when the horizontal speed is too low.
            const auto climbing = [&] {
                const double climb =
                    (valid(alt) && valid(s.prev_alt)) ? std::fabs(alt - s.prev_alt) : 0.0;
                return climb >= s.settings.moving_climb_mps * dt;
            };
            bool moving;
            if (valid(dh)) {
                const bool pause = dt > s.settings.pause_gap_s && dh < 10.0;
                moving = !pause && (dh >= s.settings.moving_speed_mps * dt || climbing());
            } else if (valid(in.speed_mps)) {
                moving = in.speed_mps >= s.settings.moving_speed_mps;
            } else {
                // Nothing says whether the athlete moved (strength, indoor without
                // a sensor): recorded time counts unless it is a long gap.
                moving = dt <= s.settings.pause_gap_s;
            }
            if (moving) {
                s.moving_s += dt;
            }
            if (valid(s.prev_hr) && dt <= max_hr_gap_s) {
                s.hr_weighted += s.prev_hr * dt;
                s.hr_seconds += dt;
                // prev_hr >= 0, and + 0.5 is the rounding every cached histogram was made with.
                // NOLINTNEXTLINE(bugprone-incorrect-roundings)
                s.hr_hist[static_cast<std::size_t>(s.prev_hr + 0.5)] += dt;
            }
            // Grade-adjusted distance in chunks of >= grade_distance_m (§1.2).
            if (valid(dh)) {
                if (!s.chunk_open) {
                    s.chunk_open = true;
                    s.chunk_t0 = s.prev_time;
                    s.chunk_alt0 = s.prev_alt;
                    s.chunk_dh = 0;
                }
                s.chunk_dh += dh;
                if (s.chunk_dh >= s.settings.grade_distance_m || dt > s.settings.pause_gap_s) {
                    s.close_chunk(time, alt);
                }
            }
        }
    }

    if (valid(time)) {
        s.have_prev = true;
        s.prev_time = time;
    } else if (!s.have_prev) {
        s.have_prev = true;
        s.prev_time = Sample::none;
    }
    if (has_pos) {
        s.prev_lat = in.lat_deg;
        s.prev_lon = in.lon_deg;
    }
    s.prev_dist = in.distance_m;
    if (valid(alt)) {
        s.prev_alt = alt;
    }
    s.prev_hr = hr;
}

StreamFeatures FeatureBuilder::finish() {
    Impl& s = *m_impl;
    StreamFeatures out = s.out;
    if (s.any_step) {
        out.moving_s = s.moving_s;
    }
    if (valid(s.device_distance)) {
        out.device_distance_m = s.device_distance;
    }
    if (s.have_haversine) {
        out.haversine_m = s.haversine;
    }
    if (out.has_altitude) {
        out.ascent_m = s.ascent;
        out.descent_m = s.descent;
    }
    if (out.has_hr) {
        out.max_hr = s.hr_max;
        out.avg_hr = s.hr_seconds > 0 ? s.hr_weighted / s.hr_seconds
                                      : s.hr_plain_sum / static_cast<double>(s.hr_count);
        for (std::size_t i = 0; i < out.hr_histogram.size(); ++i) {
            out.hr_histogram[i] = static_cast<std::uint32_t>(std::lround(s.hr_hist[i]));
        }
    }
    if (s.bins_started) {
        s.flush_until(s.bin_base + static_cast<std::int64_t>(s.pending.size()));
        if (s.ngp_count > 0) {
            out.ngp_speed_mps = std::pow(s.ngp_pow4_sum / static_cast<double>(s.ngp_count), 0.25);
        }
        if (s.best_max >= 0) {
            out.best60_gap_speed_mps = s.best_max / (bin_s * best_window_bins);
        }
    }
    return out;
}

FeatureCheckpoint FeatureBuilder::checkpoint() {
    Impl& s = *m_impl;
    FeatureCheckpoint c;
    c.samples = s.out.samples;
    c.timed_samples = s.out.timed_samples;
    c.altitude_samples = s.altitude_samples;
    c.position_samples = s.position_samples;
    c.steps = s.steps;
    c.haversine_steps = s.haversine_steps;
    c.moving_s = s.moving_s;
    c.ascent_m = s.ascent;
    c.descent_m = s.descent;
    c.haversine_m = s.haversine;
    c.hr_weighted = s.hr_weighted;
    c.hr_seconds = s.hr_seconds;
    c.hr_plain_sum = s.hr_plain_sum;
    c.hr_count = s.hr_count;
    for (std::size_t i = 0; i < c.hr_seconds_at.size(); ++i) {
        c.hr_seconds_at[i] = static_cast<float>(s.hr_hist[i]);
    }
    c.ngp_pow4_sum = s.ngp_pow4_sum;
    c.ngp_count = s.ngp_count;
    c.first_time_s = s.stretch_first_time;
    c.last_time_s = s.stretch_last_time;
    c.hr_max = s.stretch_hr_max;
    c.best60_sum = s.stretch_best_max;
    c.device_distance_m = s.stretch_device_distance;
    c.gps_jumps = s.stretch_gps_jumps;
    c.bad_timestamps = s.stretch_bad_timestamps;
    s.stretch_first_time.reset();
    s.stretch_last_time.reset();
    s.stretch_hr_max = 0;
    s.stretch_best_max = -1;
    s.stretch_device_distance = Sample::none;
    s.stretch_gps_jumps = false;
    s.stretch_bad_timestamps = false;
    return c;
}

FeatureCheckpoint FeatureBuilder::final_checkpoint() {
    Impl& s = *m_impl;
    if (s.bins_started) {
        s.flush_until(s.bin_base + static_cast<std::int64_t>(s.pending.size()));
    }
    return checkpoint();
}

StreamFeatures FeatureBuilder::between(const FeatureCheckpoint* before,
                                       std::span<const FeatureCheckpoint> stretch) {
    StreamFeatures out;
    if (stretch.empty()) {
        return out;
    }
    const FeatureCheckpoint start{};
    const FeatureCheckpoint& a = before != nullptr ? *before : start;
    const FeatureCheckpoint& b = stretch.back();
    out.samples = b.samples - a.samples;
    out.timed_samples = b.timed_samples - a.timed_samples;
    double hr_max = 0;
    double best = -1;
    double device = Sample::none;
    for (const FeatureCheckpoint& c : stretch) {
        if (!out.first_time_s && c.first_time_s) {
            out.first_time_s = c.first_time_s;
        }
        if (c.last_time_s) {
            out.last_time_s = c.last_time_s;
        }
        hr_max = std::max(hr_max, c.hr_max);
        best = std::max(best, c.best60_sum);
        if (valid(c.device_distance_m) && !(c.device_distance_m <= device)) {
            device = c.device_distance_m;
        }
        out.gps_jumps = out.gps_jumps || c.gps_jumps;
        out.bad_timestamps = out.bad_timestamps || c.bad_timestamps;
    }
    out.has_altitude = b.altitude_samples > a.altitude_samples;
    out.has_position = b.position_samples > a.position_samples;
    out.has_hr = b.hr_count > a.hr_count;
    if (b.steps > a.steps) {
        out.moving_s = b.moving_s - a.moving_s;
    }
    if (valid(device)) {
        out.device_distance_m = device;
    }
    if (b.haversine_steps > a.haversine_steps) {
        out.haversine_m = b.haversine_m - a.haversine_m;
    }
    if (out.has_altitude) {
        out.ascent_m = b.ascent_m - a.ascent_m;
        out.descent_m = b.descent_m - a.descent_m;
    }
    if (out.has_hr) {
        out.max_hr = hr_max;
        const double seconds = b.hr_seconds - a.hr_seconds;
        out.avg_hr = seconds > 0 ? (b.hr_weighted - a.hr_weighted) / seconds
                                 : (b.hr_plain_sum - a.hr_plain_sum) /
                                       static_cast<double>(b.hr_count - a.hr_count);
        for (std::size_t i = 0; i < out.hr_histogram.size(); ++i) {
            out.hr_histogram[i] = static_cast<std::uint32_t>(
                std::lround(static_cast<double>(b.hr_seconds_at[i]) - a.hr_seconds_at[i]));
        }
    }
    if (b.ngp_count > a.ngp_count) {
        out.ngp_speed_mps = std::pow((b.ngp_pow4_sum - a.ngp_pow4_sum) /
                                         static_cast<double>(b.ngp_count - a.ngp_count),
                                     0.25);
    }
    if (best >= 0) {
        out.best60_gap_speed_mps = best / (bin_s * best_window_bins);
    }
    return out;
}

void FeatureBuilder::fold(const FeatureCheckpoint& earlier, FeatureCheckpoint& later) noexcept {
    if (earlier.first_time_s) {
        later.first_time_s = earlier.first_time_s;
    }
    if (!later.last_time_s) {
        later.last_time_s = earlier.last_time_s;
    }
    later.hr_max = std::max(later.hr_max, earlier.hr_max);
    later.best60_sum = std::max(later.best60_sum, earlier.best60_sum);
    if (valid(earlier.device_distance_m) &&
        !(earlier.device_distance_m <= later.device_distance_m)) {
        later.device_distance_m = earlier.device_distance_m;
    }
    later.gps_jumps = later.gps_jumps || earlier.gps_jumps;
    later.bad_timestamps = later.bad_timestamps || earlier.bad_timestamps;
}

void apply_stream_features(ActivityFeatures& a, const StreamFeatures& stream) {
    if (a.records == 0) {
        a.records = stream.samples;
    }
    if (!a.start_utc && stream.first_time_s && stream.timed_samples >= 2) {
        a.start_utc = static_cast<std::int64_t>(std::floor(*stream.first_time_s));
    }
    if (!a.elapsed_s && stream.timed_samples >= 2) {
        a.elapsed_s = *stream.last_time_s - *stream.first_time_s;
    }
    if (!a.moving_s && stream.moving_s) {
        a.moving_s = stream.moving_s;
    }
    if (!a.distance_m) {
        if (stream.device_distance_m) {
            a.distance_m = stream.device_distance_m;
        } else if (stream.haversine_m) {
            a.distance_m = stream.haversine_m;
        }
    }
    if (!a.ascent_m && stream.ascent_m) {
        a.ascent_m = stream.ascent_m;
    }
    if (!a.descent_m && stream.descent_m) {
        a.descent_m = stream.descent_m;
    }
    if (!a.avg_hr && stream.avg_hr) {
        a.avg_hr = stream.avg_hr;
    }
    if (!a.max_hr && stream.max_hr) {
        a.max_hr = stream.max_hr;
    }
    if (stream.has_hr && !a.has_hr_histogram) {
        a.hr_histogram = stream.hr_histogram;
        a.has_hr_histogram = true;
    }
    if (!a.ngp_speed_mps && stream.ngp_speed_mps) {
        a.ngp_speed_mps = stream.ngp_speed_mps;
    }
    if (!a.best60_gap_speed_mps && stream.best60_gap_speed_mps) {
        a.best60_gap_speed_mps = stream.best60_gap_speed_mps;
    }
    if (!stream.has_hr && !a.avg_hr) {
        a.set(Flag::no_heart_rate);
    }
    if (!stream.has_altitude && !a.ascent_m) {
        a.set(Flag::no_altitude);
    }
    if (!stream.has_position) {
        a.set(Flag::no_position);
    }
    if (stream.gps_jumps) {
        a.set(Flag::gps_jumps);
    }
    if (stream.bad_timestamps) {
        a.set(Flag::bad_timestamp);
    }
    if (stream.timed_samples < 2 && !a.start_utc) {
        a.set(Flag::no_timestamps);
    }
}

} // namespace ultrastrength
