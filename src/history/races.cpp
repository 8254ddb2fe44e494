#include "history/races.hpp"

#include "model/text.hpp"
#include "model/time.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace ultrastrength {

namespace {

std::optional<double> parse_number(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::string copy(text);
    char* end = nullptr;
    const double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(v) || v < 0) {
        return std::nullopt;
    }
    return v;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

/// Average moving speed: races are run evenly, while the normalized speed
/// of interval and hill sessions is inflated by their surges (4th-power mean).
double speed_of(const Session& s) {
    return s.moving_s > 0 ? s.distance_m / s.moving_s : 0.0;
}

std::string km_text(double km) {
    return format_number("%.1f km", km);
}

} // namespace

std::optional<Race> parse_race(std::string_view text, std::string& error) {
    const std::vector<std::string_view> parts = split_fields(text, ',');
    if (parts.size() > 4) {
        error = "race '" + std::string(text) + "': expected DATE[,NAME[,KM[,D+]]]";
        return std::nullopt;
    }
    Race race;
    const auto date = parse_date(parts[0]);
    if (!date) {
        error = "race '" + std::string(text) + "': date '" + std::string(parts[0]) +
                "' is not YYYY-MM-DD";
        return std::nullopt;
    }
    race.date = *date;
    if (parts.size() > 1) {
        race.name = std::string(parts[1]);
    }
    if (parts.size() > 2 && !parts[2].empty()) {
        race.distance_km = parse_number(parts[2]);
        if (!race.distance_km) {
            error = "race '" + std::string(text) + "': distance '" + std::string(parts[2]) +
                    "' is not a number of km";
            return std::nullopt;
        }
    }
    if (parts.size() > 3 && !parts[3].empty()) {
        race.ascent_m = parse_number(parts[3]);
        if (!race.ascent_m) {
            error = "race '" + std::string(text) + "': D+ '" + std::string(parts[3]) +
                    "' is not a number of metres";
            return std::nullopt;
        }
    }
    return race;
}

std::optional<double> race_effort_km(const Race& race) {
    if (!race.distance_km) {
        return std::nullopt;
    }
    return *race.distance_km + race.ascent_m.value_or(0) / 100.0;
}

