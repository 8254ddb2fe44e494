#include "plugins/report/summary_report.hpp"

#include "model/text.hpp"
#include "plugins/report/html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ultrastrength {

std::string_view to_string(AthleteStatus status) noexcept {
    switch (status) {
    case AthleteStatus::ok:
        return "ok";
    case AthleteStatus::partial:
        return "partial";
    case AthleteStatus::failed:
        return "failed";
    }
    return "failed";
}

std::optional<AthleteStatus> athlete_status_from(std::string_view text) noexcept {
    for (const AthleteStatus s :
         {AthleteStatus::ok, AthleteStatus::partial, AthleteStatus::failed}) {
        if (to_string(s) == text) {
            return s;
        }
    }
    return std::nullopt;
}

namespace {

std::string csv_field(const std::string& s) {
    return csv_cell(s); // quoting and formula neutralising, for every CSV we write
}

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += item;
    }
    return out;
}

} // namespace

void attention_of(const Plan& plan, const std::vector<std::string>& flags, AthleteReport& report) {
    static constexpr const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (!plan.sessions.empty()) {
        const PlanSession& s = plan.sessions.front();
        // 1970-01-01, day 0, was a Thursday.
        const auto day = days_from_civil(s.date);
        report.next_session = std::string(days[((day % 7) + 7 + 3) % 7]) + " " +
                              format_date(s.date) + ": " + s.title + " (" +
                              std::to_string(s.estimated_minutes) + " min)";
    }
    const auto start = days_from_civil(plan.start);
    const auto monday = start - (((start % 7) + 7 + 3) % 7);
    report.this_week_minutes = 0;
    report.next_week_minutes = 0;
    for (const PlanSession& s : plan.sessions) {
        const auto week = (days_from_civil(s.date) - monday) / 7;
        if (week == 0) {
            report.this_week_minutes += s.estimated_minutes;
        } else if (week == 1) {
            report.next_week_minutes += s.estimated_minutes;
        }
    }
    std::vector<std::string> notes;
    const std::size_t look = std::min<std::size_t>(2, plan.weeks_overview.size());
    bool behind = false;
    bool lighter = false;
    for (std::size_t i = 0; i < look; ++i) {
        behind = behind || plan.weeks_overview[i].behind_plan;
        lighter = lighter || plan.weeks_overview[i].lighter;
    }
    if (behind) {
        notes.emplace_back("behind plan");
    }
    const auto has = [&](const char* flag) {
        return std::find(flags.begin(), flags.end(), flag) != flags.end();
    };
    if (has("spike")) {
        notes.emplace_back("load spike");
    }
    if (has("ramp>10") || has("ramp>8")) {
        notes.emplace_back("fast ramp");
    }
    if (lighter) {
        notes.emplace_back("lighter week ahead");
    }
    // What the plan itself asks the coach to look at (no downhill slot before a
    // mountain race, an unreadable week, ...): its first clause.
    for (const std::string& item : plan.attention) {
        notes.push_back(item.substr(0, item.find(':')));
    }
    report.attention = join(notes, "; ");
}

std::string summary_csv(const std::vector<AthleteReport>& athletes) {
    std::string out = "id,name,roster_line,status,phase,race,weekly_km,flags,sessions,files,"
                      "next_session,this_week_min,next_week_min,attention,problem\r\n";
    for (const auto& a : athletes) {
        std::vector<std::string> km;
        for (const double v : a.weekly_km) {
            km.push_back(format_fixed(v, 1));
        }
        const std::vector<std::string> fields = {a.id,
                                                 a.name,
                                                 std::to_string(a.line),
                                                 std::string(to_string(a.status)),
                                                 a.phase,
                                                 a.race,
                                                 join(km, ";"),
                                                 join(a.flags, ";"),
                                                 std::to_string(a.sessions),
                                                 std::to_string(a.files.size()),
                                                 a.next_session,
                                                 std::to_string(a.this_week_minutes),
                                                 std::to_string(a.next_week_minutes),
                                                 a.attention,
                                                 a.problem};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) {
                out += ',';
            }
            out += csv_field(fields[i]);
        }
        out += "\r\n";
    }
    return out;
}

