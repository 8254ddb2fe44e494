#include "plan/analysis_json.hpp"

#include "model/time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ultrastrength {

namespace {

using json = nlohmann::ordered_json;

/// Rounded so that output does not depend on the last bits of a sum.
json number(double value, int decimals) {
    if (!std::isfinite(value)) {
        return nullptr;
    }
    const double scale = std::pow(10.0, decimals);
    const double v = std::round(value * scale) / scale;
    return v == 0.0 ? 0.0 : v; // no "-0.0"
}

json number(const std::optional<double>& value, int decimals) {
    return value ? number(*value, decimals) : json(nullptr);
}

std::string day_text(std::int64_t day) {
    return format_date(civil_from_days(day));
}

std::string offset_text(int seconds) {
    if (seconds == 0) {
        return "UTC";
    }
    const int a = std::abs(seconds);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", seconds < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    return buf;
}

json athlete_value(const AthleteValue& v, int decimals) {
    json j;
    j["value"] = number(v.value, decimals);
    j["estimated"] = v.estimated;
    j["how"] = v.how;
    return j;
}

json strings(const std::vector<std::string>& v) {
    json a = json::array();
    for (const auto& s : v) {
        a.push_back(s);
    }
    return a;
}

} // namespace

nlohmann::ordered_json analysis_to_json(const AnalysisDocument& a) {
    const ScanSummary& summary = *a.summary;
    const std::vector<InputOutcome>& outcomes = *a.inputs;
    const History& h = *a.history;
    json j;
    j["schema"] = "ultrastrength-analysis/1";
    j["today"] = h.sessions.empty() ? json(nullptr) : json(day_text(h.today));
    j["time_zone"] = a.tz_offset_s ? json(offset_text(*a.tz_offset_s)) : json(nullptr);

    json inputs;
    inputs["inputs"] = summary.inputs;
    inputs["read"] = summary.read;
    inputs["skipped"] = summary.skipped;
    inputs["rejected"] = summary.rejected;
    inputs["activities"] = summary.activities;
    inputs["errors"] = json::array();
    for (const auto& o : outcomes) {
        if (o.kind == InputOutcome::Kind::rejected) {
            inputs["errors"].push_back({{"source", o.source}, {"error", o.message}});
        }
    }
    j["inputs"] = inputs;

    json athlete;
    athlete["hr_max"] = athlete_value(h.athlete.hr_max, 1);
    athlete["hr_rest"] = athlete_value(h.athlete.hr_rest, 1);
    athlete["lthr"] = athlete_value(h.athlete.lthr, 1);
    athlete["threshold_speed_mps"] = athlete_value(h.athlete.threshold_speed_mps, 3);
    athlete["sex"] = to_string(h.athlete.sex);
    j["athlete"] = athlete;

    const WeekPhase* now = a.phases->weeks.empty() ? nullptr : &a.phases->weeks.back();
    json current;
    if (now != nullptr) {
        current["week_start"] = day_text(now->week_start);
        current["phase"] = to_string(now->phase);
        current["confidence"] = to_string(now->confidence);
        current["rule"] = now->rule;
        current["reasons"] = strings(now->reasons);
    } else {
        current["week_start"] = nullptr;
        current["phase"] = nullptr;
        current["confidence"] = nullptr;
        current["rule"] = nullptr;
        current["reasons"] = json::array();
    }
    current["explanation"] = a.phases->explanation;
    if (!h.days.empty()) {
        const Day& d = h.days.back();
        current["ctl"] = number(d.ctl, 1);
        current["atl"] = number(d.atl, 1);
        current["tsb"] = number(d.tsb, 1);
        current["form_pct"] = d.form_pct ? number(*d.form_pct * 100, 1) : json(nullptr);
    } else {
        current["ctl"] = nullptr;
        current["atl"] = nullptr;
        current["tsb"] = nullptr;
        current["form_pct"] = nullptr;
    }
    current["pmc_warming_up"] = h.pmc_warming_up;
    j["current"] = current;

    json races;
    races["goal"] = nullptr;
    if (a.phases->a_race) {
        const Race& r = *a.phases->a_race;
        races["goal"] = {{"date", format_date(r.date)},
                         {"name", r.name},
                         {"distance_km", number(r.distance_km, 2)},
                         {"ascent_m", number(r.ascent_m, 0)}};
    }
    races["named"] = json::array();
    for (const auto& r : *a.races) {
        races["named"].push_back({{"date", format_date(r.date)},
                                  {"name", r.name},
                                  {"distance_km", number(r.distance_km, 2)},
                                  {"ascent_m", number(r.ascent_m, 0)}});
    }
    races["detected"] = json::array();
    for (const auto& d : *a.detected) {
        const Session& s = h.sessions[d.session];
        races["detected"].push_back({{"date", day_text(d.day)},
                                     {"source", s.source},
                                     {"distance_km", number(s.distance_m / 1000, 2)},
                                     {"moving_s", number(s.moving_s, 0)},
                                     {"effort_km", number(s.effort_km, 1)},
                                     {"level", d.likely ? "race" : "possible"},
                                     {"confidence", number(d.confidence, 2)},
                                     {"score", number(d.score, 1)},
                                     {"standard_km", number(d.standard_km, 3)},
                                     {"reasons", strings(d.reasons)}});
    }
    j["races"] = races;

    json weeks = json::array();
    for (std::size_t i = 0; i < h.weeks.size(); ++i) {
        const Week& w = h.weeks[i];
        const WeekPhase& p = a.phases->weeks[i];
        json x;
        x["week_start"] = day_text(w.start_day);
        x["partial"] = w.partial;
        x["runs"] = w.runs;
        x["sessions"] = w.sessions;
        x["time_h"] = number(w.time_h, 3);
        x["km"] = number(w.km, 3);
        x["running_km"] = number(w.running_km, 3);
        x["ascent_m"] = number(w.ascent_m, 0);
        x["descent_m"] = number(w.descent_m, 0);
        x["effort_km"] = number(w.effort_km, 2);
        x["load"] = number(w.load, 1);
        x["long_run_s"] = number(w.long_s, 0);
        x["long_run_km"] = number(w.long_km, 2);
        x["long_run_effort_km"] = number(w.long_effort_km, 2);
        x["block_s"] = number(w.block_s, 0);
        x["spike"] = number(w.spike, 3);
        x["monotony"] = number(w.monotony, 2);
        x["ctl"] = number(w.ctl, 1);
        x["atl"] = number(w.atl, 1);
        x["tsb"] = number(w.tsb, 1);
        x["form_pct"] = w.form_pct ? number(*w.form_pct * 100, 1) : json(nullptr);
        x["ramp"] = number(w.ramp, 2);
        x["status"] = to_string(w.status);
        x["flags"] = strings(w.flags);
        x["phase"] = to_string(p.phase);
        x["candidate"] = to_string(p.candidate);
        x["rule"] = p.rule;
        x["confidence"] = to_string(p.confidence);
        x["weeks_to_race"] = p.weeks_to_race ? json(*p.weeks_to_race) : json(nullptr);
        x["behind_plan"] = p.behind_plan;
        x["features"] = {{"r", number(p.features.r, 3)},
                         {"trend", number(p.features.trend, 3)},
                         {"long_r", number(p.features.long_r, 3)},
                         {"drop", number(p.features.drop, 3)}};
        x["reasons"] = strings(p.reasons);
        weeks.push_back(x);
    }
    j["weeks"] = weeks;

    // Running-type and completed strength sessions (load only, in_volume false), by start time.
    std::vector<const Session*> listed;
    for (const auto& s : h.sessions) {
        listed.push_back(&s);
    }
    for (const auto& s : h.strength) {
        listed.push_back(&s);
    }
    std::stable_sort(listed.begin(), listed.end(), [](const Session* x, const Session* y) {
        return x->start_utc < y->start_utc;
    });
    json sessions = json::array();
    for (const Session* p : listed) {
        const Session& s = *p;
        json x;
        x["source"] = s.source;
        x["date"] = day_text(s.local_day);
        x["utc_offset_s"] = s.utc_offset_s;
        x["sport"] = to_string(s.sport);
        x["moving_s"] = number(s.moving_s, 0);
        x["distance_km"] = number(s.distance_m / 1000, 3);
        x["ascent_m"] = number(s.ascent_m, 0);
        x["descent_m"] = number(s.descent_m, 0);
        x["effort_km"] = number(s.effort_km, 2);
        x["in_volume"] = s.in_volume;
        x["load"] = number(s.load, 1);
        x["rung"] = to_string(s.rung);
        x["gap_load"] = number(s.gap_load, 1);
        x["hr_load"] = number(s.hr_load, 1);
        x["trimp"] = number(s.trimp, 1);
        x["intensity_factor"] = number(s.intensity_factor, 3);
        x["notes"] = strings(s.notes);
        sessions.push_back(x);
    }
    j["sessions"] = sessions;

    json excluded = json::array();
    for (const auto& e : h.excluded) {
        excluded.push_back({{"source", e.source}, {"sport", e.sport}, {"reason", e.reason}});
    }
    j["excluded"] = excluded;

    json days = json::array();
    for (const auto& d : h.days) {
        days.push_back({{"date", day_text(d.day)},
                        {"load", number(d.load, 1)},
                        {"ctl", number(d.ctl, 2)},
                        {"atl", number(d.atl, 2)},
                        {"tsb", number(d.tsb, 2)},
                        {"form_pct", d.form_pct ? number(*d.form_pct * 100, 1) : json(nullptr)},
                        {"ramp", number(d.ramp, 2)}});
    }
    j["days"] = days;
    j["notes"] = strings(h.notes);
    return j;
}

} // namespace ultrastrength
