#include "cli/command_analyze.hpp"

#include "cli/output.hpp"
#include "cli/scanning.hpp"
#include "converters/scan.hpp"
#include "history/history.hpp"
#include "history/races.hpp"
#include "model/text.hpp"
#include "model/time.hpp"
#include "phase/phase.hpp"
#include "plugins/writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace ultrastrength::cli {

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

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string hm(double seconds) {
    const auto s = static_cast<long long>(std::llround(seconds));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 3600, s / 60 % 60);
    return buf;
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

std::string pace_text(double speed_mps) {
    const auto s = static_cast<long long>(std::llround(1000.0 / speed_mps));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld/km", s / 60, s % 60);
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

struct Analysis {
    History history;
    std::vector<DetectedRace> detected;
    PhaseResult phases;
    std::vector<Race> races;
    std::optional<int> tz_offset_s;
};

json analysis_json(const Analysis& a, const ScanSummary& summary,
                   const std::vector<InputOutcome>& outcomes) {
    const History& h = a.history;
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

    const WeekPhase* now = a.phases.weeks.empty() ? nullptr : &a.phases.weeks.back();
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
    current["explanation"] = a.phases.explanation;
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
    if (a.phases.a_race) {
        const Race& r = *a.phases.a_race;
        races["goal"] = {{"date", format_date(r.date)},
                         {"name", r.name},
                         {"distance_km", number(r.distance_km, 2)},
                         {"ascent_m", number(r.ascent_m, 0)}};
    }
    races["named"] = json::array();
    for (const auto& r : a.races) {
        races["named"].push_back({{"date", format_date(r.date)},
                                  {"name", r.name},
                                  {"distance_km", number(r.distance_km, 2)},
                                  {"ascent_m", number(r.ascent_m, 0)}});
    }
    races["detected"] = json::array();
    for (const auto& d : a.detected) {
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
        const WeekPhase& p = a.phases.weeks[i];
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

void print_text(std::ostream& out, const Analysis& a) {
    const History& h = a.history;
    const auto& ath = h.athlete;
    auto value_line = [&](const char* label, const AthleteValue& v, const std::string& shown) {
        out << "  " << label << shown
            << (v.estimated ? "  (estimated: " + v.how + ")" : "  (given)") << '\n';
    };
    out << "Athlete\n";
    value_line("HRmax      ", ath.hr_max, fmt("%.0f bpm", ath.hr_max.value.value_or(0)));
    value_line("HRrest     ", ath.hr_rest, fmt("%.0f bpm", ath.hr_rest.value.value_or(0)));
    value_line("LTHR       ", ath.lthr, fmt("%.0f bpm", ath.lthr.value.value_or(0)));
    value_line("threshold  ", ath.threshold_speed_mps,
               ath.threshold_speed_mps.value ? pace_text(*ath.threshold_speed_mps.value) : "-");
    out << '\n';

    char line[256];
    std::snprintf(line, sizeof line, "%-10s  %6s  %6s  %5s  %6s  %5s  %6s  %5s  %5s  %6s  %-10s\n",
                  "week", "km", "time", "D+", "eff-km", "load", "long", "CTL", "ATL", "form",
                  "phase");
    out << line;
    for (std::size_t i = 0; i < h.weeks.size(); ++i) {
        const Week& w = h.weeks[i];
        const WeekPhase& p = a.phases.weeks[i];
        std::string phase(to_string(p.phase));
        if (w.partial) {
            phase += " (partial)";
        }
        std::snprintf(line, sizeof line,
                      "%-10s  %6.1f  %6s  %5.0f  %6.1f  %5.0f  %6s  %5.1f  %5.1f  %+6.1f  %s\n",
                      day_text(w.start_day).c_str(), w.km, hm(w.time_h * 3600).c_str(), w.ascent_m,
                      w.effort_km, w.load, w.long_s > 0 ? hm(w.long_s).c_str() : "-", w.ctl, w.atl,
                      w.tsb, phase.c_str());
        out << line;
    }
    out << '\n';
    if (!a.detected.empty()) {
        out << "Races found in the history\n";
        for (const auto& d : a.detected) {
            const Session& s = h.sessions[d.session];
            out << "  " << day_text(d.day) << "  " << fmt("%.2f km", s.distance_m / 1000) << "  "
                << hm(s.moving_s) << "  " << (d.likely ? "race" : "possible race")
                << ", confidence " << fmt("%.0f %%", d.confidence * 100) << ": ";
            for (std::size_t i = 0; i < d.reasons.size(); ++i) {
                out << (i != 0 ? "; " : "") << d.reasons[i];
            }
            out << '\n';
        }
        out << '\n';
    }
    out << a.phases.explanation << '\n';
    for (const auto& n : h.notes) {
        out << "note: " << n << '\n';
    }
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

const char* phase_colour(Phase p) {
    switch (p) {
    case Phase::off_season:
        return "#9e9e9e";
    case Phase::early:
        return "#4caf50";
    case Phase::mid:
        return "#2196f3";
    case Phase::late:
        return "#9c27b0";
    case Phase::taper:
        return "#ff9800";
    case Phase::race:
        return "#f44336";
    case Phase::recovery:
        return "#00bcd4";
    }
    return "#000";
}

std::string html_report(const Analysis& a) {
    const History& h = a.history;
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>ultrastrength analysis</title><style>"
         "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
         "table{border-collapse:collapse;font-size:12px}td,th{padding:2px 6px;text-align:right;"
         "border-bottom:1px solid #ddd}th{background:#f4f4f4}td.l,th.l{text-align:left}"
         ".legend span{display:inline-block;margin-right:1em}.sw{width:12px;height:12px;"
         "display:inline-block;margin-right:4px;vertical-align:middle}"
         "</style></head><body>\n<h1>Training analysis</h1>\n";
    o << "<p>" << html_escape(a.phases.explanation) << "</p>\n";

    const std::size_t n = h.weeks.size();
    const double width = 1000;
    const double bar_w = n > 0 ? width / static_cast<double>(n) : width;
    double max_ekm = 1;
    for (const auto& w : h.weeks) {
        max_ekm = std::max(max_ekm, w.effort_km);
    }
    // Weekly effort-km bars coloured by phase, long runs as dots, races as flags.
    o << "<h2>Weekly effort-km by phase</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\"1040\" height=\"260\" viewBox=\"0 0 1040 260\">\n";
    const double chart_h = 200;
    for (std::size_t i = 0; i < n; ++i) {
        const Week& w = h.weeks[i];
        const double bh = w.effort_km / max_ekm * chart_h;
        const double x = 30 + static_cast<double>(i) * bar_w;
        o << "<rect x=\"" << fmt("%.1f", x) << "\" y=\"" << fmt("%.1f", 10 + chart_h - bh)
          << "\" width=\"" << fmt("%.1f", std::max(1.0, bar_w - 1)) << "\" height=\""
          << fmt("%.1f", bh) << "\" fill=\"" << phase_colour(a.phases.weeks[i].phase)
          << "\"><title>" << day_text(w.start_day) << ": " << fmt("%.1f", w.effort_km)
          << " effort-km, " << to_string(a.phases.weeks[i].phase) << "</title></rect>\n";
        if (w.long_effort_km > 0) {
            const double y = 10 + chart_h - w.long_effort_km / max_ekm * chart_h;
            o << "<circle cx=\"" << fmt("%.1f", x + bar_w / 2) << "\" cy=\"" << fmt("%.1f", y)
              << "\" r=\"2\" fill=\"#000\"><title>long run " << fmt("%.1f", w.long_effort_km)
              << " effort-km</title></circle>\n";
        }
    }
    const std::int64_t first_week = n > 0 ? h.weeks.front().start_day : 0;
    for (const auto& d : a.detected) {
        const double x =
            30 + static_cast<double>((monday_of(d.day) - first_week) / 7) * bar_w + bar_w / 2;
        o << "<text x=\"" << fmt("%.1f", x)
          << "\" y=\"225\" font-size=\"12\" text-anchor=\"middle\" "
          << "fill=\"" << (d.likely ? "#f44336" : "#999") << "\">&#9873;<title>"
          << (d.likely ? "race " : "possible race ") << day_text(d.day) << "</title></text>\n";
    }
    for (const auto& r : a.races) {
        const auto day = days_from_civil(r.date);
        if (day < first_week || n == 0 || day > h.weeks.back().start_day + 6) {
            continue;
        }
        const double x =
            30 + static_cast<double>((monday_of(day) - first_week) / 7) * bar_w + bar_w / 2;
        o << "<text x=\"" << fmt("%.1f", x)
          << "\" y=\"240\" font-size=\"12\" text-anchor=\"middle\" "
          << "fill=\"#b71c1c\">&#9733;<title>" << html_escape(r.name) << " " << format_date(r.date)
          << "</title></text>\n";
    }
    o << "<text x=\"30\" y=\"255\" font-size=\"11\">"
      << (n > 0 ? day_text(h.weeks.front().start_day) : "") << "</text><text x=\"1030\" y=\"255\" "
      << "font-size=\"11\" text-anchor=\"end\">"
      << (n > 0 ? day_text(h.weeks.back().start_day) : "")
      << "</text><text x=\"0\" y=\"15\" font-size=\"11\">" << fmt("%.0f", max_ekm) << "</text>\n";
    o << "</svg>\n<div class=\"legend\">";
    for (const Phase p : {Phase::off_season, Phase::early, Phase::mid, Phase::late, Phase::taper,
                          Phase::race, Phase::recovery}) {
        o << "<span><i class=\"sw\" style=\"background:" << phase_colour(p) << "\"></i>"
          << to_string(p) << "</span>";
    }
    o << "<span>&#9679; long run</span><span style=\"color:#f44336\">&#9873; detected race</span>"
         "<span style=\"color:#b71c1c\">&#9733; named race</span></div>\n";

    // Fitness / fatigue / form.
    o << "<h2>Fitness (CTL), fatigue (ATL) and form (TSB)</h2>\n<svg "
         "xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\"1040\" height=\"260\" viewBox=\"0 0 1040 260\">\n";
    double hi = 1;
    double lo = 0;
    for (const auto& d : h.days) {
        hi = std::max({hi, d.ctl, d.atl, d.tsb});
        lo = std::min(lo, d.tsb);
    }
    const std::size_t nd = h.days.size();
    auto px = [&](std::size_t i) {
        return 30 + (nd > 1 ? static_cast<double>(i) / static_cast<double>(nd - 1) : 0) * width;
    };
    auto py = [&](double v) { return 10 + (hi - v) / (hi - lo) * 230; };
    o << "<line x1=\"30\" x2=\"1030\" y1=\"" << fmt("%.1f", py(0)) << "\" y2=\""
      << fmt("%.1f", py(0)) << "\" stroke=\"#ccc\"/>\n";
    const auto polyline = [&](auto get, const char* colour, const char* label) {
        o << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
        for (std::size_t i = 0; i < nd; ++i) {
            o << fmt("%.1f", px(i)) << ',' << fmt("%.1f", py(get(h.days[i]))) << ' ';
        }
        o << "\"><title>" << label << "</title></polyline>\n";
    };
    polyline([](const Day& d) { return d.ctl; }, "#1565c0", "fitness (CTL)");
    polyline([](const Day& d) { return d.atl; }, "#e53935", "fatigue (ATL)");
    polyline([](const Day& d) { return d.tsb; }, "#fbc02d", "form (TSB)");
    o << "<text x=\"0\" y=\"15\" font-size=\"11\">" << fmt("%.0f", hi) << "</text>"
      << "<text x=\"0\" y=\"245\" font-size=\"11\">" << fmt("%.0f", lo) << "</text></svg>\n"
      << "<div class=\"legend\"><span style=\"color:#1565c0\">&#9644; fitness (CTL)</span>"
         "<span style=\"color:#e53935\">&#9644; fatigue (ATL)</span>"
         "<span style=\"color:#fbc02d\">&#9644; form (TSB)</span></div>\n";

    if (!a.detected.empty()) {
        o << "<h2>Races found in the history</h2>\n<ul>\n";
        for (const auto& d : a.detected) {
            const Session& s = h.sessions[d.session];
            o << "<li><b>" << day_text(d.day) << "</b> " << fmt("%.2f km", s.distance_m / 1000)
              << ", " << hm(s.moving_s) << " &mdash; " << (d.likely ? "race" : "possible race")
              << ", confidence " << fmt("%.0f %%", d.confidence * 100) << ": ";
            for (std::size_t i = 0; i < d.reasons.size(); ++i) {
                o << (i != 0 ? "; " : "") << html_escape(d.reasons[i]);
            }
            o << "</li>\n";
        }
        o << "</ul>\n";
    }

    o << "<h2>Weeks</h2>\n<table><tr><th class=\"l\">week</th><th>km</th><th>time</th><th>D+</th>"
         "<th>effort-km</th><th>load</th><th>long run</th><th>CTL</th><th>ATL</th><th>form</th>"
         "<th class=\"l\">phase</th><th class=\"l\">rule</th></tr>\n";
    for (std::size_t i = n; i-- > 0;) {
        const Week& w = h.weeks[i];
        const WeekPhase& p = a.phases.weeks[i];
        o << "<tr><td class=\"l\">" << day_text(w.start_day) << (w.partial ? "*" : "")
          << "</td><td>" << fmt("%.1f", w.km) << "</td><td>" << hm(w.time_h * 3600) << "</td><td>"
          << fmt("%.0f", w.ascent_m) << "</td><td>" << fmt("%.1f", w.effort_km) << "</td><td>"
          << fmt("%.0f", w.load) << "</td><td>" << (w.long_s > 0 ? hm(w.long_s) : "-")
          << "</td><td>" << fmt("%.1f", w.ctl) << "</td><td>" << fmt("%.1f", w.atl) << "</td><td>"
          << fmt("%+.1f", w.tsb) << "</td><td class=\"l\" style=\"color:" << phase_colour(p.phase)
          << "\">" << to_string(p.phase) << "</td><td class=\"l\">" << html_escape(p.rule)
          << "</td></tr>\n";
    }
    o << "</table>\n<p>* current week, not complete.</p>\n</body></html>\n";
    return o.str();
}

} // namespace

std::string CommandAnalyze::usage() const {
    return "ultrastrength analyze [OPTIONS] INPUT...";
}

std::string CommandAnalyze::details() const {
    return "Reads the inputs like 'scan', keeps running (and hikes/walks, flagged), scores each\n"
           "activity's training load (grade-adjusted pace, else heart rate, else RPE, else your\n"
           "own recent load per effort-km, else a default), and prints the weekly table\n"
           "(km, time, D+, effort-km = km + D+/100, load, longest run, fitness/fatigue/form,\n"
           "phase), the races found, and the current phase with the numbers and rule behind it.\n\n"
           "Settings not given (--hrmax, --hrrest, --lthr, --threshold-pace) are estimated from\n"
           "the history and reported as estimated. Dates are local: the offset stored in each\n"
           "file, else --tz (a fixed offset such as +01:00, -05:30 or UTC). Weeks start on "
           "Monday.\n\n"
           "--race DATE[,NAME[,KM[,D+]]] may be repeated; the first race on or after today (else\n"
           "the last one) drives the race-date schedule. Without --race, phases come from the\n"
           "weekly series and races are detected from the data; in hindsight a detected race\n"
           "places the weeks before it as --race would, where the series agrees (a much smaller\n"
           "race on the way to a bigger one is a tune-up and keeps the phase). The current\n"
           "week's phase never depends on data after it.\n\n"
           "--json prints one JSON document (schemas/analysis.schema.json). --report FILE.html\n"
           "writes a self-contained page with charts.\n\n"
           "Exit status: 0 all inputs read, 1 some rejected, 3 none readable.\n\n"
           "Examples:\n"
           "  ultrastrength analyze ~/exports/export_12345.zip --race "
           "2026-06-27,Lavaredo,120,5800\n"
           "  ultrastrength analyze activities/ --tz +01:00 --json > analysis.json\n";
}

void CommandAnalyze::add_options(po::options_description& options,
                                 po::positional_options_description& positional) {
    m_analysis.add(options, positional);
    options.add_options()("report", po::value(&m_report)->value_name("FILE.html"),
                          "write an HTML report");
    options.add(common_options(m_common));
}

void CommandAnalyze::apply(const po::variables_map& vm) {
    m_analysis.apply(vm);
}

int CommandAnalyze::run() {
    ReaderRegistry registry;
    register_all(registry);
    auto outcomes = scan_with_options(registry, m_analysis.inputs, m_common, std::cerr).outcomes;
    const ScanSummary summary = summarize(outcomes);

    HistoryInput input;
    for (auto& o : outcomes) {
        for (auto& act : o.activities) {
            input.activities.push_back(std::move(act));
        }
        o.activities.clear();
    }
    input.athlete = m_analysis.athlete;
    input.utc_offset_s = m_analysis.offset_s;
    input.today = m_analysis.today_day;
    input.known_gaps = m_analysis.gaps;

    Analysis analysis;
    analysis.tz_offset_s = m_analysis.offset_s;
    analysis.races = m_analysis.races;
    analysis.history = build_history(input);
    analysis.detected = detect_races(analysis.history);
    analysis.phases = classify_phases(analysis.history, m_analysis.races, analysis.detected);

    if (m_common.json) {
        auto doc = analysis_json(analysis, summary, outcomes);
        make_valid_utf8(doc); // names are bytes; JSON must be UTF-8
        const std::string out = doc.dump(1) + "\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else if (!m_common.quiet) {
        print_text(std::cout, analysis);
    }
    if (!m_report.empty()) {
        // Through the atomic sink: a cron job killed mid-write never leaves a
        // half-written report where the previous one was.
        try {
            const std::filesystem::path report(m_report);
            FolderSink sink(report.has_parent_path() ? report.parent_path()
                                                     : std::filesystem::path("."));
            sink.put(report.filename().string(), html_report(analysis));
        } catch (const std::exception& e) {
            std::cerr << "ultrastrength analyze: cannot write the report '" << m_report
                      << "': " << e.what() << '\n';
            return exit_failed;
        }
    }
    print_problems(std::cerr, outcomes, m_common.verbose, m_common.quiet);
    if (!m_common.quiet) {
        print_summary(std::cerr, summary);
    }
    if (analysis.history.sessions.empty() && summary.rejected == 0 && summary.read == 0) {
        return exit_failed;
    }
    return exit_code_for(summary);
}

} // namespace ultrastrength::cli