std::string volume_svg(const std::vector<double>& weekly_km) {
    constexpr int width = 160;
    constexpr int height = 36;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                      "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                      std::to_string(width) + " " + std::to_string(height) + "\" role=\"img\">";
    if (weekly_km.empty()) {
        return svg + "<title>no weeks</title></svg>";
    }
    const double top = std::max(1.0, *std::max_element(weekly_km.begin(), weekly_km.end()));
    const double bar = static_cast<double>(width) / static_cast<double>(weekly_km.size());
    std::string title = "weekly km, oldest first:";
    for (std::size_t i = 0; i < weekly_km.size(); ++i) {
        const double h = std::round(weekly_km[i] / top * (height - 2) * 10.0) / 10.0;
        svg += "<rect x=\"" + format_fixed(static_cast<double>(i) * bar, 1) + "\" y=\"" +
               format_fixed(height - h, 1) + "\" width=\"" +
               format_fixed(std::max(1.0, bar - 1.0), 1) + "\" height=\"" + format_fixed(h, 1) +
               "\" fill=\"" + (i + 1 == weekly_km.size() ? "#c0392b" : "#2c7fb8") + "\"/>";
        title += ' ';
        title += format_fixed(weekly_km[i], 1);
    }
    return svg + "<title>" + html_escape(title) + "</title></svg>";
}

std::string summary_html(const std::vector<AthleteReport>& athletes, const std::string& roster) {
    std::size_t ok = 0;
    std::size_t failed = 0;
    for (const auto& a : athletes) {
        ok += a.status == AthleteStatus::failed ? 0 : 1;
        failed += a.status == AthleteStatus::failed ? 1 : 0;
    }
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Strength plans: " +
        html_escape(roster) +
        "</title>\n<style>\n"
        "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\n"
        "table{border-collapse:collapse}th,td{border-bottom:1px solid #ddd;padding:.35em .6em;"
        "text-align:left;vertical-align:top}\n"
        ".failed{background:#fdecea}.partial{background:#fff8e1}.flag{color:#b03a2e;"
        "font-weight:600}\nsummary{cursor:pointer}\n</style>\n</head>\n<body>\n";
    out += "<h1>Strength plans</h1>\n<p>Roster " + html_escape(roster) + ": " +
           std::to_string(athletes.size()) + " athletes, " + std::to_string(ok) + " planned, " +
           std::to_string(failed) + " failed.</p>\n";
    // Who needs attention first: failed athletes, then those with a note.
    std::vector<std::string> first;
    for (const auto& a : athletes) {
        if (a.status == AthleteStatus::failed) {
            first.push_back(html_escape(a.id) + " (not planned)");
        }
    }
    for (const auto& a : athletes) {
        if (a.status != AthleteStatus::failed && !a.attention.empty()) {
            first.push_back(html_escape(a.id) + " (" + html_escape(a.attention) + ")");
        }
    }
    if (!first.empty()) {
        out += "<p class=\"flag\">Look first at: " + join(first, ", ") + ".</p>\n";
    }
    out += "<table>\n<tr><th>athlete</th><th>status</th><th>phase</th><th>A race</th>"
           "<th>next session</th><th>strength this week / next</th><th>attention</th>"
           "<th>weekly km (last weeks)</th><th>flags</th><th>files</th></tr>\n";
    for (const auto& a : athletes) {
        out += "<tr class=\"" + html_escape(std::string(to_string(a.status))) + "\"><td><b>" +
               html_escape(a.id) + "</b><br>" + html_escape(a.name) + "</td><td>" +
               html_escape(std::string(to_string(a.status)));
        if (!a.problem.empty()) {
            out += "<br><small>" + html_escape(a.problem) + "</small>";
        }
        out += "</td><td>" + html_escape(a.phase) + "</td><td>" + html_escape(a.race) + "</td><td>";
        out += html_escape(a.next_session) + "</td><td>";
        if (a.status != AthleteStatus::failed) {
            out += std::to_string(a.this_week_minutes) + " / " +
                   std::to_string(a.next_week_minutes) + " min";
        }
        out += "</td><td class=\"flag\">" + html_escape(a.attention) + "</td><td>";
        out += volume_svg(a.weekly_km);
        if (!a.weekly_km.empty()) {
            out += "<br><small>last week " + format_fixed(a.weekly_km.back(), 1) + " km</small>";
        }
        out += "</td><td>";
        for (const auto& flag : a.flags) {
            out += "<span class=\"flag\">" + html_escape(flag) + "</span> ";
        }
        out += "</td><td>";
        if (a.status != AthleteStatus::failed) {
            out += std::to_string(a.sessions) + " sessions";
            if (!a.files.empty()) {
                out += "<details><summary>" + std::to_string(a.files.size()) +
                       " files</summary><small>";
                for (const auto& f : a.files) {
                    out += html_escape(f) + "<br>";
                }
                out += "</small></details>";
            }
        }
        out += "</td></tr>\n";
    }
    out += "</table>\n</body>\n</html>\n";
    return out;
}

} // namespace ultrastrength
