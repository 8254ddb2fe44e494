#include "plugins/plan_html/plan_html.hpp"

#include "model/text.hpp"
#include "plugins/report/html.hpp"

#include "plugins/prescription.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace ultrastrength {

namespace detail {

std::string_view phase_fill(Phase phase) noexcept {
    switch (phase) {
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
    return "#000000";
}

} // namespace detail

namespace {

constexpr const char* running_colour = "#37474f";

std::string escape(std::string_view text) {
    return html_escape(std::string(text));
}

/// The weeks the document shows: the plan's overview, or (a plan built
/// without one) calendar weeks from the Monday of the start.
std::vector<PlanWeek> shown_weeks(const Plan& plan) {
    if (!plan.weeks_overview.empty()) {
        return plan.weeks_overview;
    }
    std::vector<PlanWeek> weeks;
    const auto start = days_from_civil(plan.start);
    const auto monday = start - (((start % 7) + 7 + 3) % 7);
    const auto end = days_from_civil(detail::plan_end(plan));
    for (auto day = monday; day <= end; day += 7) {
        PlanWeek w;
        w.start = civil_from_days(day);
        const auto sessions = detail::sessions_in_week(plan, w.start);
        w.sessions = static_cast<int>(sessions.size());
        w.phase = sessions.empty() ? Phase::early : sessions.front()->phase;
        for (const PlanSession* s : sessions) {
            w.minutes += s->estimated_minutes;
            w.strength_load += s->estimated_load;
        }
        weeks.push_back(w);
    }
    return weeks;
}

const char* style = R"(<style>
@page{size:A4;margin:10mm}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#222;margin:0;line-height:1.25}
section.week{break-after:page;page-break-after:always;padding:0}
section.week:last-of-type{break-after:auto;page-break-after:auto}
@media screen{body{background:#eee}section.week{background:#fff;max-width:210mm;margin:0 auto 8mm;padding:10mm}}
h1{font-size:1.6em;margin:0 0 .2em}
h2{font-size:1.25em;margin:.6em 0 .3em;padding:.15em .4em;color:#fff;border-radius:3px}
h3{font-size:1.1em;margin:.5em 0 .1em}
p{margin:.15em 0}
.meta{color:#555}
table{border-collapse:collapse;width:100%}
table.overview td,table.overview th{padding:.1em .4em;border-bottom:1px solid #ddd;text-align:right}
table.overview td.l,table.overview th.l{text-align:left}
table.ex{margin:.2em 0}
table.ex td{vertical-align:top;padding:.15em .3em;border-bottom:1px solid #e4e4e4}
table.ex tr.block th{text-align:left;background:#f1f1f1;padding:.15em .3em;font-weight:600}
td.n{width:30%}td.d{width:13%}td.t{width:37%}td.s{width:20%;color:#444}
.cue{font-style:italic;color:#444}
.why{color:#333}
.why li,.rules li{margin:.05em 0}
ul{margin:.1em 0 .1em 1.2em;padding:0}
.sw{display:inline-block;width:.9em;height:.9em;margin:0 .25em 0 .6em;vertical-align:-.1em}
.chart{margin:.3em 0}
</style>
)";

/// Printed height in pt of a week's sheet at `font_pt`: text wrapped at the
/// widths of the page (190 mm) and of the exercise table's columns, at an
/// average glyph width of 0.55 em and a line height of 1.3 em.
double sheet_height_pt(const std::vector<const PlanSession*>& sessions, bool first, bool last,
                       const Plan& plan, double font_pt) {
    constexpr double pt_per_mm = 72 / 25.4;
    const double glyph_pt = 0.55 * font_pt;
    auto wrapped = [&](std::size_t chars, double width_mm) {
        const double per_line = std::max(1.0, std::floor(width_mm * pt_per_mm / glyph_pt));
        return std::max(1.0, std::ceil(static_cast<double>(chars) / per_line));
    };
    double lines = 2.5;  // the week's heading
    double fixed_pt = 0; // the chart: its width is the page's, whatever the font
    if (first) {
        lines += 4 + 1.3 * static_cast<double>(plan.weeks_overview.size() + 1);
        fixed_pt += 190 * pt_per_mm * 190.0 / 700.0 + 8;
    }
    if (last) {
        lines += 2.5;
        for (const auto& rule : plan.guidance) {
            lines += wrapped(rule.size(), 180);
        }
    }
    for (const PlanSession* s : sessions) {
        lines += 3.5 + wrapped(s->title.size(), 190) + wrapped(s->warmup.size() + 10, 190) +
                 wrapped(s->cooldown.size() + 11, 190);
        for (const auto& why : s->why) {
            lines += wrapped(why.size(), 180);
        }
        for (const PlanBlock& block : s->blocks) {
            lines += 1.3;
            for (const PlanStep& step : block.steps) {
                const double name =
                    wrapped(step.name.size() + 4, 55) + wrapped(step.cue.size(), 55);
                const double middle = wrapped(step.load_rule.size() + 12, 68) +
                                      wrapped(step.effort.size() + 8, 68) +
                                      (step.tempo.empty() ? 0 : wrapped(step.tempo.size() + 7, 68));
                const double swaps =
                    wrapped(step.easier.size() + 8, 36) + wrapped(step.harder.size() + 8, 36);
                lines += 0.4 + std::max({name, middle, swaps, 2.0});
            }
        }
    }
    return fixed_pt + lines * 1.3 * font_pt;
}

/// The largest font (10 pt down to 5 pt, in 0.25 pt steps) at which the week's
/// sheet fits one A4 page: printing gives one page per week without a script.
double sheet_font_pt(const std::vector<const PlanSession*>& sessions, bool first, bool last,
                     const Plan& plan) {
    constexpr double page_pt = 277 * 72 / 25.4 - 20; // A4 less the 10 mm margins, some slack
    double font = 10;
    while (font > 5 && sheet_height_pt(sessions, first, last, plan, font) > page_pt) {
        font -= 0.25;
    }
    return font;
}

std::string step_row(const std::string& label, const PlanStep& step, int sets, WeightUnit unit) {
    std::string dose;
    if (sets > 1) {
        dose = std::to_string(sets) + " \u00d7 ";
    }
    dose += detail::set_dose(step);
    std::string out = "<tr><td class=\"n\"><b>" + escape(label) + " " + escape(step.name) + "</b>";
    if (!step.cue.empty()) {
        out += "<br><span class=\"cue\">" + escape(step.cue) + "</span>";
    }
    out += "</td><td class=\"d\">" + escape(dose);
    if (step.rest_s > 0) {
        out += "<br>rest " + std::to_string(step.rest_s) + " s";
    }
    out += "</td><td class=\"t\">";
    std::string middle;
    auto add = [&middle](const std::string& name, const std::string& text) {
        if (!text.empty()) {
            middle +=
                (middle.empty() ? "" : "<br>") + std::string("<b>") + name + "</b> " + escape(text);
        }
    };
    if (step.load_kg) {
        add("Load:", detail::format_load(*step.load_kg, unit) +
                         (step.load_rule.empty() ? std::string() : "; " + step.load_rule));
    } else {
        add("Load:", step.load_rule);
    }
    add("Effort:", step.effort);
    add("Tempo:", step.tempo);
    out += middle + "</td><td class=\"s\">";
    if (!step.easier.empty()) {
        out += "Easier: " + escape(step.easier);
    }
    if (!step.harder.empty()) {
        out += (step.easier.empty() ? "" : "<br>") + std::string("Harder: ") + escape(step.harder);
    }
    return out + "</td></tr>\n";
}

std::string session_html(const PlanSession& session, WeightUnit unit) {
    std::string out = "<article class=\"session\">\n<h3>" + escape(session.title) + "</h3>\n";
    out += "<p class=\"meta\">" + std::string(detail::weekday_text(session.date)) + " " +
           format_date(session.date) + " \u00b7 " + std::string(to_string(session.phase)) +
           " phase \u00b7 about " + std::to_string(session.estimated_minutes) + " min</p>\n";
    if (!session.warmup.empty()) {
        out += "<p><b>Warm-up:</b> " + escape(session.warmup) + "</p>\n";
    }
    out += "<table class=\"ex\">\n";
    for (std::size_t b = 0; b < session.blocks.size(); ++b) {
        const PlanBlock& block = session.blocks[b];
        const auto label = detail::block_label(b);
        const bool single = block.steps.size() == 1;
        out += "<tr class=\"block\"><th colspan=\"4\">" + label + " \u00b7 " +
               escape(detail::block_heading(block));
        if (!single && block.sets > 1) {
            out += ", " + std::to_string(block.sets) + " rounds";
        }
        out += "</th></tr>\n";
        for (std::size_t s = 0; s < block.steps.size(); ++s) {
            out += step_row(single ? label : label + std::to_string(s + 1), block.steps[s],
                            single ? block.sets : 1, unit);
        }
    }
    out += "</table>\n";
    if (!session.cooldown.empty()) {
        out += "<p><b>Cool-down:</b> " + escape(session.cooldown) + "</p>\n";
    }
    const auto& why = session.why.empty() ? session.reasons : session.why;
    if (!why.empty()) {
        out += "<div class=\"why\"><b>Why:</b><ul>";
        for (const auto& reason : why) {
            out += "<li>" + escape(reason) + "</li>";
        }
        out += "</ul></div>\n";
    }
    return out + "</article>\n";
}

std::string overview_table(const Plan& plan, const std::vector<PlanWeek>& weeks) {
    std::string out =
        "<table class=\"overview\">\n<tr><th class=\"l\">Week of</th><th "
        "class=\"l\">Phase</th><th>Sessions</th><th>Strength</th><th>Strength "
        "load</th><th>Running load</th><th>Jumps</th><th class=\"l\">Note</th></tr>\n";
    for (const PlanWeek& w : weeks) {
        out += "<tr><td class=\"l\">" + format_date(w.start) +
               "</td><td class=\"l\"><i class=\"sw\" "
               "style=\"background:" +
               std::string(detail::phase_fill(w.phase)) + "\"></i>" +
               std::string(to_string(w.phase)) + "</td><td>" + std::to_string(w.sessions) +
               "</td><td>" + std::to_string(w.minutes) + " min</td><td>" +
               format_fixed(w.strength_load, 0) + "</td><td>" + format_fixed(w.running_load, 0) +
               "</td><td>" + std::to_string(w.plyometric_contacts) + "</td><td class=\"l\">" +
               escape(detail::week_note(plan, w)) + "</td></tr>\n";
    }
    return out + "</table>\n";
}

std::string overview_svg(const std::vector<PlanWeek>& weeks) {
    constexpr double width = 700;
    constexpr double height = 190;
    constexpr double left = 44;
    constexpr double right = 52;
    constexpr double top = 14;
    constexpr double bottom = 40;
    const double plot_w = width - left - right;
    const double plot_h = height - top - bottom;
    double max_minutes = 30;
    double max_running = 100;
    for (const PlanWeek& w : weeks) {
        max_minutes = std::max(max_minutes, static_cast<double>(w.minutes));
        max_running = std::max(max_running, w.running_load);
    }
    max_minutes = std::ceil(max_minutes / 30) * 30;
    max_running = std::ceil(max_running / 100) * 100;
    const double slot = weeks.empty() ? plot_w : plot_w / static_cast<double>(weeks.size());
    const double bar = std::min(48.0, slot * 0.6);
    std::string svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" "
                      "viewBox=\"0 0 " +
                      format_fixed(width, 0) + " " + format_fixed(height, 0) +
                      "\" role=\"img\" font-size=\"10\" font-family=\"sans-serif\">\n"
                      "<title>Strength minutes (bars, by phase) and projected running load (line) "
                      "per week</title>\n";
    // Axes and grid.
    for (int i = 0; i <= 3; ++i) {
        const double y = top + plot_h * (1 - i / 3.0);
        svg += "<line x1=\"" + format_fixed(left, 0) + "\" y1=\"" + format_fixed(y, 1) +
               "\" x2=\"" + format_fixed(left + plot_w, 0) + "\" y2=\"" + format_fixed(y, 1) +
               "\" stroke=\"#ddd\"/>";
        svg += "<text x=\"" + format_fixed(left - 4, 0) + "\" y=\"" + format_fixed(y + 3, 1) +
               "\" text-anchor=\"end\">" + format_fixed(max_minutes * i / 3, 0) + "</text>";
        svg += "<text x=\"" + format_fixed(left + plot_w + 4, 0) + "\" y=\"" +
               format_fixed(y + 3, 1) + "\" fill=\"" + running_colour + "\">" +
               format_fixed(max_running * i / 3, 0) + "</text>\n";
    }
    svg += "<text x=\"4\" y=\"10\">min</text><text x=\"" + format_fixed(width - 4, 0) +
           "\" y=\"10\" text-anchor=\"end\" fill=\"" + running_colour + "\">running load</text>\n";
    std::string points;
    for (std::size_t i = 0; i < weeks.size(); ++i) {
        const PlanWeek& w = weeks[i];
        const double cx = left + slot * (static_cast<double>(i) + 0.5);
        const double h = plot_h * w.minutes / max_minutes;
        svg += "<rect x=\"" + format_fixed(cx - bar / 2, 1) + "\" y=\"" +
               format_fixed(top + plot_h - h, 1) + "\" width=\"" + format_fixed(bar, 1) +
               "\" height=\"" + format_fixed(h, 1) + "\" fill=\"" +
               std::string(detail::phase_fill(w.phase)) + "\"><title>" + format_date(w.start) +
               ": " + std::to_string(w.minutes) + " min, " + std::string(to_string(w.phase)) +
               "</title></rect>";
        const std::string date = format_date(w.start);
        svg += "<text x=\"" + format_fixed(cx, 1) + "\" y=\"" + format_fixed(top + plot_h + 13, 1) +
               "\" text-anchor=\"middle\">" + date.substr(5) + "</text>\n";
        const double y = top + plot_h * (1 - w.running_load / max_running);
        points += (points.empty() ? "" : " ") + format_fixed(cx, 1) + "," + format_fixed(y, 1);
    }
    if (!points.empty()) {
        svg += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + running_colour +
               "\" stroke-width=\"3\"/>\n";
        for (std::size_t i = 0; i < weeks.size(); ++i) {
            const double cx = left + slot * (static_cast<double>(i) + 0.5);
            const double y = top + plot_h * (1 - weeks[i].running_load / max_running);
            svg += "<circle cx=\"" + format_fixed(cx, 1) + "\" cy=\"" + format_fixed(y, 1) +
                   "\" r=\"4\" fill=\"" + running_colour + "\"/>";
        }
        svg += "\n";
    }
    // Legend: the phases shown, then the running line.
    double x = left;
    std::vector<Phase> seen;
    for (const PlanWeek& w : weeks) {
        if (std::find(seen.begin(), seen.end(), w.phase) == seen.end()) {
            seen.push_back(w.phase);
        }
    }
    const double legend_y = height - 8;
    for (const Phase p : seen) {
        svg += "<rect x=\"" + format_fixed(x, 0) + "\" y=\"" + format_fixed(legend_y - 9, 0) +
               "\" width=\"10\" height=\"10\" fill=\"" + std::string(detail::phase_fill(p)) +
               "\"/><text x=\"" + format_fixed(x + 14, 0) + "\" y=\"" + format_fixed(legend_y, 0) +
               "\">" + std::string(to_string(p)) + "</text>";
        x += 24 + 7 * static_cast<double>(to_string(p).size());
    }
    svg += "<line x1=\"" + format_fixed(x, 0) + "\" y1=\"" + format_fixed(legend_y - 4, 0) +
           "\" x2=\"" + format_fixed(x + 18, 0) + "\" y2=\"" + format_fixed(legend_y - 4, 0) +
           "\" stroke=\"" + running_colour + "\" stroke-width=\"3\"/><text x=\"" +
           format_fixed(x + 22, 0) + "\" y=\"" + format_fixed(legend_y, 0) +
           "\">projected running load</text>\n";
    return svg + "</svg>\n";
}

} // namespace

namespace detail {
std::string plan_overview_svg(const Plan& plan) {
    return overview_svg(shown_weeks(plan));
}
} // namespace detail

std::string plan_html(const Plan& plan, const PlanDocumentOptions& options) {
    const std::string who = plan.athlete_name.empty() ? plan.athlete_id : plan.athlete_name;
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<title>Strength plan: " +
                      escape(who) + "</title>\n" + style + "</head>\n<body>\n";
    const auto weeks = shown_weeks(plan);
    for (std::size_t i = 0; i < weeks.size(); ++i) {
        const PlanWeek& w = weeks[i];
        const bool first = i == 0;
        const bool last = i + 1 == weeks.size();
        const auto sessions = detail::sessions_in_week(plan, w.start);
        const double font_pt = sheet_font_pt(sessions, first, last, plan);
        out += "<section class=\"week\" style=\"font-size:" + format_fixed(font_pt, 2) + "pt\">\n";
        if (first) {
            out += "<h1>Strength plan for " + escape(who) + "</h1>\n<p class=\"meta\">" +
                   std::to_string(plan.weeks) + (plan.weeks == 1 ? " week, " : " weeks, ") +
                   format_date(plan.start) + " to " + format_date(detail::plan_end(plan));
            if (plan.race) {
                out += " \u00b7 race: " +
                       escape(plan.race->name.empty() ? std::string("A race") : plan.race->name) +
                       " on " + format_date(plan.race->date);
            }
            out += "</p>\n";
            // The same header lines as plan.txt, so the sheet says what the text says.
            if (!plan.start_note.empty()) {
                out += "<p class=\"meta\"><b>Start:</b> " + escape(plan.start_note) + "</p>\n";
            }
            if (!plan.strength_history.empty()) {
                out += "<p class=\"meta\"><b>Strength history:</b> " +
                       escape(plan.strength_history) + " (" + escape(plan.strength_history_source) +
                       ")</p>\n";
            }
            for (const std::string& line : plan.attention) {
                out += "<p class=\"meta\"><b>Note:</b> " + escape(line) + "</p>\n";
            }
            if (plan.behind_plan) {
                out += "<p class=\"meta\"><b>Behind plan:</b> the race date asks for a later "
                       "phase than your training so far supports; those weeks keep that phase's "
                       "work at the volume you can take now (marked in the overview)</p>\n";
            }
            out += overview_table(plan, weeks) + overview_svg(weeks);
        }
        out += "<h2 style=\"background:" + std::string(detail::phase_fill(w.phase)) +
               "\">Week of " + format_date(w.start) + " \u00b7 " + std::string(to_string(w.phase)) +
               " \u00b7 " + std::to_string(sessions.size()) +
               (sessions.size() == 1 ? " session" : " sessions");
        if (const auto note = detail::week_note(plan, w); !note.empty()) {
            out += " \u00b7 " + escape(note);
        }
        out += "</h2>\n";
        if (sessions.empty()) {
            out += "<p>No strength session this week.</p>\n";
        }
        for (const PlanSession* s : sessions) {
            out += session_html(*s, options.weight_unit);
        }
        if (last && !plan.guidance.empty()) {
            out += "<h3>Rules for real life</h3>\n<ul class=\"rules\">";
            for (const auto& rule : plan.guidance) {
                out += "<li>" + escape(rule) + "</li>";
            }
            out += "</ul>\n";
        }
        out += "</section>\n";
    }
    return out + "</body>\n</html>\n";
}

} // namespace ultrastrength
