#include "plugins/report/analysis_report.hpp"

#include "plugins/plan_html/plan_html.hpp"

#include "plugins/report/html.hpp"

#include "model/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace ultrastrength {

namespace {

std::string hm(double seconds) {
    const auto s = static_cast<long long>(std::llround(seconds));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 3600, s / 60 % 60);
    return buf;
}

std::string day_text(std::int64_t day) {
    return format_date(civil_from_days(day));
}

const char* phase_colour(Phase p) {
    // One palette for both reports and the printable plan.
    return detail::phase_fill(p).data();
}

} // namespace

std::string analysis_report_html(const AnalysisReport& a) {
    const History& h = *a.history;
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>ultrastrength analysis</title><style>"
         "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
         "table{border-collapse:collapse;font-size:12px}td,th{padding:2px 6px;text-align:right;"
         "border-bottom:1px solid #ddd}th{background:#f4f4f4}td.l,th.l{text-align:left}"
         ".legend span{display:inline-block;margin-right:1em}.sw{width:12px;height:12px;"
         "display:inline-block;margin-right:4px;vertical-align:middle}"
         "</style></head><body>\n<h1>Training analysis</h1>\n";
    o << "<p>" << html_escape(a.phases->explanation) << "</p>\n";

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
        o << "<rect x=\"" << format_number("%.1f", x) << "\" y=\""
          << format_number("%.1f", 10 + chart_h - bh) << "\" width=\""
          << format_number("%.1f", std::max(1.0, bar_w - 1)) << "\" height=\""
          << format_number("%.1f", bh) << "\" fill=\"" << phase_colour(a.phases->weeks[i].phase)
          << "\"><title>" << day_text(w.start_day) << ": " << format_number("%.1f", w.effort_km)
          << " effort-km, " << to_string(a.phases->weeks[i].phase) << "</title></rect>\n";
        if (w.long_effort_km > 0) {
            const double y = 10 + chart_h - w.long_effort_km / max_ekm * chart_h;
            o << "<circle cx=\"" << format_number("%.1f", x + bar_w / 2) << "\" cy=\""
              << format_number("%.1f", y) << "\" r=\"2\" fill=\"#000\"><title>long run "
              << format_number("%.1f", w.long_effort_km) << " effort-km</title></circle>\n";
        }
    }
    const std::int64_t first_week = n > 0 ? h.weeks.front().start_day : 0;
    for (const auto& d : *a.detected) {
        const std::int64_t week = (monday_of(d.day) - first_week) / 7; // whole weeks: exact
        const double x = 30 + static_cast<double>(week) * bar_w + bar_w / 2;
        o << "<text x=\"" << format_number("%.1f", x)
          << "\" y=\"225\" font-size=\"12\" text-anchor=\"middle\" "
          << "fill=\"" << (d.likely ? "#f44336" : "#999") << "\">&#9873;<title>"
          << (d.likely ? "race " : "possible race ") << day_text(d.day) << "</title></text>\n";
    }
    for (const auto& r : *a.races) {
        const auto day = days_from_civil(r.date);
        if (day < first_week || n == 0 || day > h.weeks.back().start_day + 6) {
            continue;
        }
        const std::int64_t week = (monday_of(day) - first_week) / 7; // whole weeks: exact
        const double x = 30 + static_cast<double>(week) * bar_w + bar_w / 2;
        o << "<text x=\"" << format_number("%.1f", x)
          << "\" y=\"240\" font-size=\"12\" text-anchor=\"middle\" "
          << "fill=\"#b71c1c\">&#9733;<title>" << html_escape(r.name) << " " << format_date(r.date)
          << "</title></text>\n";
    }
    o << "<text x=\"30\" y=\"255\" font-size=\"11\">"
      << (n > 0 ? day_text(h.weeks.front().start_day) : "") << "</text><text x=\"1030\" y=\"255\" "
      << "font-size=\"11\" text-anchor=\"end\">"
      << (n > 0 ? day_text(h.weeks.back().start_day) : "")
      << "</text><text x=\"0\" y=\"15\" font-size=\"11\">" << format_number("%.0f", max_ekm)
      << "</text>\n";
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
    o << "<line x1=\"30\" x2=\"1030\" y1=\"" << format_number("%.1f", py(0)) << "\" y2=\""
      << format_number("%.1f", py(0)) << "\" stroke=\"#ccc\"/>\n";
    const auto polyline = [&](auto get, const char* colour, const char* label) {
        o << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
        for (std::size_t i = 0; i < nd; ++i) {
            o << format_number("%.1f", px(i)) << ',' << format_number("%.1f", py(get(h.days[i])))
              << ' ';
        }
        o << "\"><title>" << label << "</title></polyline>\n";
    };
    polyline([](const Day& d) { return d.ctl; }, "#1565c0", "fitness (CTL)");
    polyline([](const Day& d) { return d.atl; }, "#e53935", "fatigue (ATL)");
    polyline([](const Day& d) { return d.tsb; }, "#fbc02d", "form (TSB)");
    o << "<text x=\"0\" y=\"15\" font-size=\"11\">" << format_number("%.0f", hi) << "</text>"
      << "<text x=\"0\" y=\"245\" font-size=\"11\">" << format_number("%.0f", lo)
      << "</text></svg>\n"
      << "<div class=\"legend\"><span style=\"color:#1565c0\">&#9644; fitness (CTL)</span>"
         "<span style=\"color:#e53935\">&#9644; fatigue (ATL)</span>"
         "<span style=\"color:#fbc02d\">&#9644; form (TSB)</span></div>\n";

    if (!a.detected->empty()) {
        o << "<h2>Races found in the history</h2>\n<ul>\n";
        for (const auto& d : *a.detected) {
            const Session& s = h.sessions[d.session];
            o << "<li><b>" << day_text(d.day) << "</b> "
              << format_number("%.2f km", s.distance_m / 1000) << ", " << hm(s.moving_s)
              << " &mdash; " << (d.likely ? "race" : "possible race") << ", confidence "
              << format_number("%.0f %%", d.confidence * 100) << ": ";
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
        const WeekPhase& p = a.phases->weeks[i];
        o << "<tr><td class=\"l\">" << day_text(w.start_day) << (w.partial ? "*" : "")
          << "</td><td>" << format_number("%.1f", w.km) << "</td><td>" << hm(w.time_h * 3600)
          << "</td><td>" << format_number("%.0f", w.ascent_m) << "</td><td>"
          << format_number("%.1f", w.effort_km) << "</td><td>" << format_number("%.0f", w.load)
          << "</td><td>" << (w.long_s > 0 ? hm(w.long_s) : "-") << "</td><td>"
          << format_number("%.1f", w.ctl) << "</td><td>" << format_number("%.1f", w.atl)
          << "</td><td>" << format_number("%+.1f", w.tsb)
          << "</td><td class=\"l\" style=\"color:" << phase_colour(p.phase) << "\">"
          << to_string(p.phase) << "</td><td class=\"l\">" << html_escape(p.rule) << "</td></tr>\n";
    }
    o << "</table>\n<p>* current week, not complete.</p>\n</body></html>\n";
    return o.str();
}

} // namespace ultrastrength