namespace {

const Day* day_at(const History& h, std::int64_t day) {
    if (h.days.empty()) {
        return nullptr;
    }
    const auto i = day - h.days.front().day;
    if (i < 0 || i >= static_cast<std::int64_t>(h.days.size())) {
        return nullptr;
    }
    return &h.days[static_cast<std::size_t>(i)];
}

/// The standard race distance `km` matches, if any.
std::optional<double> standard_distance(double km, const RaceDetectionSettings& settings) {
    std::optional<double> standard;
    for (const double d : settings.standard_km) {
        if (std::abs(km - d) <= settings.standard_tolerance * d) {
            standard = d;
        }
    }
    return standard;
}

double median(std::vector<double> v) {
    if (v.empty()) {
        return 0.0;
    }
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

/// What the runs before a session say about it: the longest of 30 and 90
/// days, how usual its distance is, the year's best pace and heart rate for
/// the duration and the year's typical ones.
struct Prior {
    double max30 = 0;
    double max90 = 0;
    double best_v60 = 0;
    double top_hr = -1;   ///< bpm; < 0: none
    int as_hard_runs = 0; ///< runs as long at about this heart rate or more
    int window_runs = 0;
    int same_distance = 0;
    double typical_v60 = 0;
    double typical_hr = 0;
};

Prior look_back(const std::vector<Session>& sessions, const std::vector<double>& v60_of,
                std::size_t i, std::optional<double> standard,
                const RaceDetectionSettings& settings) {
    const Session& s = sessions[i];
    Prior prior;
    std::vector<double> year_v60;
    std::vector<double> year_hr;
    for (std::size_t j = i; j-- > 0;) {
        const Session& p = sessions[j];
        const std::int64_t age = s.local_day - p.local_day;
        if (age > std::max({settings.best_window_days, settings.usual_window_days,
                            settings.season_window_days})) {
            break;
        }
        if (age <= 0 || !p.running) {
            continue;
        }
        if (age <= settings.spike_window_days) {
            prior.max30 = std::max(prior.max30, p.effort_km);
        }
        if (age <= settings.season_window_days) {
            prior.max90 = std::max(prior.max90, p.effort_km);
        }
        if (age <= settings.usual_window_days) {
            ++prior.window_runs;
            if (standard && std::abs(p.distance_m / 1000.0 - *standard) <=
                                settings.standard_tolerance * *standard) {
                ++prior.same_distance;
            }
        }
        if (age <= settings.best_window_days && p.moving_s >= settings.min_moving_s &&
            p.has_distance) {
            const double pv = v60_of[j];
            prior.best_v60 = std::max(prior.best_v60, pv);
            year_v60.push_back(pv);
            if (p.avg_hr) {
                year_hr.push_back(*p.avg_hr);
            }
            if (p.avg_hr && p.moving_s >= settings.hr_duration_band * s.moving_s) {
                prior.top_hr = std::max(prior.top_hr, *p.avg_hr);
                if (s.avg_hr && *p.avg_hr >= *s.avg_hr - settings.hr_margin_bpm) {
                    ++prior.as_hard_runs;
                }
            }
        }
    }
    // Spikes and bests mean nothing in the first weeks of a history.
    const bool enough_history =
        !sessions.empty() && s.local_day - sessions.front().local_day >= settings.min_prior_days;
    if (!enough_history) {
        prior.max30 = 0;
        prior.max90 = 0;
        prior.best_v60 = 0;
        prior.top_hr = -1;
    }
    prior.typical_v60 = median(std::move(year_v60));
    prior.typical_hr = median(std::move(year_hr));
    return prior;
}

/// Which kinds of evidence a candidate has: a race needs both.
struct Evidence {
    bool distance = false;
    bool intensity = false;
    bool titled = false;
};

/// Distance evidence: a standard distance the athlete does not run often, a
/// spike over the longest of 30 days, or the longest of 90 days.
void add_distance_evidence(const Session& s, std::optional<double> standard, const Prior& prior,
                           const RaceDetectionSettings& settings, DetectedRace& r, Evidence& e) {
    const double km = s.distance_m / 1000.0;
    if (standard) {
        const bool usual = prior.window_runs > 0 &&
                           static_cast<double>(prior.same_distance) >=
                               settings.usual_share * static_cast<double>(prior.window_runs);
        if (!usual) {
            r.score += *standard < 7.5    ? settings.short_standard_score
                       : *standard < 15.0 ? settings.medium_standard_score
                                          : settings.long_standard_score;
            r.standard_km = standard;
            e.distance = true;
            r.reasons.push_back(km_text(km) + " is a standard race distance (" +
                                km_text(*standard) + " +-" +
                                format_number("%.0f", settings.standard_tolerance * 100) + " %)");
        }
    }
    if (prior.max30 > 0 && s.effort_km >= settings.spike_ratio * prior.max30) {
        // A day several times the usual long run, for hours, is what
        // an ultra looks like: a 24-hour or 100-mile race is run at an
        // easy pace and heart rate and often at no standard distance.
        const bool far_beyond = s.effort_km >= settings.ultra_spike_ratio * prior.max30 &&
                                s.moving_s >= settings.ultra_min_moving_s;
        r.score += far_beyond ? 3.0 : 2.0;
        e.distance = true;
        r.reasons.push_back(format_number("%.1f", s.effort_km) + " effort-km is " +
                            format_number("%.2f", s.effort_km / prior.max30) +
                            " x the longest of the previous " +
                            std::to_string(settings.spike_window_days) + " days" +
                            (far_beyond ? " (an ultra-long day)" : ""));
    } else if (prior.max90 > 0 && s.effort_km > prior.max90) {
        r.score += 1.0;
        r.reasons.push_back("longest session in " + std::to_string(settings.season_window_days) +
                            " days (" + format_number("%.1f", s.effort_km) + " effort-km)");
    }
}

/// Intensity evidence: pace for the duration (Riegel), heart rate against
/// runs at least about as long; both must stand out from everyday training.
void add_intensity_evidence(const Session& s, double v60, const Prior& prior,
                            const RaceDetectionSettings& settings, DetectedRace& r, Evidence& e) {
    const bool pace_stands_out =
        prior.typical_v60 > 0 && v60 >= settings.above_typical_pace * prior.typical_v60;
    const bool hr_stands_out = s.avg_hr && prior.typical_hr > 0 &&
                               *s.avg_hr >= prior.typical_hr + settings.above_typical_hr_bpm;
    if (prior.best_v60 > 0) {
        r.pace_ratio = v60 / prior.best_v60;
    }
    if (prior.best_v60 > 0 && v60 > 0 && pace_stands_out) {
        const double ratio = v60 / prior.best_v60;
        if (ratio >= settings.near_best_pace) {
            r.score += 2.0;
            e.intensity = true;
            r.reasons.push_back("pace for its length is " + format_number("%.0f", ratio * 100) +
                                " % of your best of the last year (Riegel-adjusted)");
        } else if (ratio >= settings.fair_pace) {
            r.score += 1.0;
            e.intensity = true;
            r.reasons.push_back("pace for its length is " + format_number("%.0f", ratio * 100) +
                                " % of your best of the last year (Riegel-adjusted)");
        }
    }
    // The heart rate of a weekly hill or tempo session, reached again
    // and again, is no race effort.
    const bool hr_rare = prior.as_hard_runs < settings.hr_common_runs;
    if (s.avg_hr && prior.top_hr > 0 && hr_stands_out && hr_rare &&
        *s.avg_hr >= prior.top_hr - settings.hr_margin_bpm) {
        r.score += *s.avg_hr >= prior.top_hr ? 1.5 : 1.0;
        e.intensity = true;
        r.reasons.push_back(
            "average HR " + format_number("%.0f", *s.avg_hr) + " bpm vs " +
            format_number("%.0f", prior.top_hr) + " bpm, the highest of your runs at least " +
            format_number("%.0f", settings.hr_duration_band * 100) + " % as long in the last year");
    }
}

/// Unloading before (§3.2 ii): form on the morning, or only a shake-out.
void add_unloading_evidence(const History& h, std::size_t i, const RaceDetectionSettings& settings,
                            DetectedRace& r) {
    const auto& sessions = h.sessions;
    const Session& s = sessions[i];
    const Day* race_day = day_at(h, s.local_day);
    bool unloaded = false;
    if (race_day && race_day->form_pct && *race_day->form_pct >= settings.form_before) {
        unloaded = true;
        r.reasons.push_back("form " + format_number("%+.0f", *race_day->form_pct * 100) +
                            " % on the morning: unloaded before");
    } else {
        double longest_before = 0;
        for (std::size_t j = i; j-- > 0;) {
            const std::int64_t age = s.local_day - sessions[j].local_day;
            if (age > 2) {
                break;
            }
            if (age >= 1) {
                longest_before = std::max(longest_before, sessions[j].moving_s);
            }
        }
        if (longest_before < settings.shakeout_fraction * s.moving_s) {
            unloaded = true;
            r.reasons.push_back(longest_before > 0 ? "only a short shake-out in the 2 days before"
                                                   : "rest in the 2 days before");
        }
    }
    if (unloaded) {
        r.score += 1.0;
    }
}

/// Easy days after (§3.2 iii): the 7 days' load after the race under half of 7 x fitness.
void add_easy_days_evidence(const History& h, const Session& s,
                            const RaceDetectionSettings& settings, DetectedRace& r) {
    const Day* race_day = day_at(h, s.local_day);
    if (!race_day) {
        return;
    }
    const Day* eve = day_at(h, s.local_day - 1);
    const double ctl_before = eve != nullptr ? eve->ctl : race_day->ctl;
    // From the day after it ends: a race past midnight puts part of
    // its own load on the next day(s).
    const std::int64_t last_day =
        s.local_day +
        static_cast<std::int64_t>(std::floor((s.local_start_h * 3600 + s.elapsed_s) / 86400));
    double after = 0;
    int days_after = 0;
    for (std::int64_t d = last_day + 1; d <= last_day + 7; ++d) {
        if (const Day* x = day_at(h, d)) {
            after += x->load;
            ++days_after;
        }
    }
    if (days_after >= 3 && after < settings.after_load_fraction * 7.0 * ctl_before) {
        r.score += 1.0;
        r.reasons.push_back("the following 7 days' load " + format_number("%.0f", after) +
                            " is under " +
                            format_number("%.0f", settings.after_load_fraction * 100) +
                            " % of 7 x fitness (" + format_number("%.0f", 7.0 * ctl_before) + ")");
    }
}

/// Title words: evidence of both kinds at once.
void add_title_evidence(const Session& s, const RaceDetectionSettings& settings, DetectedRace& r,
                        Evidence& e) {
    const std::string title = lower(s.name);
    if (title.empty()) {
        return;
    }
    for (const auto& word : settings.keywords) {
        if (title.find(lower(word)) != std::string::npos) {
            r.score += settings.keyword_score;
            e.distance = true;
            e.intensity = true;
            e.titled = true;
            r.reasons.push_back("title '" + s.name + "' contains '" + word + "'");
            return;
        }
    }
}

/// Session `i` as a race candidate: its evidence and score, or nothing when
/// it lacks a kind of evidence or scores too low.
std::optional<DetectedRace> judge(const History& h, const std::vector<double>& v60_of,
                                  std::size_t i, const RaceDetectionSettings& settings) {
    const Session& s = h.sessions[i];
    if (!s.running || s.moving_s < settings.min_moving_s || !s.has_distance) {
        return std::nullopt;
    }
    DetectedRace r;
    r.session = i;
    r.day = s.local_day;
    Evidence e;
    const std::optional<double> standard = standard_distance(s.distance_m / 1000.0, settings);
    const Prior prior = look_back(h.sessions, v60_of, i, standard, settings);
    add_distance_evidence(s, standard, prior, settings, r, e);
    add_intensity_evidence(s, v60_of[i], prior, settings, r, e);
    add_unloading_evidence(h, i, settings, r);
    add_easy_days_evidence(h, s, settings, r);
    add_title_evidence(s, settings, r, e);

    // A race needs a distance reason and an effort reason; a very long
    // day (>= 3 h) is raced on time, not pace, so the spike suffices.
    const bool ultra_day = s.moving_s >= 3 * 3600 && e.distance;
    if (!e.distance || (!e.intensity && !ultra_day) || r.score < settings.possible_score) {
        return std::nullopt;
    }
    // A race has an official length: without a standard distance, a
    // title word or an ultra-long day it stays a "possible race".
    r.likely = r.score >= settings.likely_score && (r.standard_km || e.titled || ultra_day);
    r.confidence = std::min(1.0, r.score / settings.full_confidence_score);
    return r;
}

/// A hard session a day or two before a race looks like one too: within
/// a few days keep the strongest (score, then pace for the length).
std::vector<DetectedRace> strongest_of_clusters(const std::vector<DetectedRace>& races,
                                                const RaceDetectionSettings& settings) {
    std::vector<DetectedRace> kept;
    for (const auto& r : races) {
        const bool beaten = std::any_of(races.begin(), races.end(), [&](const DetectedRace& o) {
            if (&o == &r || std::abs(o.day - r.day) > settings.cluster_days) {
                return false;
            }
            return o.score > r.score || (o.score == r.score && o.pace_ratio > r.pace_ratio);
        });
        if (!beaten) {
            kept.push_back(r);
        }
    }
    return kept;
}

} // namespace

std::vector<DetectedRace> detect_races(const History& history,
                                       const RaceDetectionSettings& settings) {
    if (history.days.empty()) {
        return {};
    }
    const auto& sessions = history.sessions;
    // Each session's 60-min equivalent speed, computed once: the look-back
    // sees every session many times.
    std::vector<double> v60_of(sessions.size());
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        v60_of[i] = riegel_speed_60min(speed_of(sessions[i]), sessions[i].moving_s);
    }
    std::vector<DetectedRace> races;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        if (auto r = judge(history, v60_of, i, settings)) {
            races.push_back(std::move(*r));
        }
    }
    return strongest_of_clusters(races, settings);
}

} // namespace ultrastrength
